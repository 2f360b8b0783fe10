import Foundation

/// A search inside a text (the detail area, the help overlay or the message log): the query, the line
/// editor while it is typed, and which match is current. Matches are found again from the text each time
/// they are needed, so they always belong to what is on screen.
public struct TextSearch: Hashable, Sendable {
    /// The query as typed.
    public var query: String
    /// The editor while the query is being typed (nil once Enter kept it).
    public var editor: LineEditor?
    /// The index of the current match.
    public var current: Int = 0

    /// A search whose query is being typed.
    public init(typing text: String = "") {
        query = text
        editor = LineEditor(text, maxLength: 100)
    }

    /// True while the query is being typed.
    public var isTyping: Bool { editor != nil }
}

/// One match: a line, and the characters it covers in that line.
public struct TextMatch: Hashable, Sendable {
    /// Index of the line.
    public var line: Int
    /// First character (a `Character` offset into the line).
    public var start: Int
    /// Characters covered.
    public var length: Int

    /// Builds a match.
    public init(line: Int, start: Int, length: Int) {
        self.line = line
        self.start = start
        self.length = length
    }
}

/// Case- and accent-insensitive matching.
public enum TextMatcher {
    /// A character as compared: lowercased, accents and other combining marks removed (`É` → `e`).
    static func fold(_ c: Character) -> String {
        if c.isASCII { return String(c).lowercased() }
        return String(c).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The query as compared: one folded string per character, characters that fold to nothing dropped.
    static func foldedQuery(_ query: String) -> [String] {
        query.map(fold).filter { !$0.isEmpty }
    }

    /// Every non-overlapping match of `query` in `lines`, in reading order.
    public static func matches(of query: String, in lines: [String]) -> [TextMatch] {
        let q = foldedQuery(query)
        guard !q.isEmpty else { return [] }
        var out: [TextMatch] = []
        for (i, line) in lines.enumerated() {
            let chars = Array(line)
            guard chars.count >= q.count else { continue }
            let folded = chars.map(fold)
            var start = 0
            while start + q.count <= folded.count {
                var ok = true
                for k in 0..<q.count where folded[start + k] != q[k] { ok = false; break }
                if ok {
                    out.append(TextMatch(line: i, start: start, length: q.count))
                    start += q.count
                } else {
                    start += 1
                }
            }
        }
        return out
    }
}
