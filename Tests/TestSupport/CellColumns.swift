import Foundation
#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("wcwidth") private func c_wcwidth(_ c: Int32) -> Int32

/// Where text sits on a captured terminal row, in cells (what a mouse report names), measured with the
/// C library's `wcwidth` the way the terminal lays the row out.
public enum CellColumns {
    private static let locale: Void = { _ = setlocale(LC_CTYPE, "C.UTF-8") }()

    /// The cells `text` takes.
    public static func width(_ text: String) -> Int {
        _ = locale
        return text.unicodeScalars.reduce(0) { $0 + max(0, Int(c_wcwidth(Int32(bitPattern: $1.value)))) }
    }

    /// The column of the first cell of `needle` in `row`, nil when the row does not hold it.
    public static func column(of needle: String, in row: String) -> Int? {
        guard let r = row.range(of: needle) else { return nil }
        return width(String(row[..<r.lowerBound]))
    }

    /// The rightmost pane's part of a captured row of three boxed panes ("│…││…││…│"), nil for a row that
    /// is not a list row (titles and borders join panes with "┐┌" or "┘└").
    public static func rightPane<S: StringProtocol>(_ row: S) -> String? {
        let parts = String(row).components(separatedBy: "││")
        return parts.count > 1 ? parts.last : nil
    }
}
