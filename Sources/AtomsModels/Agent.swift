import Foundation

/// `AgentDTO`: the agent document. Named fields are typed; every other top-level field
/// (the non-versioned config such as `language`, `synthesizer`) is kept in `otherFields`.
public struct Agent: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var description: String?
    public var workflowType: String?
    public var workflowId: String?
    public var activeVersionId: String?
    public var versionId: String?
    public var archived: Bool
    public var archivedAt: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var totalCalls: Int?
    /// `_resolvedConfig` (single-agent reads only).
    public var resolvedConfig: ConfigDocument?
    /// `_configSource`: `active`, `draft` or `version`.
    public var configSource: String?
    /// Every other top-level field, untouched.
    public var otherFields: ConfigDocument

    static let named: Set<String> = ["_id", "name", "description", "workflowType", "workflowId", "activeVersionId",
                                      "versionId", "archived", "archivedAt", "createdAt", "updatedAt", "totalCalls",
                                      "_resolvedConfig", "_configSource"]

    /// Builds an agent.
    public init(id: String, name: String, description: String? = nil, workflowType: String? = "single_prompt",
                activeVersionId: String? = nil, archived: Bool = false, otherFields: ConfigDocument = [:]) {
        self.id = id
        self.name = name
        self.description = description
        self.workflowType = workflowType
        self.activeVersionId = activeVersionId
        self.versionId = activeVersionId
        self.archived = archived
        self.otherFields = otherFields
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func str(_ k: String) -> String? { (try? c.decodeIfPresent(String.self, forKey: AnyKey(k))) ?? nil }
        guard let id = str("_id") else {
            throw DecodingError.keyNotFound(AnyKey("_id"), .init(codingPath: c.codingPath, debugDescription: "agent without _id"))
        }
        self.id = id
        name = str("name") ?? ""
        description = str("description")
        workflowType = str("workflowType")
        workflowId = str("workflowId")
        activeVersionId = str("activeVersionId")
        versionId = str("versionId")
        archived = ((try? c.decodeIfPresent(Bool.self, forKey: AnyKey("archived"))) ?? nil) ?? false
        archivedAt = str("archivedAt")
        createdAt = str("createdAt")
        updatedAt = str("updatedAt")
        totalCalls = (try? c.decodeIfPresent(Int.self, forKey: AnyKey("totalCalls"))) ?? nil
        resolvedConfig = (try? c.decodeIfPresent(ConfigDocument.self, forKey: AnyKey("_resolvedConfig"))) ?? nil
        configSource = str("_configSource")
        var other: ConfigDocument = [:]
        for k in c.allKeys where !Agent.named.contains(k.stringValue) {
            if let v = try? c.decode(JSONValue.self, forKey: k) { other[k.stringValue] = v }
        }
        otherFields = other
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for (k, v) in otherFields where !Agent.named.contains(k) { try c.encode(v, forKey: AnyKey(k)) }
        try c.encode(id, forKey: AnyKey("_id"))
        try c.encode(name, forKey: AnyKey("name"))
        try c.encodeIfPresent(description, forKey: AnyKey("description"))
        try c.encodeIfPresent(workflowType, forKey: AnyKey("workflowType"))
        try c.encodeIfPresent(workflowId, forKey: AnyKey("workflowId"))
        try c.encodeIfPresent(activeVersionId, forKey: AnyKey("activeVersionId"))
        try c.encodeIfPresent(versionId, forKey: AnyKey("versionId"))
        try c.encode(archived, forKey: AnyKey("archived"))
        try c.encodeIfPresent(archivedAt, forKey: AnyKey("archivedAt"))
        try c.encodeIfPresent(createdAt, forKey: AnyKey("createdAt"))
        try c.encodeIfPresent(updatedAt, forKey: AnyKey("updatedAt"))
        try c.encodeIfPresent(totalCalls, forKey: AnyKey("totalCalls"))
        try c.encodeIfPresent(resolvedConfig, forKey: AnyKey("_resolvedConfig"))
        try c.encodeIfPresent(configSource, forKey: AnyKey("_configSource"))
    }
}

/// `GET /agent` data. Accepts the spec's `total` and the live `totalCount/totalPages/hasMore` together.
public struct AgentList: Codable, Sendable {
    public var agents: [Agent]
    public var total: Int?
    public var totalCount: Int?
    public var totalPages: Int?
    public var hasMore: Bool?
    public var isSearchResults: Bool?

    /// Builds a page.
    public init(agents: [Agent], total: Int, totalPages: Int, hasMore: Bool, isSearchResults: Bool = false) {
        self.agents = agents
        self.total = total
        self.totalCount = total
        self.totalPages = totalPages
        self.hasMore = hasMore
        self.isSearchResults = isSearchResults
    }

    /// The total, whichever key the server used.
    public var count: Int { total ?? totalCount ?? agents.count }
}

/// `DELETE /agent/{id}/archive` data.
public struct ArchiveResult: Codable, Sendable, Equatable {
    /// `Agent archived` or `Agent unarchived`.
    public var message: String
    /// Builds a result.
    public init(message: String) { self.message = message }
}
