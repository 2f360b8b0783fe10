/// An item marked with `D` to be diffed against a second one.
public struct Mark: Hashable, Sendable {
    /// The agent.
    public var agentId: String
    /// The marked version or draft.
    public var source: ConfigSource
    /// Its display name (`v3`, `draft "fix"`).
    public var label: String

    /// Builds a mark.
    public init(agentId: String, source: ConfigSource, label: String) {
        self.agentId = agentId
        self.source = source
        self.label = label
    }
}
