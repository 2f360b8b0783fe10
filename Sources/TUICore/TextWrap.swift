/// Word wrapping by display width that remembers where each piece starts, so search matches can be
/// drawn on wrapped lines.
public enum TextWrap {
    /// One wrapped piece: its text and the `Character` offset in the line where it starts.
    public struct Piece: Hashable, Sendable {
        /// The text of the piece (spaces at the break dropped).
        public var text: String
        /// Where it starts in the line, in characters.
        public var offset: Int
    }

    /// `text` cut into pieces no wider than `width`, broken at spaces where a word fits (a word wider
    /// than the width is cut); at most `maxPieces` pieces (the rest is not looked at). An empty line is
    /// one empty piece.
    public static func wrap(_ text: String, width: Int, maxPieces: Int = .max) -> [Piece] {
        guard width > 0, maxPieces > 0 else { return [] }
        if DisplayWidth.of(text) <= width { return [Piece(text: text, offset: 0)] }
        let chars = Array(text)
        var pieces: [Piece] = []
        var i = 0
        while i < chars.count, pieces.count < maxPieces {
            var end = i, used = 0
            while end < chars.count {
                let w = DisplayWidth.of(chars[end])
                if used + w > width { break }
                used += w
                end += 1
            }
            if end == i { end = i + 1 }  // a character wider than the width: one per piece
            if end >= chars.count {
                pieces.append(Piece(text: String(chars[i..<chars.count]), offset: i))
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
            pieces.append(Piece(text: String(chars[i..<last]), offset: i))
            i = cut
            while i < chars.count, chars[i] == " " { i += 1 }
        }
        return pieces
    }
}
