/// A frame: a grid of cells that `render` fills and the terminal presents. Pure data.
public struct Screen: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]
    /// The clickable stretches drawn so far (`putKeys`, `addButton`); a `fill` over one removes it.
    public internal(set) var buttons: [ScreenButton] = []

    /// A blank screen of the given size (negative sizes count as 0).
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// A blank screen of the given size.
    public init(size: Size) { self.init(width: size.width, height: size.height) }

    /// The size.
    public var size: Size { Size(width: width, height: height) }

    /// The cell at column `x`, row `y` (blank outside the grid).
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Writes `text` at (`x`, `y`), clipped to `maxWidth` cells and to the screen; returns the cells used.
    /// Wide characters take two cells and are replaced by a space when only one cell is left; text is
    /// sanitized on the way, so nothing written here can reach the terminal as a control sequence.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int = .max, style: Style = .normal) -> Int {
        guard y >= 0, y < height, x < width, maxWidth > 0 else { return 0 }
        let limit = min(width, maxWidth == .max ? width : x + maxWidth)
        var col = x
        // Only what can show is looked at: a 4 MB line costs what a screen line costs.
        let room = max(0, limit - x)
        let visible = text.utf8.count > room * 16 + 256 ? String(text.prefix(room * 4 + 64)) : text
        let safe = Sanitizer.isInert(visible) ? visible : Sanitizer.sanitize(visible)
        for ch in safe {
            if col >= limit { break }
            if let a = ch.asciiValue {
                // The common case first, as cheap as it can be: one cell (controls are sanitized away).
                guard a >= 0x20 && a < 0x7F else { continue }
                if col >= 0 { set(col, y, Cell(character: ch, width: 1, style: style)) }
                col += 1
                continue
            }
            var scalars = ch.unicodeScalars.makeIterator()
            if let only = scalars.next(), scalars.next() == nil {
                guard place(ch, DisplayWidth.of(only), col: &col, y: y, limit: limit, style: style) else { break }
                continue
            }
            guard Screen.placeScalars(of: ch, { place($0, $1, col: &col, y: y, limit: limit, style: style) }) else { break }
        }
        return max(0, col - max(x, 0))
    }

    /// Places one cell's worth of text at `col` (advancing it); false once `limit` is reached.
    private mutating func place(_ ch: Character, _ w: Int, col: inout Int, y: Int, limit: Int, style: Style) -> Bool {
        if col >= limit { return false }
        if w == 0 { return true }
        if col < 0 { col += w; return true }
        if w >= 2 {
            if col + 1 >= limit {
                set(col, y, Cell(character: " ", width: 1, style: style))
                col += 1
                return false
            }
            set(col, y, Cell(character: ch, width: 2, style: style))
            set(col + 1, y, Cell(character: " ", width: 0, style: style))
            col += 2
        } else {
            set(col, y, Cell(character: ch, width: 1, style: style))
            col += 1
        }
        return true
    }

    /// A grapheme of several code points (an Indic conjunct with its vowel signs, an emoji sequence) is
    /// laid out the way curses and the terminals built on `wcwidth` lay it out: every code point with a
    /// width starts a cell of its own, and zero-width ones (virama, nuktas, ZWJ, variation selectors)
    /// join the cell before them. Kept as one cell of the grapheme's summed width, "ग्रा" (three cells on
    /// the terminal) was two here: every later partial update of the row then landed a cell off —
    /// stray glyphs, dropped letters. A zero-width code point with no cell before it is dropped.
    static func placeScalars(of ch: Character, _ place: (Character, Int) -> Bool) -> Bool {
        var piece = ""
        var pieceWidth = 0
        func flush() -> Bool {
            defer { piece = ""; pieceWidth = 0 }
            guard !piece.isEmpty else { return true }
            // A piece is a base and the marks on it: one grapheme (should it not be, its first one stands).
            guard let first = piece.first else { return true }
            return place(first, pieceWidth)
        }
        for scalar in ch.unicodeScalars {
            let w = DisplayWidth.of(scalar)
            if w == 0 {
                if !piece.isEmpty { piece.unicodeScalars.append(scalar) }
                continue
            }
            guard flush() else { return false }
            piece.unicodeScalars.append(scalar)
            pieceWidth = w
        }
        return flush()
    }

    /// Fills a rectangle with `character` in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, character: Character = " ", style: Style = .normal) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        if !buttons.isEmpty { buttons.removeAll { $0.y >= y0 && $0.y < y1 && $0.rect.x < x1 && $0.rect.x + $0.rect.width > x0 } }
        for row in y0..<y1 {
            for col in x0..<x1 { set(col, row, Cell(character: character, width: 1, style: style)) }
        }
    }

    /// Sets the style of existing cells in a row span (used for highlighting a whole row).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<max(max(0, x), min(width, x + w)) { cells[y * width + col].style = style }
    }

    /// Draws a box border with an optional title on its top edge.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String = "", style: Style = .border,
                             titleStyle: Style = .title) {
        guard w >= 2, h >= 2 else { return }
        put("┌", x: x, y: y, style: style)
        put("┐", x: x + w - 1, y: y, style: style)
        put("└", x: x, y: y + h - 1, style: style)
        put("┘", x: x + w - 1, y: y + h - 1, style: style)
        for col in (x + 1)..<(x + w - 1) {
            put("─", x: col, y: y, style: style)
            put("─", x: col, y: y + h - 1, style: style)
        }
        if h > 2 {
            for row in (y + 1)..<(y + h - 1) {
                put("│", x: x, y: row, style: style)
                put("│", x: x + w - 1, y: row, style: style)
            }
        }
        if !title.isEmpty, w > 4 {
            put(" " + title + " ", x: x + 1, y: y, maxWidth: w - 2, style: titleStyle)
        }
    }

    /// Replaces one cell as it is (no wide-character bookkeeping; for whole-screen passes like `makeASCII`).
    mutating func setCell(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = cell
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        // Overwriting half of a wide character blanks its other half, so no torn glyph is left.
        let old = cells[i]
        if old.width == 2, x + 1 < width, cell.width != 2 { cells[i + 1] = Cell(character: " ", width: 1, style: old.style) }
        if old.width == 0, x > 0 { cells[i - 1] = Cell(character: " ", width: 1, style: cells[i - 1].style) }
        cells[i] = cell
    }
}
