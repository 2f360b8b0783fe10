import Foundation
import AtomsModels

/// The two documented shapes of four config fields. `UpdateBranchDraftRequest` (v2 draft PUT) types
/// `timezone` as a string, and `speechFormatting`, `pronunciationDicts`, `callDispositionConfig` as
/// objects; `CreateAgentRequest` and the response schema `AgentDTO` type them as an object, a boolean,
/// an array and a string. The v2 draft PUT accepts either shape and stores the value as given; every
/// answer that carries a config (`GET /agent/{id}`, version and revision reads) shows the `AgentDTO`
/// shape. See docs/api-fidelity.md.
extension SimulatorStore {
    /// The four fields whose shapes differ between the two request schemas.
    static let dualShapeFields: Set<String> = ["timezone", "speechFormatting", "pronunciationDicts", "callDispositionConfig"]

    /// Validates a v2 draft partial: the four dual-shape fields in either documented shape, the rest
    /// as `CreateAgentRequest` types them.
    static func validateBranchDraftFields(_ doc: ConfigDocument) -> [String] {
        var errors: [String] = []
        var rest = doc
        for field in dualShapeFields.sorted() {
            guard let value = doc[field] else { continue }
            rest[field] = nil
            switch (field, value) {
            case ("timezone", .string(let id)):
                if TimeZone(identifier: id) == nil { errors.append("timezone: Invalid timezone '\(id)'") }
            case ("speechFormatting", .object), ("pronunciationDicts", .object), ("callDispositionConfig", .object):
                break
            default:
                if let schema = ConfigValidator.fields[field] {
                    var one: [String] = []
                    ConfigValidator.check(value, schema, path: field, into: &one)
                    if !one.isEmpty {
                        // Name both accepted shapes.
                        let alt = field == "timezone" ? "string" : "object"
                        errors += one.map { $0.replacingOccurrences(of: "Expected ", with: "Expected \(alt) or ") }
                    }
                }
            }
        }
        return errors + ConfigValidator.validateConfigFields(rest)
    }

    /// The config as the response schema (`AgentDTO`) shapes it: the branch-draft shapes of the four
    /// dual-shape fields converted; every other field as stored.
    static func answerShape(_ config: ConfigDocument, at date: Date = Date()) -> ConfigDocument {
        var out = config
        if case .string(let id)? = config["timezone"] {
            let minutes = TimeZone(identifier: id).map { $0.secondsFromGMT(for: date) / 60 } ?? 0
            out["timezone"] = ["label": .string(id), "offset": .number(Double(minutes))]
        }
        if case .object(let o)? = config["speechFormatting"] {
            out["speechFormatting"] = .bool(o["isEnabled"]?.boolValue ?? o["enabled"]?.boolValue ?? true)
        }
        if case .object(let o)? = config["pronunciationDicts"] {
            if let list = (o["items"] ?? o["entries"] ?? o["dicts"])?.arrayValue {
                out["pronunciationDicts"] = .array(list)
            } else {
                out["pronunciationDicts"] = .array(o.keys.sorted().compactMap { word in
                    o[word]?.stringValue.map { ["word": .string(word), "pronunciation": .string($0)] }
                })
            }
        }
        if case .object(let o)? = config["callDispositionConfig"] {
            if let prompt = o["prompt"]?.stringValue {
                out["callDispositionConfig"] = .string(prompt)
            } else {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                out["callDispositionConfig"] = .string((try? e.encode(JSONValue.object(o))).map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
        }
        return out
    }
}
