/// One terminal cell. A wide character occupies its cell (`width` 2) and a continuation cell
/// (`width` 0) to its right.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn here (a space for blanks; ignored for continuation cells).
    public var character: Character
    /// Display width: 1, 2, or 0 for the right half of a wide character.
    public var width: UInt8
    /// The cell's role.
    public var style: Style

    /// A blank cell.
    public static let blank = Cell(character: " ", width: 1, style: .normal)

    /// Builds a cell.
    public init(character: Character, width: UInt8, style: Style) {
        self.character = character
        self.width = width
        self.style = style
    }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}
