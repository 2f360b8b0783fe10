/// One prepared (sanitized) line of the detail area.
public struct DetailLine: Hashable, Sendable {
    /// The text (already sanitized).
    public var text: String
    /// Its role.
    public var style: Style

    /// Builds a line (`text` must already be sanitized).
    public init(_ text: String, style: Style = .normal) {
        self.text = text
        self.style = style
    }
}
