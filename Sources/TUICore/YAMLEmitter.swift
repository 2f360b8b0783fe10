import AtomsModels

/// Emits a config document as readable YAML: multi-line strings as `|` block scalars, keys in a
/// stable order with the prompt and the first message first, everything else alphabetical.
/// The output is the raw text (not sanitized): the editor round trip needs it verbatim; the TUI
/// sanitizes each line when drawing. Strings with control characters are double-quoted with escapes.
public enum YAMLEmitter {
    /// Keys placed first (in this order) wherever they occur; the rest follow alphabetically.
    public static let leadingKeys = ["name", "singlePromptConfig", "prompt", "globalPrompt", "firstMessage", "tools"]

    /// The YAML text of a document (ends with a newline; `{}` for an empty document).
    public static func emit(_ document: ConfigDocument) -> String {
        if document.isEmpty { return "{}\n" }
        var out = ""
        emitObject(document, indent: 0, into: &out)
        return out
    }

    /// The YAML text of any JSON value.
    public static func emit(_ value: JSONValue) -> String {
        switch value {
        case .object(let o): return emit(o)
        case .array(let a) where !a.isEmpty:
            var out = ""
            emitArray(a, indent: 0, into: &out)
            return out
        default: return scalar(value) + "\n"
        }
    }

    /// `keys` in emitter order.
    public static func orderedKeys<S: Sequence>(_ keys: S) -> [String] where S.Element == String {
        let all = Array(keys)
        let lead = leadingKeys.filter(all.contains)
        return lead + all.filter { !leadingKeys.contains($0) }.sorted()
    }

    private static func emitObject(_ o: [String: JSONValue], indent: Int, into out: inout String, firstLinePrefix: String? = nil) {
        let pad = String(repeating: " ", count: indent)
        for (i, key) in orderedKeys(o.keys).enumerated() {
            let prefix = (i == 0 && firstLinePrefix != nil) ? firstLinePrefix! : pad
            out += prefix + keyText(key) + ":"
            emitValue(o[key]!, indent: indent, into: &out)
        }
    }

    /// Emits the value after `key:` (on the same line for scalars, nested below otherwise).
    private static func emitValue(_ v: JSONValue, indent: Int, into out: inout String) {
        switch v {
        case .object(let o) where !o.isEmpty:
            out += "\n"
            emitObject(o, indent: indent + 2, into: &out)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            emitArray(a, indent: indent, into: &out)
        case .string(let s) where isBlockCandidate(s):
            out += " " + blockScalar(s, indent: indent + 2)
        default:
            out += " " + scalar(v) + "\n"
        }
    }

    private static func emitArray(_ a: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in a {
            switch item {
            case .object(let o) where !o.isEmpty:
                emitObject(o, indent: indent + 2, into: &out, firstLinePrefix: pad + "- ")
            case .array(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                emitArray(inner, indent: indent + 2, into: &out)
            case .string(let s) where isBlockCandidate(s):
                out += pad + "- " + blockScalar(s, indent: indent + 2)
            default:
                out += pad + "- " + scalar(item) + "\n"
            }
        }
    }

    private static func isBlockCandidate(_ s: String) -> Bool {
        s.contains("\n") && !s.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{FEFF}" || $0 == "\r" }
    }

    /// `|`, `|-` or `|+` (with an indentation indicator when the first line starts with a space), then the lines.
    private static func blockScalar(_ s: String, indent: Int) -> String {
        var trailing = 0
        var body = s[...]
        while body.last == "\n" { body.removeLast(); trailing += 1 }
        let chomp = trailing == 0 ? "-" : (trailing == 1 ? "" : "+")
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let needsIndicator = lines.first.map { $0.first == " " || $0.first == "\t" } ?? false
        let pad = String(repeating: " ", count: indent)
        var out = "|" + (needsIndicator ? "2" : "") + chomp + "\n"
        for line in lines { out += line.isEmpty ? "\n" : pad + line + "\n" }
        if trailing > 1 { out += String(repeating: "\n", count: trailing - 1) }
        return out
    }

    private static func keyText(_ k: String) -> String { isPlainSafe(k) ? k : quoted(k) }

    /// A flow scalar: plain when unambiguous, otherwise double-quoted.
    public static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d):
            if let i = JSONValue.exactInteger(d) { return String(i) }
            return d.isFinite ? String(d) : ".nan"
        case .string(let s): return isPlainSafe(s) ? s : quoted(s)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    private static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]

    private static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first == " " || last == " " { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if reserved.contains(s.lowercased()) { return false }
        if Double(s) != nil || s.hasPrefix(".") || s.hasPrefix("0x") || s.hasPrefix("0o") { return false }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return false }
        for u in s.unicodeScalars where u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u == "\u{FEFF}" {
            return false
        }
        return true
    }

    /// A double-quoted scalar with YAML escapes for controls (`\e`, `\n`, `\t`, `\x..`, `\u....`).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{1B}": out += "\\e"
            case "\u{0}": out += "\\0"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) {
                    out += "\\x" + hex(u.value, 2)
                } else if u == "\u{FEFF}" || u == "\u{2028}" || u == "\u{2029}" {
                    out += "\\u" + hex(u.value, 4)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ v: UInt32, _ digits: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }
}
