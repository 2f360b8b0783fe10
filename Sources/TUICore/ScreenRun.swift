/// A horizontal run of changed cells with one style: what the terminal writes for a frame update.
public struct ScreenRun: Hashable, Sendable {
    /// Row.
    public var y: Int
    /// First column.
    public var x: Int
    /// The text to write (continuation cells omitted).
    public var text: String
    /// Cells covered (wide characters count 2).
    public var cells: Int
    /// Style of every cell in the run.
    public var style: Style

    /// Builds a run.
    public init(y: Int, x: Int, text: String, cells: Int, style: Style) {
        self.y = y
        self.x = x
        self.text = text
        self.cells = cells
        self.style = style
    }
}

extension Screen {
    /// The runs to write to turn `previous` into this frame: only changed cells, grouped by row and
    /// style. With no previous frame (or a different size) every cell is written.
    public func changes(from previous: Screen?) -> [ScreenRun] {
        let full = previous == nil || previous!.width != width || previous!.height != height
        var runs: [ScreenRun] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                let i = y * width + x
                let changed = full || cells[i] != previous!.cells[i] || (cells[i].isContinuation && x > 0 && cells[i - 1] != previous!.cells[i - 1])
                if !changed { x += 1; continue }
                // Start a run; a continuation cell belongs to the wide character on its left.
                var start = x
                if cells[y * width + start].isContinuation, start > 0 { start -= 1 }
                let style = cells[y * width + start].style
                var text = ""
                var end = start
                while end < width {
                    let c = cells[y * width + end]
                    if c.style != style { break }
                    if !full && end > x && !c.isContinuation {
                        // Stop at the first unchanged (non-continuation) cell.
                        let j = y * width + end
                        let next = c.width == 2 && end + 1 < width ? j + 1 : j
                        if c == previous!.cells[j] && cells[next] == previous!.cells[next] { break }
                    }
                    if !c.isContinuation { text.append(c.character) }
                    end += 1
                }
                if end == start { end = start + 1; text = String(cells[y * width + start].character) }
                runs.append(ScreenRun(y: y, x: start, text: text, cells: end - start, style: style))
                x = end
            }
        }
        return runs
    }

    /// The rows that differ from `previous` (all rows when sizes differ).
    public func changedRows(from previous: Screen) -> [Int] {
        guard previous.width == width, previous.height == height else { return Array(0..<height) }
        return (0..<height).filter { y in
            cells[(y * width)..<((y + 1) * width)] != previous.cells[(y * width)..<((y + 1) * width)]
        }
    }
}
