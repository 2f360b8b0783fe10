import AtomsClient
import AtomsModels
import Foundation
import Synchronization
import TUICore

/// The `*.atoms.yaml` files of a directory (or named files), parsed.
enum ConfigDirectory {
    struct Loaded {
        var path: String
        var file: AgentConfigFile?
        var error: String?
        var bytes: Data?
    }

    /// Every `*.atoms.yaml` directly in `dir`, sorted by name (a missing directory is empty).
    static func paths(in dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(AgentConfigFile.suffix) }.sorted().map { (dir as NSString).appendingPathComponent($0) }
    }

    static func load(_ path: String) -> Loaded {
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
    static func writeIfChanged(_ text: String, to path: String) throws -> Bool {
        let data = Data(text.utf8)
        if FileManager.default.contents(atPath: path) == data { return false }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        return true
    }
}

/// Ctrl-C during bulk work: the first SIGINT sets a flag (work already writing to an agent is carried
/// through, nothing new starts); a second one leaves at once (exit 130).
enum Interrupt {
    static let count = Atomic<Int>(0)

    static var requested: Bool { count.load(ordering: .sequentiallyConsistent) > 0 }

    static func install() {
        _ = signal(SIGINT) { _ in
            let n = Interrupt.count.add(1, ordering: .sequentiallyConsistent).newValue
            if n >= 2 {
                let msg: StaticString = "\natoms-tui: interrupted again: leaving now; an agent being written may be half done\n"
                _ = write(2, msg.utf8Start, msg.utf8CodeUnitCount)
                _exit(130)
            }
            let msg: StaticString = "\natoms-tui: interrupted: finishing the agents already being written, starting no others (Ctrl-C again to leave at once)\n"
            _ = write(2, msg.utf8Start, msg.utf8CodeUnitCount)
        }
    }
}

