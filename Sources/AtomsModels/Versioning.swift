import Foundation

/// `POST /agent/{id}/drafts` body.
public struct CreateDraftRequest: Codable, Sendable, Equatable {
    public var sourceVersionId: String?
    public var sourceDraftId: String?
    public var draftName: String?
    /// Builds a fork request.
    public init(sourceVersionId: String? = nil, sourceDraftId: String? = nil, draftName: String? = nil) {
        self.sourceVersionId = sourceVersionId
        self.sourceDraftId = sourceDraftId
        self.draftName = draftName
    }
}

/// `PATCH /agent/{id}/drafts/{draftId}` body (rename).
public struct RenameDraftRequest: Codable, Sendable, Equatable {
    public var draftName: String
    /// Builds a rename.
    public init(draftName: String) { self.draftName = draftName }
}

/// `PATCH /agent/{id}/drafts/{draftId}` answer data.
public struct RenameDraftResult: Codable, Sendable, Equatable {
    public var draftName: String
    /// Builds a rename result.
    public init(draftName: String) { self.draftName = draftName }
}

/// `POST /agent/{id}/drafts/{draftId}/publish` body.
public struct PublishDraftRequest: Codable, Sendable, Equatable {
    public var label: String?
    public var description: String?
    /// Sent by some clients; the server ignores it (publish never activates).
    public var activate: Bool?
    /// Builds a publish request.
    public init(label: String? = nil, description: String? = nil, activate: Bool? = nil) {
        self.label = label
        self.description = description
        self.activate = activate
    }
}

/// `PATCH /agent/{id}/versions/{versionId}` body.
public struct UpdateVersionMetaRequest: Codable, Sendable, Equatable {
    public var label: String?
    public var description: String?
    public var isPinned: Bool?
    /// Builds a metadata patch.
    public init(label: String? = nil, description: String? = nil, isPinned: Bool? = nil) {
        self.label = label
        self.description = description
        self.isPinned = isPinned
    }
}

/// One entry of a v1 draft's edit history.
public struct DraftEditHistoryEntry: Codable, Sendable, Hashable {
    public var revision: Int
    public var changedSections: [String]
    public var editorName: String?
    public var editorId: String?
    public var timestamp: String?
    /// Builds an entry.
    public init(revision: Int, changedSections: [String], editorName: String?, editorId: String?, timestamp: String?) {
        self.revision = revision
        self.changedSections = changedSections
        self.editorName = editorName
        self.editorId = editorId
        self.timestamp = timestamp
    }
}

/// `GET /agent/{id}/drafts/{draftId}` data.
public struct DraftDetail: Codable, Sendable {
    public var latest: AgentVersion
    public var editHistory: [DraftEditHistoryEntry]
    public var editCount: Int
    /// Builds a detail.
    public init(latest: AgentVersion, editHistory: [DraftEditHistoryEntry], editCount: Int) {
        self.latest = latest
        self.editHistory = editHistory
        self.editCount = editCount
    }
}

/// `GET /agent/{id}/versions` data.
public struct VersionList: Codable, Sendable {
    public var versions: [AgentVersion]
    /// All published versions of the agent (ignores the `isPinned` filter).
    public var total: Int
    /// Builds a page.
    public init(versions: [AgentVersion], total: Int) { self.versions = versions; self.total = total }
}

/// `GET /agent/{id}/versions/{versionId}` data.
public struct VersionDetail: Codable, Sendable {
    public var version: AgentVersion
    /// Keyed by config section.
    public var resolvedConfig: [String: JSONValue]
    /// Builds a detail.
    public init(version: AgentVersion, resolvedConfig: [String: JSONValue]) {
        self.version = version
        self.resolvedConfig = resolvedConfig
    }
}

/// One changed leaf in a diff.
public struct DiffChange: Codable, Sendable, Hashable {
    public var path: String
    public var oldValue: JSONValue?
    public var newValue: JSONValue?
    /// Builds a change.
    public init(path: String, oldValue: JSONValue?, newValue: JSONValue?) {
        self.path = path
        self.oldValue = oldValue
        self.newValue = newValue
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(oldValue ?? .null, forKey: .oldValue)
        try c.encode(newValue ?? .null, forKey: .newValue)
    }
}

/// The changes within one config section.
public struct DiffSection: Codable, Sendable, Hashable {
    public var section: String
    public var changes: [DiffChange]
    /// Builds a section diff.
    public init(section: String, changes: [DiffChange]) { self.section = section; self.changes = changes }
}

/// `AgentVersionDiff` (v1 versions diff) and `DiffResult` (v2): same shape.
public struct AgentVersionDiff: Codable, Sendable, Hashable {
    public var unchangedSections: [String]
    public var diffs: [DiffSection]
    /// Builds a diff.
    public init(unchangedSections: [String], diffs: [DiffSection]) {
        self.unchangedSections = unchangedSections
        self.diffs = diffs
    }
    /// True when anything differs.
    public var hasChanges: Bool { !diffs.isEmpty }
}

/// One section of the v1 draft diff (`GET …/drafts/{draftId}/diff`).
public struct DraftDiffSection: Codable, Sendable, Hashable {
    public var before: JSONValue?
    public var after: JSONValue?
    public var changed: Bool
    /// Builds a section.
    public init(before: JSONValue?, after: JSONValue?, changed: Bool) {
        self.before = before
        self.after = after
        self.changed = changed
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(before ?? .null, forKey: .before)
        try c.encode(after ?? .null, forKey: .after)
        try c.encode(changed, forKey: .changed)
    }
}

/// v1 draft diff data: `{sections: {name: {before, after, changed}}, hasChanges}`.
public struct DraftDiff: Codable, Sendable, Hashable {
    public var sections: [String: DraftDiffSection]
    public var hasChanges: Bool
    /// Builds a draft diff.
    public init(sections: [String: DraftDiffSection], hasChanges: Bool) {
        self.sections = sections
        self.hasChanges = hasChanges
    }
}
