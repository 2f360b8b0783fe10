import Foundation

/// A v2 `expectedRevision` conflict from `PUT …/branches/{branchId}/draft`, from either body the API sends:
/// the rich one (`data.conflict.{expectedRevision, latestRevision, diffs}` + `errors` = leaf paths) or the
/// lean one (only `errors: ["section.field", …]`).
public struct DraftConflict: Sendable, Hashable {
    /// Conflicting leaf paths (`section.field…`), as the server listed them.
    public var paths: [String]
    /// The revision the edit was based on (rich body only).
    public var expectedRevision: Int?
    /// The draft's current revision (rich body only).
    public var latestRevision: Int?
    /// Per-field detail objects (rich body only; at least `section`).
    public var diffs: [JSONValue]
    /// True when it came from the rich body.
    public var isRich: Bool { expectedRevision != nil || latestRevision != nil || !diffs.isEmpty }

    /// Builds a conflict.
    public init(paths: [String], expectedRevision: Int? = nil, latestRevision: Int? = nil, diffs: [JSONValue] = []) {
        self.paths = paths
        self.expectedRevision = expectedRevision
        self.latestRevision = latestRevision
        self.diffs = diffs
    }

    /// The rich body's `data` object.
    public var richData: JSONValue {
        ["conflict": [
            "expectedRevision": expectedRevision.map { JSONValue.number(Double($0)) } ?? .null,
            "latestRevision": latestRevision.map { JSONValue.number(Double($0)) } ?? .null,
            "diffs": .array(diffs),
        ]]
    }

    /// Reads a 409 body: the rich shape when `data.conflict` is present; otherwise the lean shape when
    /// `errors` holds paths and the body is none of the other 409 flavours. Nil for other bodies.
    public static func parse(errors: [String], errorType: ErrorType?, data: JSONValue?) -> DraftConflict? {
        if errorType != nil { return nil }
        if let c = data?["conflict"], case .object = c {
            func int(_ k: String) -> Int? { c[k]?.numberValue.map { Int($0) } }
            return DraftConflict(paths: errors, expectedRevision: int("expectedRevision"), latestRevision: int("latestRevision"),
                                 diffs: c["diffs"]?.arrayValue ?? [])
        }
        guard !errors.isEmpty, !errors.contains(baseRevisionUnavailable) else { return nil }
        return DraftConflict(paths: errors)
    }

    /// The `errors` entry of the 409 sent when `expectedRevision` names a revision the branch does not have.
    public static let baseRevisionUnavailable = "base_revision_unavailable"

    /// The top-level request fields the paths fall in (`workflow_prompt.prompt` → `singlePromptConfig`,
    /// `voice.synthesizer.speed` → `synthesizer`, `workflow_prompt.globalPrompt` → `globalPrompt`).
    public var requestFields: [String] {
        var out = Set<String>()
        for p in paths {
            let parts = p.split(separator: ".").map(String.init)
            guard !parts.isEmpty else { continue }
            let rest = ConfigMapping.sections.contains(parts[0]) ? Array(parts.dropFirst()) : parts
            guard let first = rest.first else { continue }
            if (parts[0] == "workflow_prompt" && first == "prompt") || (parts[0] == "workflow_tools" && first == "tools") {
                out.insert("singlePromptConfig")
            } else {
                out.insert(first)
            }
        }
        return out.sorted()
    }
}
