import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui revisions …` (v2)
struct RevisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisions", abstract: "v2 revisions of a branch: list, show, history, restore, stats.",
        subcommands: [List.self, Show.self, History.self, Restore.self, Stats.self])

    static func rows(_ revisions: [Revision], head: String?, now: Date) -> [[String]] {
        revisions.map { r in
            let name = r.revisionLabel
            var marks = r.id == head ? "head" : ""
            if r.isActive { marks += marks.isEmpty ? "● live" : " ● live" }
            let label = r.shownLabel ?? ""
            return [name, marks, r.securityCheck?.status.rawValue ?? "-", label, r.publishedByName ?? r.publishedBy ?? "",
                    RelativeAge.format(iso: r.publishedAt ?? r.createdAt, now: now), r.id]
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a branch's revisions, newest first (scanning ones included).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Option(help: "Branch id or name; live means the live branch.") var branch: String = "live"
        @Option(help: "Rows per page (1–100).") var limit = 20
        @Option(help: "Rows to skip.") var skip = 0

        func validate() throws { try PageRule.check(limit: limit, skip: skip) }

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let (b, list) = try await V2Call.run(connection, client) {
                let b = try await resolver.branch(agentId: a.id, branch)
                return (b, try await client.listRevisions(a.id, b.id, limit: limit, skip: skip))
            }
            if output.json { CLIOutput.json(list); return }
            CLIOutput.table(["REVISION", "", "CHECK", "LABEL", "PUBLISHER", "AGE", "ID"],
                            RevisionsCommand.rows(list.revisions, head: b.branch.headRevisionId, now: Date()))
            // An empty page never offers another (a script following the hint ends even if `total` is off).
            if !list.revisions.isEmpty, skip + list.revisions.count < list.total {
                CLIOutput.stderr("(\(CLIText.count(list.total, "revision")); more with --skip \(skip + list.revisions.count))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a revision and its config.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Revision id, rN or head.") var revision: String
        @Option(help: "Branch id or name; live means the live branch.") var branch: String = "live"

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let (listed, detail) = try await V2Call.run(connection, client) {
                let b = try await resolver.branch(agentId: a.id, branch)
                let r = try await resolver.revision(agentId: a.id, branch: b, revision)
                return (r, try await client.getRevision(a.id, r.branch ?? b.id, r.id))
            }
            if output.json { CLIOutput.json(detail); return }
            let r = detail.revision
            // A by-id read may lack `publishedByName`; the listed row the resolver found (rN) has it.
            let by = r.publishedByName ?? listed.publishedByName ?? r.publishedBy ?? listed.publishedBy ?? "?"
            var head = "\(r.revisionLabel)  \(Sanitizer.sanitize(r.label ?? ""))\(r.isActive ? "  [live]" : "")  status: \(r.status.rawValue)\n"
            head += "id: \(r.id)   published: \(r.publishedAt ?? "-") by \(Sanitizer.sanitize(by))\n"
            if let c = r.securityCheck { head += "security check: \(c.status.rawValue)\(c.reason.map { " — \(Sanitizer.sanitize($0))" } ?? "")\n" }
            if let from = r.restoredFromRevisionId { head += "restored from: \(Sanitizer.sanitize(r.restoredFromLabel ?? "")) (\(from))\n" }
            CLIOutput.stdout(head + "\n")
            let doc = ConfigMapping.requestDocument(fromSectioned: detail.resolvedConfig)
            CLIOutput.stdout(Sanitizer.sanitizeLines(ConfigYAML.render(doc)).joined(separator: "\n") + "\n")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who published a revision and the trail of revisions before it.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Revision id, rN or head.") var revision: String = "head"
        @Option(help: "Branch id or name; live means the live branch.") var branch: String = "live"

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let history = try await V2Call.run(connection, client) {
                let b = try await resolver.branch(agentId: a.id, branch)
                let r = try await resolver.revision(agentId: a.id, branch: b, revision)
                return try await client.revisionHistory(a.id, r.branch ?? b.id, r.id)
            }
            if output.json { CLIOutput.json(history); return }
            CLIOutput.stdout("\(history.revision.revisionLabel) published by \(Sanitizer.sanitize(history.publishedBy ?? "?"))\n")
            CLIOutput.table(["REVISION", "CHANGED", "LABEL", "ID"], history.trail.map { t in
                [t.revision.revisionLabel, t.changedSections.joined(separator: ","), t.revision.label ?? "", t.revision.id]
            })
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Republish an older revision as the branch's new head (on the live branch it serves traffic at once).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Revision id or rN.") var revision: String
        @Option(help: "Branch id or name; live means the live branch.") var branch: String = "live"
        @Option(help: "Give up waiting after this many seconds (when the server defers the commit).") var timeout: Double = 120

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let (b, r) = try await V2Call.run(connection, client) {
                let b = try await resolver.branch(agentId: a.id, branch)
                return (b, try await resolver.revision(agentId: a.id, branch: b, revision))
            }
            let (_, progress) = try await BranchLifecycle(client: client).restore(agentId: a.id, branchId: b.id, revisionId: r.id,
                                                                               expected: 6, timeout: timeout)
            let final = try await WaitPrinter.wait(progress, timeout: timeout, what: "restore of \(r.revisionLabel)")
            let head = try requireValue(final.version, "the restore finished without a revision")
            if output.json { CLIOutput.json(head); return }
            let live = b.isLive ? " · live" : ""
            CLIOutput.stdout("Restored \(r.revisionLabel) as \(head.revisionLabel) on \(CLIText.quoted(b.branch.name))\(live)\n")
        }
    }
}

/// A required value or an API-error failure.
func requireValue<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw CLIFailure(code: CLIFailure.apiError, message: message) }
    return value
}

/// Follows a v2 publish/restore watch on stderr and maps its end to the exit codes.
enum WaitPrinter {
    static func wait(_ progress: AsyncThrowingStream<CheckProgress, Error>, timeout: Double, what: String) async throws -> CheckProgress {
        let line = ProgressLine(enabled: CLIOutput.isTerminal(2))
        var final: CheckProgress?
        for try await p in progress {
            if p.phase == .checking || p.requests > 0 { line.show(p) }
            final = p
        }
        line.finish()
        guard let result = final else { throw CLIFailure(code: CLIFailure.apiError, message: "the watch ended without a result") }
        switch result.phase {
        case .passed: return result
        case .failed:
            throw CLIFailure(code: CLIFailure.checkFailed,
                             message: "\(what) failed its security check: \(Sanitizer.sanitize(CheckReason.text(result.reason))); nothing was committed and the draft stays open — edit it and publish again")
        case .timedOut:
            throw CLIFailure(code: CLIFailure.timedOut,
                             message: "\(what) was still scanning after \(Int(timeout)) s; it commits by itself when the scan passes (check with `atoms-tui revisions list`)")
        case .checking:
            throw CLIFailure(code: CLIFailure.apiError, message: "the watch ended while the scan was still running")
        }
    }
}
