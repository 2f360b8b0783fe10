import AtomsClient
import AtomsModels
import Foundation
import TUICore

// Shared by the CLI (`pull`, `plan`, `push`, `promote`) and the TUI (agents whose live config differs from
// a pulled file are marked; `D` shows the plan): the files of a directory and the plan's words.

/// The `*.atoms.yaml` files of a directory (or named files), parsed.
public enum ConfigDirectory {
    public struct Loaded: Sendable {
        public var path: String
        public var file: AgentConfigFile?
        public var error: String?
        public var bytes: Data?
    }

    /// Every `*.atoms.yaml` directly in `dir`, sorted by name (a missing directory is empty).
    public static func paths(in dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(AgentConfigFile.suffix) }.sorted().map { (dir as NSString).appendingPathComponent($0) }
    }

    public static func load(_ path: String) -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Loaded(path: path, error: "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else { return Loaded(path: path, error: "\(path) is not UTF-8 text", bytes: data) }
        do {
            return Loaded(path: path, file: try AgentConfigFile.parse(text), bytes: data)
        } catch let e as AtomsError {
            return Loaded(path: path, error: "\(path): \(e.serverErrors.joined(separator: "; "))", bytes: data)
        } catch {
            return Loaded(path: path, error: "\(path): \(error)", bytes: data)
        }
    }

    /// Writes `text` unless the file already holds exactly these bytes. True when it wrote.
    public static func writeIfChanged(_ text: String, to path: String) throws -> Bool {
        let data = Data(text.utf8)
        if FileManager.default.contents(atPath: path) == data { return false }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        return true
    }
}

/// A plan entry in words: one head line ("≈ file · agent · base … · live … — remote changes only (drift)"),
/// then one line per changed field (multi-line text as a line diff). Sanitized.
public enum ConfigPlanText {
    public static func s(_ t: String, _ n: Int = 200) -> String { Sanitizer.sanitize(t, maxCharacters: n) }
    public static func value(_ v: JSONValue?) -> String { Sanitizer.sanitize(ThreeWayReview.short(v, limit: 120), maxCharacters: 200) }
    /// The values of one change, cut with one window so the difference shows on every side (sanitized).
    public static func values(_ vs: JSONValue?...) -> [String] {
        ThreeWayReview.shortSideBySide(vs, limit: 120).map { Sanitizer.sanitize($0, maxCharacters: 200) }
    }

    public static func marker(_ status: ConfigPlanEntry.Status) -> String {
        switch status {
        case .unchanged: return "="
        case .changes: return "~"
        case .drift: return "≈"
        case .conflict: return "!"
        case .new: return "+"
        case .missing: return "?"
        case .error: return "✗"
        }
    }

    public static func title(_ status: ConfigPlanEntry.Status) -> String {
        switch status {
        case .unchanged: return "no changes"
        case .changes: return "local changes to push"
        case .drift: return "remote changes only (drift)"
        case .conflict: return "CONFLICT"
        case .new: return "new agent"
        case .missing: return "missing locally"
        case .error: return "error"
        }
    }

    public static func lines(_ e: ConfigPlanEntry) -> [String] {
        var out: [String] = []
        let file = e.file.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "(no file)"
        var head = "\(marker(e.status)) \(s(file)) · \(s(e.agentName ?? e.agentId ?? "?"))"
        if let b = e.base, let l = e.live { head += " · base \(s(b.name)) · live \(s(l.name))" }
        head += " — \(title(e.status))"
        out.append(head)
        if let err = e.error { out.append("    \(s(err, 2000))") }
        for c in e.comparison.changes {
            let path = s(c.path)
            if e.status != .new, let text = textDiff(c) {
                out += text
                continue
            }
            switch c.kind {
            case .yours:
                if e.status == .new { out.append("    + \(path): \(value(c.draft))") }
                else { let v = values(c.base, c.draft); out.append("    local     \(c.section)  \(path): \(v[0]) → \(v[1])") }
            case .theirs:
                let v = values(c.base, c.live)
                out.append("    drift     \(c.section)  \(path): \(v[0]) → \(v[1]) (changed on the platform; kept)")
            case .both:
                let v = values(c.base, c.live)
                out.append("    both      \(c.section)  \(path): \(v[0]) → \(v[1]) (changed alike)")
            case .conflict:
                let v = values(c.base, c.draft, c.live)
                out.append("    CONFLICT  \(c.section)  \(path): base \(v[0]) · local \(v[1]) · live \(v[2])")
            }
        }
        for n in e.notes { out.append("    note: \(s(n, 400))") }
        return out
    }

    /// Multi-line text (prompts) as a line diff: `-`/`+` lines under the field (at most 40 per side shown).
    public static func textDiff(_ c: ThreeWayChange) -> [String]? {
        func text(_ v: JSONValue?) -> String? { v?.stringValue }
        guard let old = text(c.base), c.kind != .both || text(c.live) != nil else { return nil }
        let sides: [(label: String, new: String?)]
        switch c.kind {
        case .yours: sides = [("local", text(c.draft))]
        case .theirs: sides = [("drift", text(c.live))]
        case .both: sides = [("both", text(c.live))]
        case .conflict: sides = [("CONFLICT local", text(c.draft)), ("CONFLICT live", text(c.live))]
        }
        guard sides.allSatisfy({ $0.new != nil }), old.contains("\n") || sides.contains(where: { $0.new!.contains("\n") }) else { return nil }
        var out: [String] = []
        for side in sides {
            let note = side.label == "drift" ? " (changed on the platform; kept)" : ""
            out.append("    \(side.label.padding(toLength: 9, withPad: " ", startingAt: 0)) \(c.section)  \(s(c.path)) (text)\(note):")
            let lines = LineDiff.diff(old.components(separatedBy: "\n"), side.new!.components(separatedBy: "\n"))
            let changed = lines.compactMap { l -> String? in
                switch l {
                case .same: return nil
                case .removed(let t): return "        - " + s(t, 300)
                case .added(let t): return "        + " + s(t, 300)
                }
            }
            out += changed.prefix(80)
            if changed.count > 80 { out.append("        … \(changed.count - 80) more changed lines") }
        }
        return out
    }

}
