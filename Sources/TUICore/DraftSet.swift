import AtomsModels

/// An agent's active drafts with loading state.
public struct DraftSet: Sendable {
    /// The drafts, most recently updated first.
    public var items: [AgentVersion] = []
    /// The list has arrived at least once.
    public var loaded: Bool = false
    /// A load is running.
    public var loading: Bool = false
    /// The last load failed with this message.
    public var error: String?

    /// An empty set.
    public init(items: [AgentVersion] = [], loaded: Bool = false, loading: Bool = false) {
        self.items = items
        self.loaded = loaded
        self.loading = loading
    }
}
