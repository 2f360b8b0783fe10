/// A one-line text input with the usual editing keys: ←/→, Home/End (^A/^E), Backspace, Delete (^D),
/// ^U (kill to start), ^K (kill to end), ^W (delete word), and printable characters inserted at the cursor.
public struct LineEditor: Hashable, Sendable {
    /// The text.
    public private(set) var text: [Character]
    /// Cursor position in characters (0…text.count).
    public private(set) var cursor: Int
    /// Longest accepted text, in characters.
    public var maxLength: Int

    /// An editor holding `text` with the cursor at its end.
    public init(_ text: String = "", maxLength: Int = 100) {
        self.text = Array(text.prefix(maxLength))
        self.cursor = self.text.count
        self.maxLength = maxLength
    }

    /// The text as a string.
    public var string: String { String(text) }

    /// Applies an editing key; returns false when the key is not an editing key (Enter, Esc, arrows up/down…).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace, .ctrl("h"):
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("u"): text.removeSubrange(0..<cursor); cursor = 0
        case .ctrl("k"): text.removeSubrange(cursor..<text.count)
        case .ctrl("w"):
            var i = cursor
            while i > 0, text[i - 1] == " " { i -= 1 }
            while i > 0, text[i - 1] != " " { i -= 1 }
            text.removeSubrange(i..<cursor)
            cursor = i
        case .char(let c):
            guard text.count < maxLength, !c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return true }
            text.insert(c, at: cursor)
            cursor += 1
        default: return false
        }
        return true
    }
}
