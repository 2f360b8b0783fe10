/// A list's cursor and scroll offset (index of the first visible row), both in filtered-row terms.
public struct ListPosition: Hashable, Sendable {
    /// The selected row.
    public var cursor: Int = 0
    /// The first visible row.
    public var scroll: Int = 0

    /// Builds a position at the top.
    public init(cursor: Int = 0, scroll: Int = 0) {
        self.cursor = cursor
        self.scroll = scroll
    }

    /// Clamps the cursor to `count` rows and scrolls so it stays visible in `visible` rows.
    public mutating func clamp(count: Int, visible: Int) {
        cursor = max(0, min(cursor, count - 1))
        let v = max(1, visible)
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + v { scroll = cursor - v + 1 }
        scroll = max(0, min(scroll, max(0, count - v)))
    }
}
