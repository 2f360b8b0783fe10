/// The diff shown in the detail area: what is compared and its prepared lines.
public struct DiffView: Sendable {
    /// The agent.
    public var agentId: String
    /// Old side.
    public var from: ConfigSource
    /// New side.
    public var to: ConfigSource
    /// A title naming both sides (`draft "fix" ⇢ v3 (source)`).
    public var title: String
    /// The lines once loaded.
    public var content: LoadState<[DetailLine]>

    /// Builds a diff view.
    public init(agentId: String, from: ConfigSource, to: ConfigSource, title: String, content: LoadState<[DetailLine]> = .loading) {
        self.agentId = agentId
        self.from = from
        self.to = to
        self.title = title
        self.content = content
    }
}
