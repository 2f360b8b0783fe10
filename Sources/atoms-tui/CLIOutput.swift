import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// Printing helpers for the CLI: tables of sanitized server text, JSON, stderr.
enum CLIOutput {
    /// One message on stderr. It may quote the server (error messages, names), so every line is
    /// sanitized: no escape sequence or control character reaches the terminal from here.
    static func stderr(_ line: String) {
        let safe = Sanitizer.isInert(line.replacingOccurrences(of: "\n", with: ""))
            ? line : Sanitizer.sanitizeLines(line).joined(separator: "\n")
        FileHandle.standardError.write(Data((safe + "\n").utf8))
    }

    static func stdout(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Pretty JSON of any Encodable (server text stays raw here, correctly escaped).
    static func json<T: Encodable>(_ value: T) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? enc.encode(value) { stdout(escapingInvisibles(String(decoding: data, as: UTF8.self)) + "\n") }
    }

    /// JSON escapes C0 controls itself; this also writes DEL, C1 controls, bidi controls, zero-width and
    /// other format characters and line/paragraph separators as `\uXXXX` — the same JSON value, but
    /// nothing in it can act on a terminal that shows it. They only occur inside strings, so this is safe.
    static func escapingInvisibles(_ json: String) -> String {
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            let v = s.value
            let invisible = (0x7F...0x9F).contains(v) || s.properties.generalCategory == .format
                || v == 0x2028 || v == 0x2029 || v == 0xFEFF
            if invisible {
                out.append(contentsOf: String(format: "\\u%04X", v).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// An aligned table; every cell is sanitized and measured in display cells.
    static func table(_ header: [String], _ rows: [[String]]) {
        // A cell is cut at 80 display cells (…): one 100,000-character name must not widen every row.
        let capped = rows.map { $0.map { DisplayWidth.truncate(Sanitizer.sanitize($0, maxCharacters: 200), to: 80) } }
        let lines = TextTable(headers: header, rows: capped).lines()
        stdout(lines.joined(separator: "\n") + "\n")
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// The CLI's wording rules: names in straight double quotes, sentences that start with a capital.
enum CLIText {
    /// `s` with its first letter upper-cased, unless its first word is a name (`bad.yaml`, `v3's`, a path,
    /// a flag, a quote, a camelCase key): see `MessageText.sentence`.
    static func sentence(_ s: String) -> String { MessageText.sentence(s) }

    /// `1 edit`, `2 edits`: a count with its noun in the right number (`plural` when not noun + "s").
    static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }

    /// A server-supplied name for a message: sanitized, in straight double quotes.
    static func quoted(_ name: String) -> String { "\"\(Sanitizer.sanitize(name))\"" }
}
