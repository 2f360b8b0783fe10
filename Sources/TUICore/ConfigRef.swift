/// A config of one agent's version or draft: the key of the detail cache.
public struct ConfigRef: Hashable, Sendable {
    /// The agent.
    public var agentId: String
    /// The version or draft.
    public var source: ConfigSource

    /// Builds a reference.
    public init(agentId: String, source: ConfigSource) {
        self.agentId = agentId
        self.source = source
    }
}
