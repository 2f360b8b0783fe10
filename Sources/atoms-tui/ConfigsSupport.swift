import AtomsClient
import Runtime
import AtomsModels
import Foundation
import Synchronization
import TUICore

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

/// Prints plans: one block per file, a summary line; the exit code in the Terraform style.
enum ConfigPlanPrinter {
    static func s(_ t: String, _ n: Int = 200) -> String { ConfigPlanText.s(t, n) }
    static func lines(_ e: ConfigPlanEntry) -> [String] { ConfigPlanText.lines(e) }

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
