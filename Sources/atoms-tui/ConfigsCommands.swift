import ArgumentParser
import AtomsClient
import Runtime
import AtomsModels
import Foundation
import Logging
import TUICore

/// `atoms-tui pull [AGENT…|--all] [--dir DIR] [--branch B]`
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Write agents' live configs to DIR/<slug>.atoms.yaml (configs in git).",
        discussion: """
        One file per agent: a header (agent id and name, API generation, branch, the base version/revision id and \
        number, a sha256 of the base document) over the config in the editor's YAML. v1: the active version; v2: the \
        head of the live branch (or --branch B). File names are made of the name's ASCII letters and digits (an id \
        suffix when that is empty or taken) and stay the same on later pulls. A file whose bytes would not change is \
        not rewritten; a file with local edits is not overwritten (push them first, or --force).
        Exit codes: 0 done · 1 an API error or a file skipped · 2 usage error.
        """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Agent ids or names.") var agents: [String] = []
    @Flag(help: "Pull every agent of the account.") var all = false
    @Option(help: "The directory of the files.") var dir: String = "."
    @Option(help: "v2: the branch to track (default: the live branch).") var branch: String?
    @Flag(help: "Overwrite files that hold local edits.") var force = false
    @Option(help: "Agents read at the same time (1–8).") var parallel: Int = 4

    func validate() throws {
        if agents.isEmpty == !all { throw ValidationError("name AGENTs or pass --all (not both)") }
        if !(1...8).contains(parallel) { throw ValidationError("--parallel takes 1 to 8") }
    }

    func run() async throws {
        let client = try connection.makeClient()
        let generation = try await ConfigPlanning.generation(connection, client)
        let sync = ConfigSync(client: client, generation: generation)
        let resolver = Resolver(client: client)
        var targets: [Agent] = []
        if all { targets = try await sync.allAgents() } else { for a in agents { targets.append(try await resolver.agent(a)) } }
        var existing: [String: String] = [:]
        var loaded: [String: ConfigDirectory.Loaded] = [:]
        for path in ConfigDirectory.paths(in: dir) {
            let l = ConfigDirectory.load(path)
            if let id = l.file?.header.agentId {
                existing[id] = URL(fileURLWithPath: path).lastPathComponent
                loaded[id] = l
            }
        }
        let names = AgentConfigFile.fileNames(for: targets.map { ($0.id, $0.name) }, existing: existing)
        let (dir, branch, force) = (self.dir, self.branch, self.force)
        let loadedFiles = loaded
        struct Row: Sendable { var status: String; var file: String; var agent: String; var detail: String }
        let rows = await Bounded.map(targets, limit: parallel) { agent -> Row in
            let name = names[agent.id] ?? "\(agent.id)\(AgentConfigFile.suffix)"
            let path = (dir as NSString).appendingPathComponent(name)
            do {
                if !force, let old = loadedFiles[agent.id]?.file, let hash = old.header.baseHash,
                   AgentConfigFile.contentHash(old.document) != hash {
                    return Row(status: "skipped", file: name, agent: agent.name, detail: "has local edits; not overwritten (push them, or pull --force)")
                }
                let file = try await sync.snapshot(agent: agent, branch: branch)
                let existed = FileManager.default.fileExists(atPath: path)
                let wrote = try ConfigDirectory.writeIfChanged(file.render(), to: path)
                let base = (file.header.branchName.map { "\($0) " } ?? "") + (file.header.baseLabel ?? "")
                return Row(status: wrote ? (existed ? "updated" : "written") : "unchanged", file: name, agent: agent.name, detail: base)
            } catch {
                return Row(status: "error", file: name, agent: agent.name, detail: (error as? AtomsError)?.description ?? "\(error)")
            }
        }
        CLIOutput.table(["STATUS", "FILE", "AGENT", "BASE"], rows.map { [$0.status, $0.file, $0.agent, $0.detail] })
        let count = { (s: String) in rows.filter { $0.status == s }.count }
        CLIOutput.stderr("pulled \(rows.count) agent\(rows.count == 1 ? "" : "s") into \(dir): \(count("written")) written, \(count("updated")) updated, \(count("unchanged")) unchanged, \(count("skipped")) skipped, \(count("error")) failed")
        if count("error") + count("skipped") > 0 { throw ExitCode(CLIFailure.apiError) }
    }
}