/// Runs work over items with at most `limit` at a time; results in item order. Bulk commands keep the
/// number of requests in flight small (the client's rate limiting and 429 handling do the rest).
enum Bounded {
    static func map<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            while next < min(max(1, limit), items.count) {
                let i = next
                group.addTask { (i, await body(items[i])) }
                next += 1
            }
            for await (i, r) in group {
                results[i] = r
                if next < items.count {
                    let j = next
                    group.addTask { (j, await body(items[j])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}

/// Prints plans: one block per file, a summary line; the exit code in the Terraform style.
enum ConfigPlanPrinter {
    static func s(_ t: String, _ n: Int = 200) -> String { Sanitizer.sanitize(t, maxCharacters: n) }
    static func value(_ v: JSONValue?) -> String { ThreeWayPrinter.value(v) }

    static func marker(_ status: ConfigPlanEntry.Status) -> String {
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

    static func title(_ status: ConfigPlanEntry.Status) -> String {
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

    static func lines(_ e: ConfigPlanEntry) -> [String] {
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
                else { out.append("    local     \(c.section)  \(path): \(value(c.base)) → \(value(c.draft))") }
            case .theirs: out.append("    drift     \(c.section)  \(path): \(value(c.base)) → \(value(c.live)) (changed on the platform; kept)")
            case .both: out.append("    both      \(c.section)  \(path): \(value(c.base)) → \(value(c.live)) (changed alike)")
            case .conflict: out.append("    CONFLICT  \(c.section)  \(path): base \(value(c.base)) · local \(value(c.draft)) · live \(value(c.live))")
            }
        }
        for n in e.notes { out.append("    note: \(s(n, 400))") }
        return out
    }

    /// Multi-line text (prompts) as a line diff: `-`/`+` lines under the field (at most 40 per side shown).
    static func textDiff(_ c: ThreeWayChange) -> [String]? {
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

    struct Summary: Encodable {
        var toPush = 0, newAgents = 0, conflicts = 0, drifted = 0, unchanged = 0, missing = 0, errors = 0
        var exitCode: Int32 = 0
        var line: String {
            "Plan: \(toPush) to push (\(newAgents) new), \(conflicts) in conflict, \(drifted) drifted only, \(unchanged) unchanged, \(missing) missing locally, \(errors) error\(errors == 1 ? "" : "s")."
        }
    }

    /// Exit codes: 1 any error · 2 changes to apply · 0 none.
    static func summary(_ entries: [ConfigPlanEntry]) -> Summary {
        var s = Summary()
        for e in entries {
            switch e.status {
            case .changes: s.toPush += 1
            case .new: s.toPush += 1; s.newAgents += 1
            case .conflict: s.toPush += 1; s.conflicts += 1
            case .drift: s.drifted += 1
            case .unchanged: s.unchanged += 1
            case .missing: s.missing += 1
            case .error: s.errors += 1
            }
        }
        s.exitCode = s.errors > 0 ? 1 : (s.toPush > 0 ? 2 : 0)
        return s
    }

    /// Prints the plan as text (on stderr when `toStderr`: stdout then carries another command's JSON) or JSON.
    static func print(_ entries: [ConfigPlanEntry], json: Bool, toStderr: Bool = false) -> Summary {
        let summary = summary(entries)
        if json {
            struct Out: Encodable { var entries: [ConfigPlanEntry]; var summary: Summary }
            CLIOutput.json(Out(entries: entries, summary: summary))
            return summary
        }
        let text = entries.map { lines($0).joined(separator: "\n") + "\n" }.joined() + summary.line + "\n"
        if toStderr { FileHandle.standardError.write(Data(text.utf8)) } else { CLIOutput.stdout(text) }
        return summary
    }
}

/// Shared by `plan`, `push` and `promote`: the account's generation and planning every file.
enum ConfigPlanning {
    static func generation(_ connection: ConnectionOptions, _ client: AtomsClient) async throws -> APIGeneration {
        try await connection.detector.detect(client, mode: connection.apiMode)
    }

    /// Plans the named files (or every file of `dir`), plus agents without a file when `all`.
    static func plan(sync: ConfigSync, dir: String, files: [String], all: Bool, parallel: Int) async throws -> [ConfigPlanEntry] {
        // A FILE not found as given is looked up in --dir too.
        let paths = files.isEmpty ? ConfigDirectory.paths(in: dir) : files.map { f in
            FileManager.default.fileExists(atPath: f) || f.hasPrefix("/") ? f : (dir as NSString).appendingPathComponent(f)
        }
        if paths.isEmpty && !all {
            throw CLIFailure(code: CLIFailure.apiError, message: "no *\(AgentConfigFile.suffix) files in \(dir): run `atoms-tui pull --all --dir \(dir)` first")
        }
        let generation = sync.generation
        var entries = await Bounded.map(paths, limit: parallel) { path -> ConfigPlanEntry in
            let loaded = ConfigDirectory.load(path)
            guard let file = loaded.file else {
                return ConfigPlanEntry(file: path, agentId: nil, agentName: nil, api: generation, status: .error, error: loaded.error)
            }
            return await sync.plan(file, path: path)
        }
        if generation == .v1, entries.contains(where: { $0.error == ConfigSync.migrated }) {
            // Remembered as v1, answered as v2: remember v2 so the next run uses the v2 routes.
            APIGenerationDetector(stateDirectory: AppPaths().state).remember(.v2, for: sync.client)
        }
        if all {
            let known = Set(entries.compactMap(\.agentId))
            for a in try await sync.allAgents() where !known.contains(a.id) {
                entries.append(ConfigSync.missing(a, api: generation))
            }
        }
        return entries
    }

    /// Asks `question [y/N]` on the terminal; false when stdin is not a terminal.
    static func confirm(_ question: String) -> Bool {
        guard CLIOutput.isTerminal(0) else { return false }
        CLIOutput.stdout(question + " [y/N] ")
        guard let line = readLine() else { return false }
        return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
