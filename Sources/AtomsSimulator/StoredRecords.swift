import Foundation
import AtomsModels

/// The agent document as the simulator keeps it (one JSON text column per agent).
struct StoredAgent: Codable, Sendable, Hashable {
    var id: String
    var name: String
    var description: String?
    var avatarUrl: String?
    var workflowType: String
    var workflowId: String
    var activeVersionId: String?
    var archived: Bool
    var archivedAt: String?
    var createdAt: String
    var updatedAt: String
    var totalCalls: Int
    var telephonyProductId: [String]
    var allowInboundCall: Bool
    var visibleToEveryone: Bool
    var createdBy: String
    var organization: String
    /// The web widget configuration (`PATCH /agent/{id}/widget-config`); nil until configured.
    var widgetConfig: ConfigDocument? = nil
}

/// A published version or a draft row: the wire row plus the config document it stands for.
struct StoredVersion: Codable, Sendable, Hashable {
    /// The `AgentVersion` row as the API shows it (security check as last resolved).
    var row: AgentVersion
    /// The config in request field names (`DraftConfigRequest`).
    var config: ConfigDocument
    /// Soft delete (discarded or published drafts).
    var deleted: Bool
    /// When the security check resolves (seconds since 1970); `nil` when there is no check.
    var checkDeadline: Double?

    var isDraft: Bool { row.status == .draft }
}

/// A user the simulator knows by id (for `publishedByName`, `editorName`, …).
struct SimUser: Sendable, Hashable {
    var id: String
    var name: String

    /// The caller of every HTTP request (the API key's user).
    static let caller = SimUser(id: "66b0c0ffee00000000000001", name: "Demo User")
    /// The people who appear in the demo data.
    static let team: [SimUser] = [
        SimUser(id: "66b0c0ffee00000000000011", name: "Priya Raman"),
        SimUser(id: "66b0c0ffee00000000000012", name: "Marco Rossi"),
        SimUser(id: "66b0c0ffee00000000000013", name: "Aiko Tanaka"),
        SimUser(id: "66b0c0ffee00000000000014", name: "Diego Fernández"),
        SimUser(id: "66b0c0ffee00000000000015", name: "Amara Okafor"),
    ]

    /// The display name for a user id, if known.
    static func name(of id: String?) -> String? {
        guard let id else { return nil }
        if id == caller.id { return caller.name }
        return team.first { $0.id == id }?.name
    }

    /// The simulated organization.
    static let organization = "66b0c0ffee000000000000aa"
}
