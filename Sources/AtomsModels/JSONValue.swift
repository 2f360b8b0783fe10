import Foundation

/// A JSON value of any shape: the config documents, `_resolvedConfig`, diff values and any
/// field the typed models do not name are carried as `JSONValue` so nothing is lost.
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .number(Double(i)); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d):
            if let i = JSONValue.exactInteger(d) { try c.encode(i) } else { try c.encode(d) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The integer a double holds exactly, if any (so `16000` round-trips as `16000`, not `16000.0`).
    public static func exactInteger(_ d: Double) -> Int64? {
        guard d.isFinite, d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int64(d)
    }

    /// The string payload, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    /// The numeric payload, if this is a number.
    public var numberValue: Double? { if case .number(let d) = self { return d }; return nil }
    /// The boolean payload, if this is a boolean.
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The object payload, if this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    /// The array payload, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    /// True for `.null`.
    public var isNull: Bool { if case .null = self { return true }; return false }
    /// True for arrays and objects (values a diff shows element by element).
    public var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }

    /// Member lookup on objects; `nil` for other shapes.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A short name of the JSON type, for error messages ("string", "object", …).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Compact JSON text with sorted keys (stable; used in diffs and tables).
    public var description: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(self), let s = String(data: data, encoding: .utf8) else { return "?" }
        return s
    }

    /// Deep merge as the Atoms backend does it: objects merge key by key, everything else
    /// (arrays included) is replaced wholesale.
    public func merging(_ patch: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let p) = patch else { return patch }
        for (k, v) in p {
            if let existing = base[k] { base[k] = existing.merging(v) } else { base[k] = v }
        }
        return .object(base)
    }

    /// Leaf paths that differ between two values, in dot/bracket notation (`a.b`, `list[0].x`).
    /// Arrays of different lengths compare element-wise and report added/removed indices.
    public static func changedPaths(_ a: JSONValue?, _ b: JSONValue?, prefix: String = "") -> [(path: String, old: JSONValue?, new: JSONValue?)] {
        if a == b { return [] }
        switch (a, b) {
        case (.object(let oa)?, .object(let ob)?):
            var out: [(String, JSONValue?, JSONValue?)] = []
            for k in Set(oa.keys).union(ob.keys).sorted() {
                let p = prefix.isEmpty ? k : "\(prefix).\(k)"
                out += changedPaths(oa[k], ob[k], prefix: p)
            }
            return out
        default:
            return [(prefix, a, b)]
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// A config document: top-level field name → value (request field names unless said otherwise).
public typealias ConfigDocument = [String: JSONValue]
