/// A security-check watch the app is following (in the publish panel or in the background after Esc).
public struct WatchedCheck: Hashable, Sendable {
    /// The agent.
    public var agentId: String
    /// The published version.
    public var versionId: String
    /// `v7 "label"`, for the status line.
    public var title: String
    /// v2: the branch the revision was committed on.
    public var branchId: String?
    /// v2: that branch was live when the publish or restore started.
    public var onLiveBranch: Bool = false

    /// Builds a watch record.
    public init(agentId: String, versionId: String, title: String, branchId: String? = nil, onLiveBranch: Bool = false) {
        self.agentId = agentId
        self.versionId = versionId
        self.title = title
        self.branchId = branchId
        self.onLiveBranch = onLiveBranch
    }
}
