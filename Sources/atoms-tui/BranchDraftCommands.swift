import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// The v1 DRAFT argument and the v2 `--branch` option are alternatives.
enum BranchDraftOption {
    static func validate(draft: String?, branch: String?) throws {
        if draft == nil && branch == nil { throw ValidationError("Give a DRAFT (v1) or --branch BRANCH (v2)") }
        if draft != nil && branch != nil { throw ValidationError("Give a DRAFT (v1) or --branch BRANCH (v2), not both") }
    }
}

/// `drafts show AGENT --branch B`.
enum BranchDraftShow {
    static func run(_ connection: ConnectionOptions, _ output: OutputOptions, agent: String, branch: String, format: String) async throws {
        let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
        let (b, detail) = try await V2Call.run(connection, client) {
            let b = try await resolver.branch(agentId: a.id, branch)
            return (b, try await client.getBranchDraft(a.id, b.id))
        }
        let doc = try await BranchLifecycle(client: client).draftDocument(agentId: a.id, branchId: b.id).document
        if output.json {
            CLIOutput.json(["draft": try JSONValue.encoding(detail), "config": .object(doc)])
            return
        }
        var head = "Draft of \(CLIText.quoted(b.branch.name))  rev \(detail.latest.draftRevision ?? 0)  (\(CLIText.count(detail.editCount, "edit")))"
        if let c = detail.latest.securityCheck { head += "  security check: \(c.status.rawValue)\(c.reason.map { " — \(Sanitizer.sanitize($0))" } ?? "")" }
        CLIOutput.stdout(head + "\n")
        for h in detail.editHistory.prefix(5) {
            CLIOutput.stdout("  r\(h.revision.draftRevision ?? 0) \(Sanitizer.sanitize(h.editorName ?? "?")) \(h.changedSections.joined(separator: ","))\n")
        }
        CLIOutput.stdout("\n")
        let text = ConfigDocumentCodec.render(doc, format: format == "json" ? .json : .yaml)
        CLIOutput.stdout(Sanitizer.sanitizeLines(text).joined(separator: "\n") + "\n")
    }
}

/// `atoms-tui drafts put AGENT --branch B --file F [--expected-revision N]` (v2)
struct BranchDraftPut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "v2: write YAML/JSON config fields into a branch's draft (opened from the head when none is open); verified by reading back.",
        discussion: "With --expected-revision N the server refuses (exit 1) when another edit changed the same fields since draft revision N; without it the last write wins.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Option(help: "Branch id or name.") var branch: String
    @Option(help: "The YAML or JSON file with the fields to change.") var file: String
    @Option(name: .customLong("expected-revision"), help: "The draft revision this change is based on (0: the head).") var expectedRevision: Int?

    func run() async throws {
        let patch = try DocumentFile.read(file)
        let issues = ConfigValidator.validate(patch)
        if !issues.isEmpty {
            throw CLIFailure(code: CLIFailure.usage, message: "\(file) is not valid; nothing was sent:\n" + issues.map { "  \($0)" }.joined(separator: "\n"))
        }
        if patch.isEmpty { throw CLIFailure(code: CLIFailure.usage, message: "\(file) has no fields; nothing was sent") }
        let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
        let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
        let outcome: PatchOutcome
        do {
            outcome = try await BranchLifecycle(client: client).editDraft(agentId: a.id, branchId: b.id, patch: patch, expectedRevision: expectedRevision)
        } catch let e as AtomsError where e.draftConflict != nil {
            let c = e.draftConflict!
            var message = "conflict: another edit changed \(c.paths.joined(separator: ", ")) since draft revision \(expectedRevision ?? 0)"
            if let latest = c.latestRevision { message += " (now revision \(latest))" }
            throw CLIFailure(code: CLIFailure.apiError, message: message + "; nothing was written. Re-read with `atoms-tui drafts show \(a.id) --branch \(b.id)`, or drop --expected-revision to overwrite")
        } catch let e as AtomsError where e.v2Conflict == .baseRevisionUnavailable {
            throw CLIFailure(code: CLIFailure.apiError, message: "the draft has no revision \(expectedRevision ?? 0) (base_revision_unavailable); re-read it and retry with its current revision")
        }
        if output.json {
            CLIOutput.json(["revision": outcome.revision.map { JSONValue.number(Double($0)) } ?? .null, "verified": .bool(outcome.verified),
                            "notPersisted": .array(outcome.notPersisted.map(JSONValue.string))] as [String: JSONValue])
        } else {
            CLIOutput.stdout("Saved to the draft of \(CLIText.quoted(b.branch.name)) · rev \(outcome.revision ?? 0) · \(outcome.verified ? "verified" : "NOT verified") (\(outcome.sentFields.joined(separator: ", ")))\n")
        }
        if !outcome.verified { throw CLIFailure(code: CLIFailure.apiError, message: "fields \(Visibility.notVisibleYet): \(outcome.notPersisted.joined(separator: ", "))") }
    }
}

