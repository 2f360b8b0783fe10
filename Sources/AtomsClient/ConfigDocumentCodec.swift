import Foundation
import AtomsModels
import Yams

/// The format of an editable config document.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case yaml, json

    /// Guesses from a file name: `.json` is JSON, everything else YAML.
    public static func guess(path: String) -> DocumentFormat { path.lowercased().hasSuffix(".json") ? .json : .yaml }
}

/// Reads and writes config documents (request field names) as YAML or JSON, losslessly.
public enum ConfigDocumentCodec {
    /// JSON: a reserved top-level key holding the editor's header (JSON has no comments). `parse`
    /// removes it, so a file written by the editor can be used as is (`drafts patch --file x.json`).
    public static let jsonHeaderKey = "// atoms-tui"

    /// Renders a document.
    public static func render(_ doc: ConfigDocument, format: DocumentFormat) -> String {
        switch format {
        case .yaml: return ConfigYAML.render(doc)
        case .json:
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return (try? enc.encode(JSONValue.object(doc))).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
        }
    }

    /// Parses text into a document. Errors name the line and column. JSON: the reserved header key is
    /// removed, and whole-line `#` comments (the header of files written by older versions) are blanked
    /// before parsing, so line numbers still count lines of `text`.
    public static func parse(_ text: String, format: DocumentFormat) throws -> ConfigDocument {
        let value: JSONValue
        switch format {
        case .yaml:
            do {
                guard let node = try Yams.compose(yaml: text) else { return [:] }
                value = try jsonValue(node)
            } catch let e as YamlError {
                throw AtomsError(kind: .invalidInput, serverErrors: [describe(e)])
            }
        case .json:
            let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") ? "" : String($0) }
                .joined(separator: "\n")
            if stripped.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [:] }
            if let (line, column) = tooDeep(stripped) {
                throw AtomsError(kind: .invalidInput, serverErrors: [
                    "line \(line), column \(column): lists and mappings nested more than \(maxJSONDepth) deep — an agent config never needs that; look for a bracket repeated or left open there"])
            }
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(stripped.utf8))
            } catch {
                throw AtomsError(kind: .invalidInput, serverErrors: [describeJSON(error, text: stripped)])
            }
        }
        guard case .object(var o) = value else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["line 1, column 1: the document must be a mapping of config fields, not a \(value.typeName)"])
        }
        if format == .json { o[jsonHeaderKey] = nil }
        return o
    }

    static func jsonValue(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let s):
            switch node.tag.description {
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return node.bool.map(JSONValue.bool) ?? .string(s.string)
            case "tag:yaml.org,2002:int": return node.int.map { .number(Double($0)) } ?? .string(s.string)
            case "tag:yaml.org,2002:float": return node.float.map(JSONValue.number) ?? .string(s.string)
            default: return .string(s.string)
            }
        case .sequence(let seq):
            return .array(try seq.map(jsonValue))
        case .mapping(let map):
            var o: [String: JSONValue] = [:]
            for (k, v) in map {
                guard case .scalar(let ks) = k else {
                    throw AtomsError(kind: .invalidInput, serverErrors: ["line \((k.mark?.line ?? 0)), column \((k.mark?.column ?? 0)): keys must be plain strings"])
                }
                if o[ks.string] != nil {
                    throw AtomsError(kind: .invalidInput, serverErrors: ["line \(k.mark?.line ?? 0), column \(k.mark?.column ?? 0): duplicate key \"\(ks.string)\""])
                }
                o[ks.string] = try jsonValue(v)
            }
            return .object(o)
        case .alias:
            throw AtomsError(kind: .invalidInput, serverErrors: ["YAML aliases are not supported in config documents"])
        }
    }

    static func describe(_ e: YamlError) -> String {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let ctx = context.map { "\($0.text) " } ?? ""
            return "line \(mark.line), column \(mark.column): YAML syntax error: \(ctx)\(problem)"
        default:
            return "YAML error: \(e)"
        }
    }

    /// How deep JSON lists and mappings may nest. Foundation's own limit is 512, and its error path for it
    /// trapped on an input the fuzzer found (scripts/fuzz.sh, `config`); no agent config comes near this.
    static let maxJSONDepth = 128

    /// The line and column (1-based) of the bracket that opens level `maxJSONDepth + 1`, outside strings;
    /// nil when the text nests no deeper.
    static func tooDeep(_ text: String) -> (Int, Int)? {
        var depth = 0, line = 1, column = 0
        var inString = false, escaped = false
        for scalar in text.unicodeScalars {
            column += 1
            if scalar == "\n" { line += 1; column = 0; continue }
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"": inString = true
            case "[", "{":
                depth += 1
                if depth > maxJSONDepth { return (line, column) }
            case "]", "}": depth -= 1
            default: break
            }
        }
        return nil
    }

    static func describeJSON(_ error: Error, text: String) -> String {
        var detail = ""
        if case DecodingError.dataCorrupted(let ctx) = error {
            detail = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? ctx.debugDescription
        }
        // Some Foundations report "… around line L, column C." — keep that part when present.
        if let r = detail.range(of: "line [0-9]+, column [0-9]+", options: .regularExpression) {
            return "\(detail[r]): JSON syntax error"
        }
        // Others report only "… around character N." (a UTF-8 offset, from JSONSerialization): turn it into
        // the line and column the person sees.
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            let said = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            if let r = said.range(of: "character [0-9]+", options: .regularExpression),
               let offset = Int(said[r].dropFirst("character ".count)) {
                let bytes = Array(text.utf8.prefix(offset))
                let line = bytes.filter { $0 == 0x0A }.count + 1
                let lineStart = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
                let column = String(decoding: bytes[lineStart...], as: UTF8.self).count + 1
                let what = said.replacingOccurrences(of: #" around character [0-9]+\.?"#, with: "", options: .regularExpression)
                return "line \(line), column \(column): JSON syntax error\(what.isEmpty ? "" : " (\(what))")"
            }
        }
        return "JSON syntax error: \(detail.isEmpty ? "the text is not valid JSON" : detail)"
    }
}
