/// A terminal size in cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Builds a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `120×32`.
    public var description: String { "\(width)×\(height)" }
}
