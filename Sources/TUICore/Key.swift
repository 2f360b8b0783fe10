/// A key press, decoded by the terminal layer from `get_wch` (or scripted in tests).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab
    case enter, escape, backspace, delete
    /// A printable character (letters, digits, punctuation, CJK, emoji…).
    case char(Character)
    /// Ctrl plus a lowercase ASCII letter (`.ctrl("z")` is Ctrl-Z).
    case ctrl(Character)
    /// The terminal was resized; the terminal layer follows it with `Msg.resized`.
    case resize
    /// A key the decoder does not name (raw curses key code).
    case unknown(Int)
    /// A mouse event at a cell (column `x`, row `y`).
    case mouse(MouseEvent)

    /// A short human name for legends, help and logs: `↑`, `PgDn`, `^Z`, `q`.
    public var description: String {
        switch self {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .resize: return "Resize"
        case .unknown(let n): return "key\(n)"
        case .mouse(let m): return "mouse \(m.kind.rawValue) at \(m.x),\(m.y)"
        }
    }
}

/// A mouse event the terminal reported (`--no-mouse` turns reporting off).
public struct MouseEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable {
        /// The (left) button was pressed.
        case click
        /// The wheel turned up / down.
        case wheelUp, wheelDown
    }

    /// Column.
    public var x: Int
    /// Row.
    public var y: Int
    /// What happened.
    public var kind: Kind

    /// Builds an event.
    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
