import AtomsModels

/// An agent's branches (v2) with loading state, in server order.
public struct BranchSet: Sendable {
    /// The non-archived branches.
    public var items: [BranchSummary] = []
    /// The list has arrived at least once.
    public var loaded: Bool = false
    /// A load is running.
    public var loading: Bool = false
    /// The last load failed with this message.
    public var error: String?
    /// Where each open draft stands against its branch's head, by branch id, once read.
    public var draftBases: [String: DraftBaseStatus] = [:]

    /// An empty set.
    public init(items: [BranchSummary] = [], loaded: Bool = false, loading: Bool = false) {
        self.items = items
        self.loaded = loaded
        self.loading = loading
    }

    /// The live branch, if listed.
    public var live: BranchSummary? { items.first { $0.isLive } }
}
