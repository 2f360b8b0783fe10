import Foundation

/// Renders a config document as YAML a person can read and edit: multi-line strings (prompts) as
/// block scalars, a stable key order (prompt and first message first), unicode kept as is.
/// Parsing back is done with a YAML library by the client; this emitter only writes YAML that any
/// YAML 1.2 parser reads back to the same value.
public enum ConfigYAML {
    /// Top-level keys that come first, in this order; the rest follow alphabetically.
    public static let preferredOrder = ["singlePromptConfig", "prompt", "firstMessage", "globalPrompt", "tools",
                                        "slmModel", "language", "synthesizer"]

    /// The YAML text of a document (ends with a newline).
    public static func render(_ doc: ConfigDocument) -> String {
        var out = ""
        emitObject(doc, indent: 0, into: &out, topLevel: true)
        return out
    }

    /// The YAML text of any value at top level.
    public static func render(value: JSONValue) -> String {
        if case .object(let o) = value { return render(o) }
        var out = ""
        if case .array(let a) = value, !a.isEmpty {
            emitArray(a, indent: 0, into: &out)
            return out
        }
        emitScalarOrBlock(value, indent: 0, into: &out, afterKey: false)
        return out
    }

    static func orderedKeys(_ o: [String: JSONValue], topLevel: Bool) -> [String] {
        let order = topLevel ? preferredOrder : ["prompt", "type", "name", "description", "default", "supported", "switching"]
        return o.keys.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
    }

    static func emitObject(_ o: [String: JSONValue], indent: Int, into out: inout String, topLevel: Bool = false) {
        let pad = String(repeating: " ", count: indent)
        for k in orderedKeys(o, topLevel: topLevel) {
            let v = o[k]!
            out += pad + key(k) + ":"
            emitValue(v, indent: indent, into: &out)
        }
    }

    static func emitValue(_ v: JSONValue, indent: Int, into out: inout String) {
        switch v {
        case .object(let o) where !o.isEmpty:
            out += "\n"
            emitObject(o, indent: indent + 2, into: &out)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            emitArray(a, indent: indent, into: &out)
        default:
            emitScalarOrBlock(v, indent: indent + 2, into: &out, afterKey: true)
        }
    }

    static func emitArray(_ a: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in a {
            switch item {
            case .object(let o) where !o.isEmpty:
                var inner = ""
                emitObject(o, indent: indent + 2, into: &inner)
                // Replace the first line's indentation with "- ".
                let firstPad = String(repeating: " ", count: indent + 2)
                if inner.hasPrefix(firstPad) { inner = pad + "- " + inner.dropFirst(firstPad.count) }
                out += inner
            case .array(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                emitArray(inner, indent: indent + 2, into: &out)
            default:
                out += pad + "-"
                emitScalarOrBlock(item, indent: indent + 2, into: &out, afterKey: true)
            }
        }
    }

    static func emitScalarOrBlock(_ v: JSONValue, indent: Int, into out: inout String, afterKey: Bool) {
        let sep = afterKey ? " " : ""
        switch v {
        case .null: out += sep + "null\n"
        case .bool(let b): out += sep + (b ? "true" : "false") + "\n"
        case .number(let d):
            if let i = JSONValue.exactInteger(d) { out += sep + String(i) + "\n" } else { out += sep + String(d) + "\n" }
        case .string(let s):
            if isBlockCandidate(s) {
                let pad = String(repeating: " ", count: indent)
                let chomp = s.hasSuffix("\n") ? (s.hasSuffix("\n\n") ? "+" : "") : "-"
                let body = s.hasSuffix("\n") ? String(s.dropLast()) : s
                let lines = body.components(separatedBy: "\n")
                let needsIndicator = lines.first?.first == " "
                out += sep + "|" + (needsIndicator ? "2" : "") + chomp + "\n"
                for line in lines { out += line.isEmpty ? "\n" : pad + line + "\n" }
            } else {
                out += sep + scalar(s) + "\n"
            }
        case .array: out += sep + "[]\n"
        case .object: out += sep + "{}\n"
        }
    }

    /// Multi-line text without characters a block scalar cannot carry.
    static func isBlockCandidate(_ s: String) -> Bool {
        guard s.contains("\n") else { return false }
        for u in s.unicodeScalars {
            if u.value < 0x20 && u != "\n" { return false }
            if u.value == 0x7F || (0x80...0x9F).contains(u.value) || u == "\u{FEFF}" || u == "\u{2028}" || u == "\u{2029}" { return false }
        }
        // Trailing spaces on a line survive; a line of only spaces before text would change indentation detection.
        return !s.components(separatedBy: "\n").contains { !$0.isEmpty && $0.allSatisfy { $0 == " " } }
    }

    static func key(_ k: String) -> String { isPlainSafe(k) ? k : quoted(k) }

    static func scalar(_ s: String) -> String { isPlainSafe(s) ? s : quoted(s) }

    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", ""]

    static func isPlainSafe(_ s: String) -> Bool {
        if reserved.contains(s.lowercased()) { return false }
        if Double(s) != nil || s.hasPrefix("0x") || s.hasPrefix("0o") || s.hasPrefix(".") { return false }
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if " -?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) || last == " " || last == ":" { return false }
        if s.contains(": ") || s.contains(" #") || s.contains("\t") { return false }
        for u in s.unicodeScalars where u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0xFEFF {
            return false
        }
        return true
    }

    /// A double-quoted YAML scalar (JSON escapes are valid YAML escapes).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0xFEFF
                    || u.value == 0x2028 || u.value == 0x2029 {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
