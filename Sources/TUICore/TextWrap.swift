/// Word wrapping by display width that remembers where each piece starts, so search matches can be
/// drawn on wrapped lines.
public enum TextWrap {
    /// One wrapped piece: its text and the `Character` offset in the line where it starts.
    public struct Piece: Hashable, Sendable {
        /// The text of the piece (spaces at the break dropped).
        public var text: String
        /// Where it starts in the line, in characters.
        public var offset: Int
        /// Blank columns drawn before it: a continuation of an indented line lines up under the line's
        /// text (`hangingIndent`), so wrapped YAML does not read as a new key at the margin.
        public var indent: Int = 0
    }

    /// `text` cut into pieces no wider than `width`, broken at spaces where a word fits (a word wider
    /// than the width is cut); at most `maxPieces` pieces (the rest is not looked at). An empty line is
    /// one empty piece. With `hangingIndent`, the pieces after the first start as far in as the line's
    /// leading spaces (at most half the width) and are that much narrower.
    public static func wrap(_ text: String, width: Int, maxPieces: Int = .max, hangingIndent: Bool = false) -> [Piece] {
        guard width > 0, maxPieces > 0 else { return [] }
        if DisplayWidth.of(text) <= width { return [Piece(text: text, offset: 0)] }
        let chars = Array(text)
        let lead = hangingIndent ? chars.prefix { $0 == " " }.count : 0
        let hang = lead < chars.count && lead <= width / 2 ? lead : 0
        let full = width
        var pieces: [Piece] = []
        var i = 0
        while i < chars.count, pieces.count < maxPieces {
            let width = pieces.isEmpty ? full : full - hang
            let indent = pieces.isEmpty ? 0 : hang
            var end = i, used = 0
            while end < chars.count {
                let w = DisplayWidth.of(chars[end])
                if used + w > width { break }
                used += w
                end += 1
            }
            if end == i { end = i + 1 }  // a character wider than the width: one per piece
            if end >= chars.count {
                pieces.append(Piece(text: String(chars[i..<chars.count]), offset: i, indent: indent))
                break
            }
            // Break after the last space in the piece (or at the space right after it).
            var cut = end
            if chars[end] != " " {
                var s = end - 1
                while s > i, !(chars[s] == " " && chars[s - 1] != " ") { s -= 1 }
                // Moving a word that is wider than a whole line anyway would only leave a gap: cut it here.
                var wordEnd = s + 1
                while wordEnd < chars.count, chars[wordEnd] != " " { wordEnd += 1 }
                let wordWidth = s > i ? chars[(s + 1)..<wordEnd].reduce(0) { $0 + DisplayWidth.of($1) } : 0
                if s > i, wordWidth <= width { cut = s }
            }
            var last = cut
            while last > i, chars[last - 1] == " " { last -= 1 }
            if last == i { last = end; cut = end }  // nothing but spaces before the break: cut hard
            pieces.append(Piece(text: String(chars[i..<last]), offset: i, indent: indent))
            i = cut
            while i < chars.count, chars[i] == " " { i += 1 }
        }
        return pieces
    }
}
