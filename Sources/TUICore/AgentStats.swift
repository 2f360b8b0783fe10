/// What the Agents pane knows about an agent beyond the list endpoint: filled in from its loaded
/// versions and drafts (the list does not return them), `nil` until known.
public struct AgentStats: Hashable, Sendable {
    /// Number of active drafts.
    public var draftCount: Int?
    /// The active version's number.
    public var activeVersionNumber: Int?

    /// Builds stats.
    public init(draftCount: Int? = nil, activeVersionNumber: Int? = nil) {
        self.draftCount = draftCount
        self.activeVersionNumber = activeVersionNumber
    }
}
