/// A stretch of a row that acts like a key when clicked: the key names in a dialog's footer
/// ("Enter publish · Esc cancel") and the legend's entries. Recorded while drawing, so what can be
/// clicked is exactly what the screen shows.
public struct ScreenButton: Hashable, Sendable {
    /// The cells covered (one row).
    public var rect: Rect
    /// The key a click stands for.
    public var key: Key

    /// The button's row.
    public var y: Int { rect.y }

    /// True when the cell (`col`, `row`) is on the button.
    public func contains(_ col: Int, _ row: Int) -> Bool {
        row == rect.y && col >= rect.x && col < rect.x + rect.width
    }
}

extension Screen {
    /// Records a clickable stretch (clipped to the screen; nothing outside it).
    public mutating func addButton(x: Int, y: Int, width: Int, key: Key) {
        guard y >= 0, y < height, width > 0, x < self.width else { return }
        let x0 = max(0, x), x1 = min(self.width, x + width)
        guard x0 < x1 else { return }
        buttons.append(ScreenButton(rect: Rect(x: x0, y: y, width: x1 - x0, height: 1), key: key))
    }

    /// The button under a cell; the one drawn last wins (a dialog over the legend).
    public func button(at col: Int, _ row: Int) -> ScreenButton? {
        buttons.last { $0.contains(col, row) }
    }

    /// Writes a key line ("Enter publish · Tab field · PgUp/PgDn diff · Esc cancel") like `put`, and
    /// makes each key name at the start of a segment a button: words made of key names joined by `/`
    /// (`c/Esc`, `j/k`), a trailing comma dropped, `or` skipped ("n, Esc or Enter cancel"), a leading
    /// "Press" skipped ("Press y to confirm"); the first
    /// other word ends the segment's keys. `continuation` says the row continues a wrapped line, so its
    /// start is not a segment start. Returns the cells used.
    @discardableResult
    public mutating func putKeys(_ text: String, x: Int, y: Int, maxWidth: Int = .max, style: Style = .normal,
                                 continuation: Bool = false) -> Int {
        let used = put(text, x: x, y: y, maxWidth: maxWidth, style: style)
        for b in Screen.keyButtons(in: text, continuation: continuation) where b.offset + b.width <= used {
            addButton(x: x + b.offset, y: y, width: b.width, key: b.key)
        }
        return used
    }

    /// The key names of a key line with their display offsets (see `putKeys`).
    static func keyButtons(in text: String, continuation: Bool = false) -> [(offset: Int, width: Int, key: Key)] {
        var result: [(offset: Int, width: Int, key: Key)] = []
        let chars = Array(text)
        var col = 0, i = 0
        var atSegmentStart = !continuation, inKeys = false
        while i < chars.count {
            // " · " starts a new segment.
            if chars[i] == "·", i == 0 || chars[i - 1] == " ", i + 1 == chars.count || chars[i + 1] == " " {
                atSegmentStart = true
                inKeys = false
                col += DisplayWidth.of(chars[i])
                i += 1
                continue
            }
            if chars[i] == " " {
                col += 1
                i += 1
                continue
            }
            // One word.
            var j = i
            while j < chars.count, chars[j] != " " { j += 1 }
            let word = String(chars[i..<j])
            let wordWidth = DisplayWidth.of(word)
            if atSegmentStart || inKeys {
                if inKeys, word == "or" {
                    // "n, Esc or Enter": keep reading keys.
                } else if atSegmentStart, word == "Press" {
                    // "Press y to confirm": the key follows.
                    col += wordWidth
                    i = j
                    continue
                } else if let keys = Screen.keyNames(word) {
                    var offset = col
                    for (name, key) in keys {
                        result.append((offset, DisplayWidth.of(name), key))
                        offset += DisplayWidth.of(name) + 1
                    }
                    inKeys = true
                } else {
                    inKeys = false
                }
                atSegmentStart = false
            }
            col += wordWidth
            i = j
        }
        return result
    }

    /// The keys a footer word names (`Enter`, `c/Esc`, `PgUp/PgDn`, `^N`, `n,`), or nil when it is a word.
    static func keyNames(_ word: String) -> [(String, Key)]? {
        var w = Substring(word)
        if w.count > 1, w.last == "," { w.removeLast() }
        let names = w.count > 1 ? w.split(separator: "/", omittingEmptySubsequences: false).map(String.init) : [String(w)]
        var keys: [(String, Key)] = []
        for name in names {
            guard let key = Screen.key(named: name) else { return nil }
            keys.append((name, key))
        }
        return keys.isEmpty ? nil : keys
    }

    /// A key written as legends and footers write it.
    static func key(named name: String) -> Key? {
        switch name {
        case "Enter": return .enter
        case "Esc": return .escape
        case "Tab": return .tab
        case "S-Tab": return .backTab
        case "PgUp": return .pageUp
        case "PgDn": return .pageDown
        case "Home": return .home
        case "End": return .end
        case "Space": return .char(" ")
        case "↑": return .up
        case "↓": return .down
        default: break
        }
        if name.count == 2, name.first == "^", let c = name.last, c.isLetter { return .ctrl(Character(c.lowercased())) }
        if name.count == 1, let c = name.first, !c.isWhitespace, c != "·", c != "[", c != "(" { return .char(c) }
        return nil
    }
}
