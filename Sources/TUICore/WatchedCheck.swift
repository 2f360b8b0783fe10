/// A security-check watch the app is following (in the publish panel or in the background after Esc).
public struct WatchedCheck: Hashable, Sendable {
    /// The agent.
    public var agentId: String
    /// The published version.
    public var versionId: String
    /// `v7 "label"`, for the status line.
    public var title: String

    /// Builds a watch record.
    public init(agentId: String, versionId: String, title: String) {
        self.agentId = agentId
        self.versionId = versionId
        self.title = title
    }
}
