/// Makes server-supplied text (names, labels, prompts) inert before it is drawn: nothing it contains
/// can reach the terminal as a control character or escape sequence, and nothing can reorder or hide text.
///
/// * ESC → `␛`, other C0 controls → their Control Pictures (`␀`…`␟`), DEL → `␡`, newline → `␤`;
/// * C1 controls (U+0080–U+009F, e.g. CSI U+009B) → `�`;
/// * bidi embeddings/overrides/isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) → `�`;
/// * zero-width and invisible format characters (U+200B, U+2060–U+2064, U+FEFF, U+00AD, U+180E) → `�`;
///   a zero-width joiner between two emoji is kept out of the text (the emoji are drawn side by side);
/// * other format characters (general category Cf), line/paragraph separators and private-use code points
///   in the surrogate range do not survive either.
public enum Sanitizer {
    /// The replacement for invisible or reordering characters.
    public static let placeholder: Character = "\u{FFFD}"

    /// The sanitized single-line form of `text`. Linear in the input; `maxCharacters` (if given)
    /// truncates with `…` so a 100,000-character line cannot cost more than it shows.
    public static func sanitize(_ text: String, maxCharacters: Int? = nil) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if let m = maxCharacters, count >= m { out.append("…"); break }
            let s = scalars[i]
            if let r = replacement(for: s, previous: i > 0 ? scalars[i - 1] : nil, next: i + 1 < scalars.count ? scalars[i + 1] : nil) {
                if let r { out.append(r); count += 1 }
            } else {
                out.append(s)
                count += 1
            }
            i += 1
        }
        return String(out)
    }

    /// Splits multi-line text into sanitized lines (`\n`, `\r\n` and `\r` end lines; tabs become
    /// two spaces so indentation survives).
    public static func sanitizeLines(_ text: String) -> [String] {
        let normalized = text.replacingAll("\r\n", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            line.split(separator: "\r", omittingEmptySubsequences: false)
        }.map { sanitize(String($0).replacingAll("\t", with: "  ")) }
    }

    /// True when `text` needs no change (plain printable ASCII, or text with no character this
    /// sanitizer would replace). Cheap fast path for drawing.
    public static func isInert(_ text: String) -> Bool {
        for u in text.utf8 where u < 0x20 || u >= 0x7F {
            return slowIsInert(text)
        }
        return true
    }

    private static func slowIsInert(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if replacement(for: s, previous: i > 0 ? scalars[i - 1] : nil, next: i + 1 < scalars.count ? scalars[i + 1] : nil) != nil {
                return false
            }
        }
        return true
    }

    /// nil: keep the scalar; .some(nil): drop it; .some(x): replace it with x.
    private static func replacement(for s: Unicode.Scalar, previous: Unicode.Scalar?, next: Unicode.Scalar?) -> Unicode.Scalar?? {
        let v = s.value
        switch v {
        case 0x1B: return .some("␛")
        case 0x0A: return .some("␤")
        case 0x00..<0x20: return .some(Unicode.Scalar(0x2400 + v)!)
        case 0x7F: return .some("␡")
        case 0x80...0x9F: return .some(Unicode.Scalar(0xFFFD)!)
        case 0x200D:
            // Zero-width joiner: dropped inside emoji sequences, shown elsewhere.
            if let p = previous, let n = next, isPictographic(p), isPictographic(n) { return .some(nil) }
            return .some(Unicode.Scalar(0xFFFD)!)
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C,
             0x200B, 0x200C, 0x2060...0x2064, 0xFEFF, 0x00AD, 0x180E, 0x2028, 0x2029:
            return .some(Unicode.Scalar(0xFFFD)!)
        default:
            // Fast paths: no format character (Cf) lies below U+0600 but the soft hyphen (handled above),
            // nor between U+2100 and U+FEFE (letterlike symbols, arrows, box drawing, CJK, Hangul…) — the
            // Unicode property lookup below is most of a frame's cost otherwise.
            if v < 0x0600 || (v >= 0x2100 && v < 0xFEFF) { return nil }
            if v >= 0xFFF9 && v <= 0xFFFB { return .some(Unicode.Scalar(0xFFFD)!) }
            if v >= 0xE0000 && v <= 0xE007F { return .some(nil) }  // tag characters: invisible
            if s.properties.generalCategory == .format { return .some(Unicode.Scalar(0xFFFD)!) }
            return nil
        }
    }

    private static func isPictographic(_ s: Unicode.Scalar) -> Bool {
        s.properties.isEmoji && s.value > 0xFF || (s.value >= 0x1F3FB && s.value <= 0x1F3FF) || s.value == 0xFE0F
    }
}

extension String {
    /// Replaces every occurrence of `target` (non-empty) with `replacement`, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
