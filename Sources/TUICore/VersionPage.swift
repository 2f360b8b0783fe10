import AtomsModels

/// An agent's versions loaded so far (newest first), with paging and loading state.
public struct VersionPage: Sendable {
    /// Loaded rows, newest first.
    public var items: [AgentVersion] = []
    /// The server's total, once a page arrived.
    public var total: Int?
    /// A page is being loaded.
    public var loading: Bool = false
    /// The last load failed with this message.
    public var error: String?
    /// v2: the branch these rows are the revisions of.
    public var branchId: String?

    /// An empty, not yet loaded page set.
    public init(items: [AgentVersion] = [], total: Int? = nil, loading: Bool = false) {
        self.items = items
        self.total = total
        self.loading = loading
    }

    /// More rows exist on the server.
    public var hasMore: Bool { total.map { items.count < $0 } ?? true }
}
