import Foundation
import AtomsModels

/// The header of a pulled config file (`DIR/<slug>.atoms.yaml`): which agent it is and which
/// version/revision it was pulled from (the base of `plan`'s three-way comparison).
public struct AgentConfigHeader: Sendable, Equatable, Codable {
    /// The agent's id; `nil` in a file written by hand for an agent that does not exist yet.
    public var agentId: String?
    public var agentName: String?
    public var api: APIGeneration?
    /// v2: the branch the file tracks (name and id).
    public var branchName: String?
    public var branchId: String?
    /// The version (v1) / revision (v2) the document was pulled from or last pushed as.
    public var baseId: String?
    public var baseNumber: Int?
    /// `sha256:<hex>` of the base document as rendered by `ConfigYAML`.
    public var baseHash: String?

    /// Builds a header.
    public init(agentId: String? = nil, agentName: String? = nil, api: APIGeneration? = nil, branchName: String? = nil,
                branchId: String? = nil, baseId: String? = nil, baseNumber: Int? = nil, baseHash: String? = nil) {
        self.agentId = agentId
        self.agentName = agentName
        self.api = api
        self.branchName = branchName
        self.branchId = branchId
        self.baseId = baseId
        self.baseNumber = baseNumber
        self.baseHash = baseHash
    }

    /// `v12` (v1) or `r4` (v2), when known.
    public var baseLabel: String? { baseNumber.map { (api == .v2 ? "r" : "v") + String($0) } }
}

/// A config file: the header (comment lines) over the config document in the editor's YAML.
/// The whole text is valid YAML (the header is comments), so any YAML tool reads the document.
public struct AgentConfigFile: Sendable, Equatable {
    public var header: AgentConfigHeader
    public var document: ConfigDocument

    /// The file name suffix.
    public static let suffix = ".atoms.yaml"
    /// The first line of every file this tool writes.
    static let marker = "# atoms-tui agent config"

    /// Builds a file.
    public init(header: AgentConfigHeader, document: ConfigDocument) {
        self.header = header
        self.document = document
    }

    /// `sha256:<hex>` of a document's canonical rendering (the YAML this tool writes; keys are ordered,
    /// so equal documents hash alike).
    public static func contentHash(_ doc: ConfigDocument) -> String {
        "sha256:" + SHA256Digest.hex(Array(ConfigYAML.render(doc).utf8))
    }

    /// The file's text.
    public func render() -> String {
        var lines = ["\(Self.marker) — edit the fields below, then `atoms-tui plan` and `atoms-tui push`.",
                     "# The lines starting with '#' are managed by atoms-tui; do not edit them (a new agent needs only agent-name)."]
        func add(_ key: String, _ value: String?) { if let value { lines.append("# \(key): \(value)") } }
        add("agent-id", header.agentId)
        add("agent-name", header.agentName.map(Self.quote))
        add("api", header.api?.rawValue)
        add("branch", header.branchName.map(Self.quote))
        add("branch-id", header.branchId)
        add("base-id", header.baseId)
        add("base-number", header.baseNumber.map(String.init))
        add("base-hash", header.baseHash)
        lines.append("#")
        return lines.joined(separator: "\n") + "\n" + ConfigYAML.render(document)
    }

    /// A JSON string literal (escapes control characters; YAML reads it alike).
    static func quote(_ s: String) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.withoutEscapingSlashes]
        return (try? enc.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// Parses a file: the `# key: value` header lines before the first other line, then the document.
    /// Errors name the line; unknown header keys are ignored (so a comment of one's own is fine).
    public static func parse(_ text: String) throws -> AgentConfigFile {
        var header = AgentConfigHeader()
        for (i, raw) in text.components(separatedBy: "\n").enumerated() {
            guard raw.hasPrefix("#") else { break }
            let body = raw.dropFirst().trimmingCharacters(in: .whitespaces)
            guard let colon = body.range(of: ": ") ?? (body.hasSuffix(":") ? body.range(of: ":", options: .backwards) : nil) else { continue }
            let key = String(body[..<colon.lowerBound])
            var value = String(body[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") {
                guard let s = try? JSONDecoder().decode(String.self, from: Data(value.utf8)) else {
                    throw AtomsError(kind: .invalidInput, serverErrors: ["line \(i + 1): header '\(key)' is not a valid quoted string"])
                }
                value = s
            }
            let v: String? = value.isEmpty ? nil : value
            switch key {
            case "agent-id": header.agentId = v
            case "agent-name": header.agentName = v
            case "api":
                guard let v else { break }
                guard let g = APIGeneration(rawValue: v) else {
                    throw AtomsError(kind: .invalidInput, serverErrors: ["line \(i + 1): api must be v1 or v2, not '\(v)'"])
                }
                header.api = g
            case "branch": header.branchName = v
            case "branch-id": header.branchId = v
            case "base-id": header.baseId = v
            case "base-number":
                guard let v else { break }
                guard let n = Int(v) else { throw AtomsError(kind: .invalidInput, serverErrors: ["line \(i + 1): base-number must be a number"]) }
                header.baseNumber = n
            case "base-hash": header.baseHash = v
            default: continue
            }
        }
        let document = try ConfigDocumentCodec.parse(text, format: .yaml)
        return AgentConfigFile(header: header, document: document)
    }

    // MARK: File names

    /// A file name stem for an agent name, in any script: lowercase ASCII letters and digits are kept,
    /// every run of other characters becomes one `-`, at most 60 characters. Empty when nothing is left.
    public static func slug(_ name: String) -> String {
        var out = ""
        var pendingDash = false
        for u in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(u) || ("0"..."9").contains(u) {
                let dash = pendingDash && !out.isEmpty
                if out.count + (dash ? 2 : 1) > 60 { break }
                if dash { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(u)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// File names (with the suffix) for agents: an agent that already has a file keeps it (`existing`:
    /// agent id → file name); the others get their slug, or slug + `-` + the id's last 6 characters when the
    /// slug is empty or taken. Assigned in id order, so the result does not depend on listing order.
    public static func fileNames(for agents: [(id: String, name: String)], existing: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        var taken = Set(existing.values)
        for a in agents { if let f = existing[a.id] { out[a.id] = f } }
        for a in agents.sorted(by: { $0.id < $1.id }) where out[a.id] == nil {
            let stem = slug(a.name)
            let suffix = String(a.id.suffix(6)).lowercased()
            var candidates = [String]()
            if !stem.isEmpty { candidates.append(stem) }
            candidates.append(stem.isEmpty ? "agent-\(suffix)" : "\(stem)-\(suffix)")
            candidates.append(stem.isEmpty ? "agent-\(a.id.lowercased())" : "\(stem)-\(a.id.lowercased())")
            let pick = candidates.map { $0 + suffixString }.first { !taken.contains($0) } ?? "\(a.id)\(suffixString)"
            taken.insert(pick)
            out[a.id] = pick
        }
        return out
    }

    static var suffixString: String { suffix }
}
