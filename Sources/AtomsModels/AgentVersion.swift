import Foundation

/// `status` of an AgentVersion / Revision row. Open.
public enum VersionStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case published, draft, archived
    case unknown(String)

    /// The wire string.
    public var rawValue: String {
        switch self {
        case .published: return "published"
        case .draft: return "draft"
        case .archived: return "archived"
        case .unknown(let s): return s
        }
    }
    /// Parses a wire string.
    public init(rawValue: String) {
        switch rawValue {
        case "published": self = .published
        case "draft": self = .draft
        case "archived": self = .archived
        default: self = .unknown(rawValue)
        }
    }
    public init(from decoder: Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
    public var description: String { rawValue }
}

extension CodingUserInfoKey {
    /// Set to `true` on an encoder to write `null` for a version document's nullable fields that have no
    /// value (see `AgentVersion.encode(to:)`).
    public static let explicitNulls = CodingUserInfoKey(rawValue: "atoms.explicitNulls")!
}

/// v1 `AgentVersion` (a draft revision or a published version); v2 `Revision` is the same document
/// with its branch fields set. Fields that do not apply are `nil`.
public struct AgentVersion: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var agent: String
    public var status: VersionStatus
    public var versionNumber: Int?
    public var label: String?
    public var description: String?
    public var isPinned: Bool
    public var publishedBy: String?
    public var publishedAt: String?
    public var activatedBy: String?
    public var activatedAt: String?
    public var draftId: String?
    public var draftName: String?
    public var draftRevision: Int?
    public var sourceVersionId: String?
    public var sourceDraftId: String?
    public var blocks: [String: String]?
    public var workflowType: String?
    public var parentVersion: String?
    public var isActive: Bool
    public var securityCheck: SecurityCheck?
    public var createdBy: String?
    public var createdAt: String?
    public var updatedAt: String?
    // List extras.
    public var publishedByName: String?
    public var activatedByName: String?
    public var lastEditorName: String?
    // v2 Revision fields.
    public var branch: String?
    public var revisionNumber: Int?
    public var restoredFromRevisionId: String?
    public var restoredFromLabel: String?
    public var pendingPublish: JSONValue?
    public var promptScore: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case agent, status, versionNumber, label, description, isPinned, publishedBy, publishedAt
        case activatedBy, activatedAt, draftId, draftName, draftRevision, sourceVersionId, sourceDraftId
        case blocks, workflowType, parentVersion, isActive, securityCheck, createdBy, createdAt, updatedAt
        case publishedByName, activatedByName, lastEditorName
        case branch, revisionNumber, restoredFromRevisionId, restoredFromLabel, pendingPublish, promptScore
    }

    /// Builds a row; everything optional defaults to `nil`.
    public init(id: String, agent: String, status: VersionStatus, versionNumber: Int? = nil, label: String? = nil,
                description: String? = nil, isPinned: Bool = false, isActive: Bool = false) {
        self.id = id
        self.agent = agent
        self.status = status
        self.versionNumber = versionNumber
        self.label = label
        self.description = description
        self.isPinned = isPinned
        self.isActive = isActive
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        agent = (try? c.decodeIfPresent(String.self, forKey: .agent)) ?? ""
        status = (try? c.decodeIfPresent(VersionStatus.self, forKey: .status)) ?? .unknown("")
        versionNumber = try c.decodeIfPresent(Int.self, forKey: .versionNumber)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        isPinned = (try c.decodeIfPresent(Bool.self, forKey: .isPinned)) ?? false
        publishedBy = try c.decodeIfPresent(String.self, forKey: .publishedBy)
        publishedAt = try c.decodeIfPresent(String.self, forKey: .publishedAt)
        activatedBy = try c.decodeIfPresent(String.self, forKey: .activatedBy)
        activatedAt = try c.decodeIfPresent(String.self, forKey: .activatedAt)
        draftId = try c.decodeIfPresent(String.self, forKey: .draftId)
        draftName = try c.decodeIfPresent(String.self, forKey: .draftName)
        draftRevision = try c.decodeIfPresent(Int.self, forKey: .draftRevision)
        sourceVersionId = try c.decodeIfPresent(String.self, forKey: .sourceVersionId)
        sourceDraftId = try c.decodeIfPresent(String.self, forKey: .sourceDraftId)
        blocks = try? c.decodeIfPresent([String: String].self, forKey: .blocks)
        workflowType = try c.decodeIfPresent(String.self, forKey: .workflowType)
        parentVersion = try c.decodeIfPresent(String.self, forKey: .parentVersion)
        isActive = (try c.decodeIfPresent(Bool.self, forKey: .isActive)) ?? false
        securityCheck = try c.decodeIfPresent(SecurityCheck.self, forKey: .securityCheck)
        createdBy = try c.decodeIfPresent(String.self, forKey: .createdBy)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        publishedByName = try c.decodeIfPresent(String.self, forKey: .publishedByName)
        activatedByName = try c.decodeIfPresent(String.self, forKey: .activatedByName)
        lastEditorName = try c.decodeIfPresent(String.self, forKey: .lastEditorName)
        branch = try c.decodeIfPresent(String.self, forKey: .branch)
        revisionNumber = try c.decodeIfPresent(Int.self, forKey: .revisionNumber)
        restoredFromRevisionId = try c.decodeIfPresent(String.self, forKey: .restoredFromRevisionId)
        restoredFromLabel = try c.decodeIfPresent(String.self, forKey: .restoredFromLabel)
        pendingPublish = try c.decodeIfPresent(JSONValue.self, forKey: .pendingPublish)
        promptScore = try c.decodeIfPresent(JSONValue.self, forKey: .promptScore)
    }

    /// Writes the document. With `CodingUserInfoKey.explicitNulls` set (the simulator's answers), the
    /// AgentVersion schema's nullable fields without a value are written as `null`, as the API does
    /// ("fields that do not apply to a given row are `null`") — on v2 revisions too, which share them.
    /// The Revision schema's own additions are written only when set: the same row is also answered by
    /// the v1 routes, whose schema does not declare them. Without the key (the CLI's `--json`) absent
    /// fields are left out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let nulls = encoder.userInfo[.explicitNulls] as? Bool == true
        func put<T: Encodable>(_ value: T?, _ key: CodingKeys, nullable: Bool = true) throws {
            if let value { try c.encode(value, forKey: key) } else if nulls && nullable { try c.encodeNil(forKey: key) }
        }
        try c.encode(id, forKey: .id)
        try c.encode(agent, forKey: .agent)
        try c.encode(status, forKey: .status)
        try put(versionNumber, .versionNumber)
        try put(label, .label)
        try put(description, .description)
        try c.encode(isPinned, forKey: .isPinned)
        try put(publishedBy, .publishedBy)
        try put(publishedAt, .publishedAt)
        try put(activatedBy, .activatedBy)
        try put(activatedAt, .activatedAt)
        try put(draftId, .draftId)
        try put(draftName, .draftName)
        try put(draftRevision, .draftRevision)
        try put(sourceVersionId, .sourceVersionId)
        try put(sourceDraftId, .sourceDraftId, nullable: false)
        try put(blocks, .blocks, nullable: false)
        try put(workflowType, .workflowType, nullable: false)
        try put(parentVersion, .parentVersion)
        try c.encode(isActive, forKey: .isActive)
        try put(securityCheck, .securityCheck)
        try put(createdBy, .createdBy, nullable: false)
        try put(createdAt, .createdAt, nullable: false)
        try put(updatedAt, .updatedAt, nullable: false)
        try put(publishedByName, .publishedByName, nullable: false)
        try put(activatedByName, .activatedByName, nullable: false)
        try put(lastEditorName, .lastEditorName, nullable: false)
        try put(branch, .branch, nullable: false)
        try put(revisionNumber, .revisionNumber, nullable: false)
        try put(restoredFromRevisionId, .restoredFromRevisionId, nullable: false)
        try put(restoredFromLabel, .restoredFromLabel, nullable: false)
        try put(pendingPublish, .pendingPublish, nullable: false)
        try put(promptScore, .promptScore, nullable: false)
    }

    /// A short human name: `v7`, `r3`, or the draft name.
    public var displayNumber: String {
        if let n = versionNumber { return "v\(n)" }
        if let r = revisionNumber { return "r\(r)" }
        return draftName ?? String(id.suffix(6))
    }
}