/// `atoms-tui drafts publish AGENT --branch B [--label L] [--wait]` (v2)
struct BranchDraftPublish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "v2: publish a branch's draft as a new revision; with --wait follow the security scan until it is committed.",
        discussion: """
        On the live branch a committed revision serves traffic at once. Before publishing, the draft is reviewed three \
        ways (the revision it was opened on, the draft, the branch's head): when publishing would undo changes committed \
        on the branch since, it refuses with exit code 2 listing the fields and revisions; rebase first \
        (`atoms-tui drafts rebase AGENT --branch B`) or pass --allow-revert. Exit codes: 0 done · 1 API error · \
        2 usage, or refused: would revert (no --allow-revert) · 3 security check failed · 4 timed out waiting.
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Option(help: "Branch id or name.") var branch: String
    @Option(help: "Revision label (≤ 200 characters).") var label: String?
    @Flag(help: "Wait until the revision is committed (or its scan fails).") var wait = false
    @Option(help: "Give up waiting after this many seconds.") var timeout: Double = 120
    @Flag(name: .customLong("allow-revert"), help: "Publish even when it undoes changes committed on the branch since the draft was opened.") var allowRevert = false

    func validate() throws {
        try UsageRule.publishText(label: label, description: nil)
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
        let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
        let bl = BranchLifecycle(client: client)
        if b.branch.openDraftId != nil, let review = try await RevertGuard.review(allowRevert: allowRevert, {
            try await ThreeWayReviewer(client: client).reviewBranchDraft(agentId: a.id, branchId: b.id)
        }) {
            try RevertGuard.check(review, allowRevert: allowRevert, hint: "Rebase onto the head with `atoms-tui drafts rebase \(a.id) --branch \(b.id)`")
        }
        let paths = AppPaths()
        let history = CheckDurationHistory(stateDirectory: paths.state, accountKey: APIGenerationDetector.accountKey(client))
        let where_ = "\(CLIText.quoted(b.branch.name))\(b.isLive ? " (live)" : "")"
        guard wait else {
            let result = try await bl.publish(agentId: a.id, branchId: b.id, label: label)
            if output.json { CLIOutput.json(result); return }
            switch result.state {
            case .committed:
                CLIOutput.stdout("Committed \(result.revision?.revisionLabel ?? "") on \(where_)\(b.isLive ? " · serving traffic" : "")\n")
            default:
                CLIOutput.stdout("Publishing on \(where_): security scan running; it commits by itself when the scan passes (use --wait to follow it)\n")
            }
            return
        }
        let (result, progress) = try await bl.publishAndWatch(agentId: a.id, branchId: b.id, label: label,
                                                              expected: history.expected(), timeout: timeout)
        if result.state == .scanning { CLIOutput.stderr("Security scan running on \(where_)…") }
        let final = try await WaitPrinter.wait(progress, timeout: timeout, what: "the publish on \(where_)")
        if final.elapsed > 0.5 { history.record(final.elapsed) }
        let revision = try requireValue(final.version, "the publish finished without a revision")
        if output.json { CLIOutput.json(revision); return }
        CLIOutput.stdout("Committed \(revision.revisionLabel) on \(where_)\(b.isLive ? " · serving traffic" : " · make it live with `atoms-tui branches live \(a.id) \(b.id)`")\n")
    }
}
