import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui versions …`
struct VersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions", abstract: "Published versions: list, show, diff, activate, pin, label, stats.",
        subcommands: [List.self, Show.self, Diff.self, Activate.self, Pin.self, Unpin.self, Label.self, Stats.self])

    static func rows(_ versions: [AgentVersion], now: Date) -> [[String]] {
        versions.map { v in
            [v.displayNumber, v.isActive ? "●" : "", v.isPinned ? "*" : "", v.securityCheck?.status.rawValue ?? "-",
             v.label ?? "", v.publishedByName ?? v.publishedBy ?? "", RelativeAge.format(iso: v.publishedAt ?? v.createdAt, now: now), v.id]
        }
    }

    /// The footer under a page of versions, or nil when nothing more is known to follow. The API's `total` counts
    /// every published version even with `isPinned` (atoms-api-notes §A.3), so a pinned page offers the next
    /// one only when it came back full; an empty page never offers another, so a script following the hint ends.
    static func moreHint(shown: Int, skip: Int, limit: Int, total: Int, pinned: Bool) -> String? {
        guard shown > 0 else { return nil }
        if pinned {
            guard shown == limit else { return nil }
            return "(\(shown) pinned shown; there may be more: --skip \(skip + shown) — the API's total (\(total)) counts every version, pinned or not)"
        }
        guard skip + shown < total else { return nil }
        return "(\(CLIText.count(total, "version")); more with --skip \(skip + shown))"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an agent's versions, newest first.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Option(help: "Rows per page (1–100).") var limit = 20
        @Option(help: "Rows to skip.") var skip = 0
        @Flag(help: "Only pinned versions.") var pinned = false

        func validate() throws { try PageRule.check(limit: limit, skip: skip) }

        func run() async throws {
            let client = try connection.makeClient(for: .v1)
            let a = try await Resolver(client: client).agent(agent)
            let list = try await client.listVersions(a.id, limit: limit, skip: skip, isPinned: pinned ? true : nil)
            if output.json { CLIOutput.json(list); return }
            CLIOutput.table(["VERSION", "ACTIVE", "PIN", "CHECK", "LABEL", "PUBLISHER", "AGE", "ID"], VersionsCommand.rows(list.versions, now: Date()))
            if let more = VersionsCommand.moreHint(shown: list.versions.count, skip: skip, limit: limit, total: list.total, pinned: pinned) {
                CLIOutput.stderr(more)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a version and its config.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Version id, vN, active or latest.") var version: String

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let v = try await resolver.version(agentId: a.id, version)
            let detail = try await client.getVersion(a.id, v.id)
            if output.json { CLIOutput.json(detail); return }
            let d = detail.version
            var head = "\(d.displayNumber)  \(Sanitizer.sanitize(d.label ?? ""))\(d.isActive ? "  [active]" : "")\(d.isPinned ? "  [pinned]" : "")\n"
            // The by-id read has no `publishedByName`; the listed row the resolver found (vN, latest) has it, and for
            // an id or `active` the newest page of the list may (one more read, only then).
            var name = d.publishedByName ?? v.publishedByName
            if name == nil, d.publishedBy != nil {
                name = try? await client.listVersions(a.id, limit: 100).versions.first { $0.id == d.id }?.publishedByName
            }
            let by = name ?? d.publishedBy ?? v.publishedBy ?? "?"
            head += "id: \(d.id)   published: \(d.publishedAt ?? "?") by \(Sanitizer.sanitize(by))\n"
            if let c = d.securityCheck { head += "security check: \(c.status.rawValue)\(c.reason.map { " — \(Sanitizer.sanitize($0))" } ?? "")\n" }
            if let desc = d.description, !desc.isEmpty { head += "description: \(Sanitizer.sanitize(desc))\n" }
            CLIOutput.stdout(head + "\n")
            let doc = ConfigMapping.requestDocument(fromSectioned: detail.resolvedConfig)
            CLIOutput.stdout(Sanitizer.sanitizeLines(ConfigYAML.render(doc)).joined(separator: "\n") + "\n")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Diff two versions (section-grouped).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Base version (id, vN, active, latest).") var a: String
        @Argument(help: "Compared version (id, vN, active, latest).") var b: String

        func run() async throws {
            let (client, resolver, ag) = try await connection.agentContext(agent, for: .v1)
            let va = try await resolver.version(agentId: ag.id, a)
            let vb = try await resolver.version(agentId: ag.id, b)
            let diff = try await client.diffVersions(ag.id, va.id, vb.id)
            if output.json { CLIOutput.json(diff); return }
            DiffPrinter.print(diff, title: "\(va.displayNumber) → \(vb.displayNumber)")
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Activate a version (refused unless its security check passed; verified after).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Version id, vN or latest.") var version: String

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let v = try await resolver.version(agentId: a.id, version)
            try await Activation.run(client, agent: a, target: v, json: output.json)
        }
    }

    struct Pin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pin a version.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Version id or vN.") var version: String
        func run() async throws { try await VersionsCommand.setMeta(connection, agent, version, UpdateVersionMetaRequest(isPinned: true), "pinned") }
    }

    struct Unpin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unpin a version.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Version id or vN.") var version: String
        func run() async throws { try await VersionsCommand.setMeta(connection, agent, version, UpdateVersionMetaRequest(isPinned: false), "unpinned") }
    }

    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a version's label and/or description.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Version id or vN.") var version: String
        @Option(help: "New label (≤ 200 characters).") var label: String?
        @Option(help: "New description (≤ 2000 characters).") var description: String?
        func validate() throws {
            if label == nil && description == nil { throw ValidationError("Give --label and/or --description") }
            try UsageRule.publishText(label: label, description: description)
        }
        func run() async throws {
            try await VersionsCommand.setMeta(connection, agent, version, UpdateVersionMetaRequest(label: label, description: description), "updated")
        }
    }

    static func setMeta(_ connection: ConnectionOptions, _ agent: String, _ version: String, _ body: UpdateVersionMetaRequest, _ verb: String) async throws {
        let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
        let v = try await resolver.version(agentId: a.id, version)
        let updated = try await client.updateVersionMeta(a.id, v.id, body)
        CLIOutput.stdout("\(CLIText.sentence(verb)) \(updated.displayNumber) of \(CLIText.quoted(a.name))\n")
    }
}

/// Prints a section-grouped diff; prompts as line diffs.
enum DiffPrinter {
    static func print(_ diff: AgentVersionDiff, title: String) {
        let color = CLIOutput.isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = "\(title)\n"
        if diff.diffs.isEmpty { out += "No differences\n" }
        for section in diff.diffs {
            out += "\n[\(section.section)]\n"
            for change in section.changes {
                let old = change.oldValue ?? .null, new = change.newValue ?? .null
                if let os = old.stringValue, let ns = new.stringValue, os.contains("\n") || ns.contains("\n") {
                    out += "  \(change.path):\n"
                    for line in LineDiff.diff(os.components(separatedBy: "\n"), ns.components(separatedBy: "\n")) {
                        switch line {
                        case .added(let t): out += paint("    + \(Sanitizer.sanitize(t))", "32") + "\n"
                        case .removed(let t): out += paint("    - \(Sanitizer.sanitize(t))", "31") + "\n"
                        case .same(let t): out += "      \(Sanitizer.sanitize(t))\n"
                        }
                    }
                } else {
                    out += "  \(change.path): " + paint(Sanitizer.sanitize(old.isNull ? "(none)" : old.description), "31")
                        + " → " + paint(Sanitizer.sanitize(new.isNull ? "(none)" : new.description), "32") + "\n"
                }
            }
        }
        CLIOutput.stdout(out)
    }
}

/// `versions activate` and `rollback`: activating the active version sends nothing ("already active");
/// "rolled back" is said only when the target is older than the version that was active.
enum Activation {
    static func run(_ client: AtomsClient, agent a: Agent, target v: AgentVersion, json: Bool) async throws {
        let agent = try await client.getAgent(a.id)
        let activeId = agent.activeVersionId ?? agent.versionId
        if activeId == v.id {
            if json { CLIOutput.json(v); return }
            CLIOutput.stdout("\(v.displayNumber) of \(CLIText.quoted(a.name)) is already active; nothing was sent\n")
            return
        }
        var previous: AgentVersion?
        if let activeId { previous = try? await client.getVersion(a.id, activeId).version }
        let outcome = try await Lifecycle(client: client).activate(agentId: a.id, versionId: v.id)
        if json { CLIOutput.json(outcome.version); return }
        let was = previous.map { " (was \($0.displayNumber))" } ?? ""
        if isRollback(target: v, previous: previous) {
            CLIOutput.stdout("Rolled back \(CLIText.quoted(a.name)) to \(v.displayNumber)\(was) · verified\n")
        } else {
            CLIOutput.stdout("Activated \(v.displayNumber) of \(CLIText.quoted(a.name))\(was) · verified\n")
        }
    }

    /// True when `target` is older than the version that was active.
    static func isRollback(target: AgentVersion, previous: AgentVersion?) -> Bool {
        guard let p = previous else { return false }
        if let t = target.versionNumber ?? target.revisionNumber, let n = p.versionNumber ?? p.revisionNumber { return t < n }
        if let t = target.publishedAt ?? target.createdAt, let n = p.publishedAt ?? p.createdAt { return t < n }
        return false
    }
}

/// Paging options judged before anything is sent.
enum PageRule {
    static func check(limit: Int, skip: Int) throws {
        if !(1...100).contains(limit) { throw ValidationError("--limit takes 1 to 100; nothing was sent") }
        if skip < 0 { throw ValidationError("--skip must not be negative; nothing was sent") }
    }
}
