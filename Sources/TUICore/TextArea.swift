/// A multi-line text input (descriptions): the `LineEditor` keys within a line, ↑/↓ between lines,
/// ^N for a new line (Enter submits the dialog), Backspace/Delete joining lines at their ends.
public struct TextArea: Hashable, Sendable {
    /// The lines.
    public private(set) var lines: [[Character]]
    /// The cursor's line.
    public private(set) var row: Int
    /// The cursor's column in characters.
    public private(set) var column: Int
    /// Longest accepted text in characters (line breaks count one each).
    public var maxLength: Int

    /// An area holding `text` with the cursor at its end.
    public init(_ text: String = "", maxLength: Int = 2000) {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if l.isEmpty { l = [[]] }
        lines = l
        row = l.count - 1
        column = l[l.count - 1].count
        self.maxLength = maxLength
    }

    /// The text, lines joined with `\n`.
    public var string: String { lines.map { String($0) }.joined(separator: "\n") }

    /// Characters in the text, line breaks included.
    public var count: Int { lines.reduce(0) { $0 + $1.count } + lines.count - 1 }

    /// Applies an editing key; returns false when it is not one.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .left, .ctrl("b"):
            if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
        case .right, .ctrl("f"):
            if column < lines[row].count { column += 1 } else if row < lines.count - 1 { row += 1; column = 0 }
        case .up, .ctrl("p"):
            guard row > 0 else { return true }
            row -= 1
            column = min(column, lines[row].count)
        case .down:
            guard row < lines.count - 1 else { return true }
            row += 1
            column = min(column, lines[row].count)
        case .home, .ctrl("a"): column = 0
        case .end, .ctrl("e"): column = lines[row].count
        case .backspace, .ctrl("h"):
            if column > 0 {
                lines[row].remove(at: column - 1)
                column -= 1
            } else if row > 0 {
                column = lines[row - 1].count
                lines[row - 1] += lines[row]
                lines.remove(at: row)
                row -= 1
            }
        case .delete, .ctrl("d"):
            if column < lines[row].count { lines[row].remove(at: column) } else if row < lines.count - 1 {
                lines[row] += lines[row + 1]
                lines.remove(at: row + 1)
            }
        case .ctrl("u"): lines[row].removeSubrange(0..<column); column = 0
        case .ctrl("k"): lines[row].removeSubrange(column..<lines[row].count)
        case .ctrl("n"):
            guard count < maxLength else { return true }
            let rest = Array(lines[row][column...])
            lines[row].removeSubrange(column...)
            lines.insert(rest, at: row + 1)
            row += 1
            column = 0
        case .char(let c):
            guard count < maxLength, !c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return true }
            lines[row].insert(c, at: column)
            column += 1
        default: return false
        }
        return true
    }
}
