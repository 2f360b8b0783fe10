import Foundation
import Yams

/// The official OpenAPI spec (`../shared/reference/atoms-openapi.yaml` beside the repository),
/// parsed with Yams, with `$ref` resolution and example synthesis for response schemas.
struct SpecDocument {
    let root: [String: Any]

    /// Where the spec lives: `$ATOMS_OPENAPI_SPEC`, else `../shared/reference/atoms-openapi.yaml`
    /// beside the repository when present, else the copy in the repository (`spec/atoms-openapi.yaml`).
    static var defaultPath: String {
        if let p = ProcessInfo.processInfo.environment["ATOMS_OPENAPI_SPEC"], !p.isEmpty { return p }
        let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/atoms-openapi.yaml").path
        if FileManager.default.fileExists(atPath: shared) { return shared }
        return repositoryRoot.appendingPathComponent("spec/atoms-openapi.yaml").path
    }

    /// The repository root (two levels above this file's directory).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "the official OpenAPI spec is not at \(path); it belongs at ../shared/reference/atoms-openapi.yaml "
                + "beside the repository (or set ATOMS_OPENAPI_SPEC)"
        }
    }

    init(path: String = SpecDocument.defaultPath) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any] else {
            throw Missing(path: path + " (not a YAML mapping)")
        }
        self.root = root
    }

    /// The operation object at `paths[path][method]`.
    func operation(_ method: String, _ path: String) -> [String: Any]? {
        ((root["paths"] as? [String: Any])?[path] as? [String: Any])?[method.lowercased()] as? [String: Any]
    }

    /// Every `(METHOD, path)` pair under `paths` accepted by `filter`.
    func operations(where filter: (String) -> Bool) -> [(method: String, path: String)] {
        var out: [(String, String)] = []
        for (path, item) in (root["paths"] as? [String: Any]) ?? [:] where filter(path) {
            for method in ["get", "post", "put", "patch", "delete"] where (item as? [String: Any])?[method] != nil {
                out.append((method.uppercased(), path))
            }
        }
        return out.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    /// Follows `$ref` chains.
    func resolve(_ node: Any?) -> Any? {
        var node = node
        var hops = 0
        while let dict = node as? [String: Any], let ref = dict["$ref"] as? String, ref.hasPrefix("#/"), hops < 50 {
            var cur: Any? = root
            for part in ref.dropFirst(2).split(separator: "/") {
                cur = (cur as? [String: Any])?[part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
            }
            node = cur
            hops += 1
        }
        return node
    }

    /// `(status, JSON schema)` of every response of an operation that declares an
    /// `application/json` body.
    func jsonResponses(_ method: String, _ path: String) -> [(status: Int, schema: Any)] {
        guard let op = operation(method, path), let responses = op["responses"] as? [String: Any] else { return [] }
        var out: [(Int, Any)] = []
        for (key, value) in responses {
            guard let status = Int(key), let resp = resolve(value) as? [String: Any],
                  let content = resp["content"] as? [String: Any],
                  let media = content["application/json"] as? [String: Any], let schema = media["schema"] else { continue }
            out.append((status, schema))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// How nullable members are filled when a schema gives no example.
    enum NullPolicy { case values, nulls }

    /// An example instance of `schema`, as documentation renderers build one: the schema's own
    /// `example` where it has one, else its `default`, first `enum` value, or a value of its type
    /// (objects get every declared property; arrays one item). With `.nulls`, every nullable
    /// member without an example is `null` instead.
    func example(_ schema: Any?, nulls: NullPolicy = .values, depth: Int = 0) -> Any {
        guard depth < 24, let s = resolve(schema) as? [String: Any] else { return NSNull() }
        if let e = s["example"] { return e }
        if nulls == .nulls, s["nullable"] as? Bool == true { return NSNull() }
        if let all = s["allOf"] as? [Any] {
            var merged: [String: Any] = [:]
            var other: Any?
            for part in all {
                let v = example(part, nulls: nulls, depth: depth + 1)
                if let o = v as? [String: Any] { merged.merge(o) { a, _ in a } } else { other = v }
            }
            if let p = s["properties"] as? [String: Any] {
                for (k, v) in p where merged[k] == nil { merged[k] = example(v, nulls: nulls, depth: depth + 1) }
            }
            return merged.isEmpty ? (other ?? merged) : merged
        }
        if let one = (s["oneOf"] as? [Any]) ?? (s["anyOf"] as? [Any]), let first = one.first {
            return example(first, nulls: nulls, depth: depth + 1)
        }
        if let d = s["default"] { return d }
        if let e = s["enum"] as? [Any], let first = e.first { return first }
        let type = s["type"] as? String ?? (s["properties"] != nil ? "object" : "")
        switch type {
        case "object":
            var out: [String: Any] = [:]
            for (k, v) in (s["properties"] as? [String: Any]) ?? [:] { out[k] = example(v, nulls: nulls, depth: depth + 1) }
            return out
        case "array":
            return [example(s["items"], nulls: nulls, depth: depth + 1)]
        case "string":
            if s["format"] as? String == "date-time" { return "2026-08-21T10:00:00.000Z" }
            if let pattern = s["pattern"] as? String, pattern.contains("[a-f\\d]{24}") { return "66c0ffee0000000000000001" }
            return "string"
        case "integer": return (s["minimum"] as? Int).map { max($0, 1) } ?? 1
        case "number": return 1
        case "boolean": return true
        case "null": return NSNull()
        default: return NSNull()
        }
    }
}
