import Foundation

/// `GET /agent/{id}/branches/{branchId}/revisions` data: committed and scanning revisions, newest first.
public struct RevisionList: Codable, Sendable, Hashable {
    public var revisions: [Revision]
    public var total: Int
    /// Builds a page.
    public init(revisions: [Revision], total: Int) {
        self.revisions = revisions
        self.total = total
    }
}

/// `GET …/revisions/{revisionId}` data: the revision and its fully merged config, keyed by section.
public struct RevisionDetail: Codable, Sendable {
    public var revision: Revision
    public var resolvedConfig: [String: JSONValue]
    /// Builds a detail.
    public init(revision: Revision, resolvedConfig: [String: JSONValue]) {
        self.revision = revision
        self.resolvedConfig = resolvedConfig
    }
}

/// One step of a revision's history: a prior revision and the sections it changed.
public struct RevisionTrailEntry: Codable, Sendable, Hashable {
    public var revision: Revision
    public var changedSections: [String]
    /// Builds an entry.
    public init(revision: Revision, changedSections: [String]) {
        self.revision = revision
        self.changedSections = changedSections
    }
}

/// `GET …/revisions/{revisionId}/history` data.
public struct RevisionHistory: Codable, Sendable, Hashable {
    public var revision: Revision
    /// Who published it (a display name when known).
    public var publishedBy: String?
    /// The revisions on the branch up to this one, newest first, each with its changed sections.
    public var trail: [RevisionTrailEntry]
    /// Builds a history.
    public init(revision: Revision, publishedBy: String?, trail: [RevisionTrailEntry]) {
        self.revision = revision
        self.publishedBy = publishedBy
        self.trail = trail
    }
}

/// One edit of a v2 branch draft: a revision-shaped snapshot.
public struct BranchDraftEdit: Codable, Sendable, Hashable {
    public var revision: Revision
    public var changedSections: [String]
    public var editorName: String?
    /// Builds an entry.
    public init(revision: Revision, changedSections: [String], editorName: String?) {
        self.revision = revision
        self.changedSections = changedSections
        self.editorName = editorName
    }
}

/// `GET /agent/{id}/branches/{branchId}/draft` data (v2 `DraftDetail`: history entries carry revisions).
public struct BranchDraftDetail: Codable, Sendable, Hashable {
    public var latest: Revision
    public var editCount: Int
    /// Newest first.
    public var editHistory: [BranchDraftEdit]
    /// Builds a detail.
    public init(latest: Revision, editCount: Int, editHistory: [BranchDraftEdit]) {
        self.latest = latest
        self.editCount = editCount
        self.editHistory = editHistory
    }
}
