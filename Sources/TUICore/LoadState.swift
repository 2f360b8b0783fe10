/// Something that is loading, loaded or failed.
public enum LoadState<Value: Sendable>: Sendable {
    case loading
    case loaded(Value)
    case failed(String)

    /// The loaded value, if any.
    public var value: Value? { if case .loaded(let v) = self { return v }; return nil }

    /// True while loading.
    public var isLoading: Bool { if case .loading = self { return true }; return false }
}
