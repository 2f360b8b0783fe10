/// Column-aligned text tables measured in display cells (CJK and emoji count 2), shared by the TUI
/// panes and the CLI's human-readable output. Cells are sanitized.
public struct TextTable: Sendable {
    /// How a column is aligned.
    public enum Alignment: Sendable { case left, right }

    /// Header titles (may be empty for no header row).
    public var headers: [String]
    /// Per-column alignment (missing entries are `.left`).
    public var alignments: [Alignment]
    /// The rows; short rows are padded with empty cells.
    public var rows: [[String]]
    /// Spaces between columns.
    public var gap: Int

    /// Builds a table.
    public init(headers: [String], alignments: [Alignment] = [], rows: [[String]] = [], gap: Int = 2) {
        self.headers = headers
        self.alignments = alignments
        self.rows = rows
        self.gap = gap
    }

    /// The column widths: the widest cell of each column, header included.
    public var columnWidths: [Int] {
        let n = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = Array(repeating: 0, count: n)
        for row in [headers] + rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(Sanitizer.sanitize(cell))) }
        }
        return widths
    }

    /// The rendered lines (header first when present), trailing spaces trimmed.
    /// When `maxWidth` is given, the last column is truncated with `…` to fit.
    public func lines(maxWidth: Int? = nil) -> [String] {
        var widths = columnWidths
        if let maxWidth, !widths.isEmpty {
            let fixed = widths.dropLast().reduce(0, +) + gap * (widths.count - 1)
            widths[widths.count - 1] = max(1, min(widths[widths.count - 1], maxWidth - fixed))
        }
        let all = (headers.isEmpty ? [] : [headers]) + rows
        return all.map { row in
            var line = ""
            for (i, w) in widths.enumerated() {
                let cell = i < row.count ? Sanitizer.sanitize(row[i]) : ""
                let right = i < alignments.count && alignments[i] == .right
                line += DisplayWidth.pad(cell, to: w, alignRight: right)
                if i < widths.count - 1 { line += String(repeating: " ", count: gap) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The rendered table as one string.
    public func render(maxWidth: Int? = nil) -> String { lines(maxWidth: maxWidth).joined(separator: "\n") }
}