/// `atoms-tui plan [--dir DIR] [FILE…] [--all] [--json]`
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compare pulled config files with their base and with what the platform serves now (read-only).",
        discussion: """
        For each file, three ways: the local document, its base (the version/revision in the header) and what is live \
        now (v1: the active version; v2: the head of the file's branch). Every changed field is a local change, a \
        remote change (drift: someone changed it on the platform since the base; push keeps it) or a CONFLICT (both \
        changed it differently). Arrays compare element by element. A file without agent-id is a new agent; with --all, \
        agents that have no file are listed too.
        Exit codes (as `terraform plan -detailed-exitcode`): 0 no changes to push · 2 changes to push (local changes, \
        conflicts or new agents) · 1 an error (a file or an agent could not be read; takes precedence).
        """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Files to plan (default: every *.atoms.yaml in --dir).") var files: [String] = []
    @Option(help: "The directory of the files.") var dir: String = "."
    @Flag(help: "Also list the account's agents that have no file.") var all = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Agents read at the same time (1–8).") var parallel: Int = 4

    func validate() throws {
        if !(1...8).contains(parallel) { throw ValidationError("--parallel takes 1 to 8") }
    }

    func run() async throws {
        let client = try connection.makeClient()
        let sync = ConfigSync(client: client, generation: try await ConfigPlanning.generation(connection, client))
        let entries = try await ConfigPlanning.plan(sync: sync, dir: dir, files: files, all: all, parallel: parallel)
        let summary = ConfigPlanPrinter.print(entries, json: json)
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// The options `push` and `promote` share.
struct PushFlags: ParsableArguments {
    @Option(help: "Label of the new version/revision (default: 'atoms-tui push FILE').") var label: String?
    @Flag(help: "v1: activate each new version once its security check passed (asks y/N on a terminal; --yes otherwise).") var activate = false
    @Flag(name: .customLong("make-live"), help: "v2: make the branch live once the revision is committed (asks y/N on a terminal; --yes otherwise).") var makeLive = false
    @Flag(help: "Do not ask before activating / making live.") var yes = false
    @Flag(name: .customLong("dry-run"), help: "Print the plan only; send nothing.") var dryRun = false
    @Flag(help: "On a conflict take the local value (otherwise the agent is stopped, nothing sent).") var force = false
    @Flag(name: .customLong("include-open-draft"), help: "v2: also ship the edits already in the branch's open draft (otherwise such an agent is left alone). v1 never touches existing drafts: each push forks its own.") var includeOpenDraft = false
    @Option(help: "Seconds to wait for each security check.") var timeout: Double = 300

    func validate() throws {
        if activate && makeLive { throw ValidationError("--activate is for v1 accounts and --make-live for v2: give one") }
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
        try UsageRule.publishText(label: label, description: nil)
    }

    func options(expected: TimeInterval) -> PushOptions {
        var o = PushOptions()
        o.label = label
        o.activate = activate
        o.makeLive = makeLive
        o.force = force
        o.includeOpenDraft = includeOpenDraft
        o.timeout = timeout
        o.expectedCheck = expected
        return o
    }

    /// Confirms activation / make-live: --yes, or `y` on a terminal. Throws (nothing sent) otherwise.
    func confirm(_ what: String) throws {
        guard activate || makeLive, !yes else { return }
        let verb = activate ? "activate" : "make live"
        guard CLIOutput.isTerminal(0) else {
            throw CLIFailure(code: CLIFailure.usage, message: "--\(activate ? "activate" : "make-live") needs --yes when not run on a terminal; nothing was sent")
        }
        guard ConfigPlanning.confirm("Push and \(verb) \(what) once the security checks pass?") else {
            throw CLIFailure(code: CLIFailure.usage, message: "not confirmed; nothing was sent")
        }
    }
}

/// Applies pushes concurrently and prints their outcomes.
enum PushRunner {
    /// Pushes each entry with at most `parallel` agents at a time; Ctrl-C stops new agents from starting.
    static func run(_ entries: [ConfigPlanEntry], sync: ConfigSync, options: PushOptions, parallel: Int) async -> [PushOutcome] {
        Interrupt.install()
        let total = entries.count
        let done = Counter()
        return await Bounded.map(entries, limit: parallel) { entry -> PushOutcome in
            let who = ConfigPlanPrinter.s(entry.agentName ?? entry.agentId ?? entry.file ?? "?", 80)
            if Interrupt.requested {
                return PushOutcome(file: entry.file, agentId: entry.agentId, agentName: entry.agentName, result: .interrupted,
                                   message: "interrupted before starting: nothing was sent")
            }
            var outcome = await sync.push(entry, options: options, shouldStart: { !Interrupt.requested },
                                          progress: { CLIOutput.stderr("\(who): \($0)") })
            if let newFile = outcome.newFile, let path = entry.file {
                do {
                    if try ConfigDirectory.writeIfChanged(newFile.render(), to: path) {
                        outcome.notes.append("\(URL(fileURLWithPath: path).lastPathComponent): base moved to \(newFile.header.baseLabel ?? "?")")
                    }
                } catch {
                    outcome.notes.append("could not rewrite \(path): \(error.localizedDescription) — pull it again")
                }
            }
            let n = done.next()
            CLIOutput.stderr("[\(n)/\(total)] \(who): \(outcome.result.rawValue) — \(ConfigPlanPrinter.s(outcome.message, 1000))")
            return outcome
        }
    }

    /// Prints the outcomes; the exit code: 130 interrupted · 1 failed · 3 check failed · 4 timed out · 2 refused · 0.
    static func report(_ outcomes: [PushOutcome], json: Bool) -> Int32 {
        let count = { (r: PushOutcome.Result) in outcomes.filter { $0.result == r }.count }
        if json {
            CLIOutput.json(["outcomes": outcomes])
        } else {
            for o in outcomes {
                CLIOutput.stdout("\(o.result.rawValue): \(ConfigPlanPrinter.s(o.agentName ?? o.agentId ?? "?")) — \(ConfigPlanPrinter.s(o.message, 1000))\n")
                for n in o.notes { CLIOutput.stdout("    note: \(ConfigPlanPrinter.s(n, 400))\n") }
            }
            CLIOutput.stdout("Push: \(count(.applied)) applied, \(count(.nothing)) without changes, \(count(.refused)) refused, \(count(.interrupted)) not started (interrupted), \(count(.failed)) failed, \(count(.checkFailed)) failed the security check, \(count(.timedOut)) still checking.\n")
        }
        if count(.interrupted) > 0 || Interrupt.requested { return 130 }
        if count(.failed) > 0 { return CLIFailure.apiError }
        if count(.checkFailed) > 0 { return CLIFailure.checkFailed }
        if count(.timedOut) > 0 { return CLIFailure.timedOut }
        if count(.refused) > 0 { return CLIFailure.usage }
        return 0
    }

    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var n = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }
}

