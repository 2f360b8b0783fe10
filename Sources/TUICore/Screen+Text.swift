extension Screen {
    /// The text of row `y`, wide characters once, trailing spaces trimmed.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width {
            let c = cells[y * width + x]
            if c.isContinuation { continue }
            s.append(c.character)
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// The whole screen as text, like `tmux capture-pane -p`: one line per row, trailing spaces trimmed.
    public var text: String {
        (0..<height).map(rowText).joined(separator: "\n")
    }

    /// The style runs of row `y` that are not `.normal`: `(start column, cell count, style)`.
    public func styleRuns(_ y: Int) -> [(start: Int, count: Int, style: Style)] {
        guard y >= 0, y < height else { return [] }
        var runs: [(Int, Int, Style)] = []
        var x = 0
        while x < width {
            let style = cells[y * width + x].style
            var end = x + 1
            while end < width, cells[y * width + end].style == style { end += 1 }
            if style != .normal { runs.append((x, end - x, style)) }
            x = end
        }
        return runs
    }

    /// Every row's style runs in a stable text form (`row 3: 0+20 selected, 22+4 passed`), for golden files.
    public var styleText: String {
        var lines: [String] = []
        for y in 0..<height {
            let runs = styleRuns(y)
            if runs.isEmpty { continue }
            lines.append("row \(y): " + runs.map { "\($0.start)+\($0.count) \($0.style.rawValue)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