/// `atoms-tui push [--dir DIR] [FILE…] …`
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Apply pulled config files through the safe lifecycle (plan first; --dry-run prints it only).",
        discussion: """
        Plans every file (see `atoms-tui plan`), prints the plan, then for each agent with local changes: \
        v1 — forks a new draft from the active version the plan compared against (so changes made on the platform \
        since the base are kept), patches only the changed fields and verifies them by reading back, publishes, \
        watches the security check, and with --activate activates only after it passed (y on a terminal, or --yes). \
        v2 — writes the branch draft with expectedRevision, publishes, watches the scan (on the live branch a \
        committed revision serves traffic at once) and with --make-live makes the branch live. \
        A field changed both locally and on the platform stops that agent and names the field (--force: local wins). \
        An open v2 branch draft holding someone's edits is left alone unless --include-open-draft. After a push the \
        file's header moves to the new version/revision and its document to what was published (drift kept). \
        A file without agent-id creates the agent (by its agent-name) first.
        Up to --parallel agents are pushed at a time. Ctrl-C starts no further agent and lets the ones being written \
        finish, so every agent is either untouched or fully applied (a second Ctrl-C leaves at once).
        Exit codes: 0 done (or nothing to push) · 1 an API error or a file/agent failed · 2 usage, not confirmed, or an \
        agent refused (conflict, open draft, moved since the plan) · 3 a security check failed · 4 timed out waiting · \
        130 interrupted. With --dry-run the plan's codes: 0 no changes · 2 changes · 1 error.
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var flags: PushFlags
    @Argument(help: "Files to push (default: every *.atoms.yaml in --dir).") var files: [String] = []
    @Option(help: "The directory of the files.") var dir: String = "."
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Agents pushed at the same time (1–8).") var parallel: Int = 4

    func validate() throws {
        if !(1...8).contains(parallel) { throw ValidationError("--parallel takes 1 to 8") }
    }

    func run() async throws {
        let client = try connection.makeClient()
        let generation = try await ConfigPlanning.generation(connection, client)
        if flags.activate && generation == .v2 { throw CLIFailure(code: CLIFailure.usage, message: "--activate is for v1 accounts; this account is v2: use --make-live") }
        if flags.makeLive && generation == .v1 { throw CLIFailure(code: CLIFailure.usage, message: "--make-live is for v2 accounts; this account is v1: use --activate") }
        let sync = ConfigSync(client: client, generation: generation)
        let entries = try await ConfigPlanning.plan(sync: sync, dir: dir, files: files, all: false, parallel: parallel)
        let summary = ConfigPlanPrinter.print(entries, json: json && flags.dryRun, toStderr: json && !flags.dryRun)
        if flags.dryRun {
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
            return
        }
        let todo = entries.filter { $0.hasChangesToApply || $0.status == .error }
        if !todo.contains(where: \.hasChangesToApply) {
            if json { CLIOutput.json(["outcomes": [PushOutcome]()]) }
            CLIOutput.stderr("nothing to push")
            if summary.errors > 0 { throw ExitCode(CLIFailure.apiError) }
            return
        }
        try flags.confirm("\(todo.filter(\.hasChangesToApply).count) agent(s)")
        let history = CheckDurationHistory(stateDirectory: AppPaths().state, accountKey: APIGenerationDetector.accountKey(client))
        let outcomes = await PushRunner.run(todo, sync: sync, options: flags.options(expected: history.expected()), parallel: parallel)
        let code = PushRunner.report(outcomes, json: json)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `atoms-tui promote AGENT --from-profile A --to-profile B [--to-agent NAME]`
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Copy one agent's live config from one account (profile) to another: plan first, then push.",
        discussion: """
        Reads what the source agent serves (v1: the active version; v2: the live branch's head) in --from-profile, finds \
        the agent of the same name (or --to-agent NAME) in --to-profile, prints the plan (every difference is a local \
        change), asks y/N on a terminal (or --yes), and pushes it there like `push` does. When the target account has no \
        such agent it is created. Keys and base URLs come from the two profiles of config.yaml only ($SMALLEST_API_KEY and \
        $ATOMS_BASE_URL are not used).
        Exit codes as for push; --dry-run: 0 no changes · 2 changes · 1 error.
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var flags: PushFlags
    @Argument(help: "Agent id or name in the source account.") var agent: String
    @Option(name: .customLong("from-profile"), help: "Source profile.") var fromProfile: String
    @Option(name: .customLong("to-profile"), help: "Target profile.") var toProfile: String
    @Option(name: .customLong("to-agent"), help: "The target agent's name (default: the source agent's name).") var toAgent: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if fromProfile == toProfile { throw ValidationError("--from-profile and --to-profile must differ") }
    }

    func client(profile: String) throws -> AtomsClient {
        var env = ProcessInfo.processInfo.environment
        for k in ["SMALLEST_API_KEY", "ATOMS_BASE_URL", "ATOMS_PROFILE"] { env[k] = nil }
        let conn = try ConnectionResolver.resolve(apiKeyFlag: nil, baseURLFlag: nil, profileFlag: profile, insecure: connection.insecure, environment: env)
        guard let key = conn.apiKey else {
            throw CLIFailure(code: CLIFailure.usage, message: "profile '\(profile)' has no apiKey in config.yaml")
        }
        return AtomsClient(configuration: ClientConfiguration(baseURL: conn.baseURL, apiKey: key, requestTimeout: connection.requestTimeout))
    }

    func run() async throws {
        _ = try connection.resolve()
        let source = try client(profile: fromProfile), target = try client(profile: toProfile)
        let sourceGen = try await connection.detector.detect(source, mode: .auto)
        let targetGen = try await connection.detector.detect(target, mode: .auto)
        if flags.activate && targetGen == .v2 { throw CLIFailure(code: CLIFailure.usage, message: "the target account is v2: use --make-live") }
        if flags.makeLive && targetGen == .v1 { throw CLIFailure(code: CLIFailure.usage, message: "the target account is v1: use --activate") }
        let from = try await Resolver(client: source).agent(agent)
        let snapshot = try await ConfigSync(client: source, generation: sourceGen).snapshot(agent: from)
        let name = toAgent ?? from.name
        let targetSync = ConfigSync(client: target, generation: targetGen)
        var header = AgentConfigHeader(agentName: name, api: targetGen)
        do {
            let to = try await Resolver(client: target).agent(name)
            let live = try await targetSync.liveSide(agentId: to.id)
            header = AgentConfigHeader(agentId: to.id, agentName: to.name, api: targetGen, branchName: live.branchName, branchId: live.branchId,
                                       baseId: live.point.id, baseNumber: live.point.number)
        } catch let e as AtomsError where e.kind == .invalidInput && e.serverErrors.first?.hasPrefix("no agent named") == true {
            // Not in the target account: the plan shows it as a new agent.
        }
        CLIOutput.stderr("promote '\(Sanitizer.sanitize(from.name))' (\(snapshot.header.baseLabel ?? "?")) from profile \(fromProfile) to '\(Sanitizer.sanitize(name))' in profile \(toProfile)")
        var entry = await targetSync.plan(AgentConfigFile(header: header, document: snapshot.document), path: nil)
        entry.file = nil
        let summary = ConfigPlanPrinter.print([entry], json: json && flags.dryRun, toStderr: json && !flags.dryRun)
        if flags.dryRun {
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
            return
        }
        if entry.status == .error { throw ExitCode(CLIFailure.apiError) }
        guard entry.hasChangesToApply else { CLIOutput.stderr("nothing to promote: the target already serves this config"); return }
        if !flags.yes {
            guard CLIOutput.isTerminal(0) else {
                throw CLIFailure(code: CLIFailure.usage, message: "promote writes to profile \(toProfile): confirm on a terminal or pass --yes; nothing was sent")
            }
            guard ConfigPlanning.confirm("Push this to '\(name)' in profile \(toProfile)\(flags.activate ? " and activate it" : flags.makeLive ? " and make it live" : "")?") else {
                throw CLIFailure(code: CLIFailure.usage, message: "not confirmed; nothing was sent")
            }
        }
        var options = flags.options(expected: CheckDurationHistory.defaultExpected)
        if options.label == nil {
            // Within the API's 200 characters, however long the source's label.
            let label = "promoted from \(fromProfile) \(snapshot.header.baseLabel ?? "")".trimmingCharacters(in: .whitespaces)
            options.label = String(label.prefix(200))
        }
        let outcomes = await PushRunner.run([entry], sync: targetSync, options: options, parallel: 1)
        let code = PushRunner.report(outcomes, json: json)
        if code != 0 { throw ExitCode(code) }
    }
}
