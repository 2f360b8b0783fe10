import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import Runtime
import TUICore

/// Prints a `ThreeWayReview`: the draft's own changes first, then a marked "publishing this would undo"
/// section naming the versions/revisions that introduced each reverted field. Server text is sanitized.
enum ThreeWayPrinter {
    /// The values of one change, cut with one window so the difference shows on every side (sanitized).
    static func values(_ vs: JSONValue?...) -> [String] {
        ThreeWayReview.shortSideBySide(vs, limit: 120).map { Sanitizer.sanitize($0, maxCharacters: 200) }
    }

    static func lines(_ review: ThreeWayReview) -> [String] {
        var out: [String] = []
        func s(_ t: String, _ n: Int) -> String { Sanitizer.sanitize(t, maxCharacters: n) }
        var head = "three-way review: \(s(review.draft.name, 200)) · base \(s(review.base.name, 200)) · live \(s(review.live.name, 200))"
        if review.isBehind { head += " · live is \(review.behindBy) ahead of the base" }
        out.append(head)
        if let a = review.approximation { out.append("note: \(s(a, 400))") }
        let c = review.comparison
        func section(_ title: String, _ kind: ThreeWayKind, indent: Int = 0, _ line: (ThreeWayChange) -> String) {
            let groups = c.bySection(kind)
            guard !groups.isEmpty else { return }
            let pad = String(repeating: " ", count: indent)
            if indent == 0 { out.append("") }
            out.append(pad + title)
            for g in groups {
                out.append(pad + "  \(g.section)")
                for ch in g.changes { out.append(pad + "    " + line(ch)) }
            }
        }
        func by(_ ch: ThreeWayChange) -> String {
            ch.introducedBy.isEmpty ? "" : "  (introduced by \(ch.introducedBy.map { s($0.display, 200) }.joined(separator: ", ")))"
        }
        if c.yours.isEmpty {
            out.append("")
            out.append("yours — the draft's own changes: none")
        }
        func pair(_ ch: ThreeWayChange, _ a: JSONValue?, _ b: JSONValue?) -> String {
            let v = values(a, b)
            return "\(s(ch.path, 200)): \(v[0]) → \(v[1])"
        }
        section("yours — the draft's own changes:", .yours) { pair($0, $0.base, $0.draft) }
        section("changed alike on both sides (nothing happens to these):", .both) { pair($0, $0.base, $0.draft) }
        if c.wouldUndoLiveChanges {
            out.append("")
            out.append("!! PUBLISHING THIS WOULD UNDO changes made on the live side since \(s(review.base.name, 200)):")
        }
        section("reverted — live value → the draft's (the base's) value:", .theirs, indent: 2) {
            pair($0, $0.live, $0.draft) + by($0)
        }
        section("conflicts — changed on both sides; publishing overwrites live's value with yours:", .conflict, indent: 2) {
            let v = values($0.base, $0.live, $0.draft)
            return "\(s($0.path, 200)): base \(v[0]) · live \(v[1]) · yours \(v[2])\(by($0))"
        }
        if !c.wouldUndoLiveChanges && review.isBehind {
            out.append("")
            out.append("publishing this undoes nothing on the live side.")
        }
        return out
    }

    static func print(_ review: ThreeWayReview) {
        CLIOutput.stdout(lines(review).joined(separator: "\n") + "\n")
    }
}

/// The `--allow-revert` guard of `publish`, `drafts publish --branch` and `branches live`.
enum RevertGuard {
    /// Exit code 2: the publish (or make-live) would revert changes made on the live side.
    static let exitCode: Int32 = 2

    /// What the guarded command is about to do; the messages name it.
    enum Operation {
        /// `publish`, `drafts publish --branch`.
        case publish
        /// `branches live`: the named branch would become live.
        case makeLive(branch: String)

        /// "publishing" / "making "B" live" (refusal).
        var doing: String {
            switch self {
            case .publish: return "publishing"
            case .makeLive(let branch): return "making \(CLIText.quoted(branch)) live"
            }
        }

        /// "this publish undoes" / "going live undoes" (warning under --allow-revert).
        var undoes: String {
            switch self {
            case .publish: return "this publish undoes"
            case .makeLive: return "going live undoes"
            }
        }
    }

    /// Refuses (exit 2) when the review shows fields the operation would undo, unless `allowRevert`;
    /// with it, lists them on stderr and lets the operation go on.
    static func check(_ review: ThreeWayReview, operation: Operation = .publish, allowRevert: Bool, hint: String) throws {
        guard review.wouldUndoLiveChanges else { return }
        let list = review.reversionLines.map { "  " + Sanitizer.sanitize($0, maxCharacters: 400) }.joined(separator: "\n")
        if allowRevert {
            CLIOutput.stderr("warning: --allow-revert: \(operation.undoes) changes made on the live side since \(review.base.name):\n\(list)")
            return
        }
        throw CLIFailure(code: exitCode, message: "refused: \(operation.doing) would undo changes made on the live side since \(review.base.name) (live is \(review.live.name)):\n\(list)\nnothing was sent. \(hint), or pass --allow-revert to go ahead anyway")
    }

    /// Loads the review for the guard; a review that cannot be built refuses too unless `allowRevert`.
    static func review(allowRevert: Bool, _ load: () async throws -> ThreeWayReview) async throws -> ThreeWayReview? {
        do {
            return try await load()
        } catch let e as AtomsError where allowRevert {
            CLIOutput.stderr("warning: --allow-revert: could not check for reversions (\(e.description))")
            return nil
        } catch var e as AtomsError where e.kind == .refused {
            // The review itself could not be built (e.g. the draft names no base): say how to go on.
            e.hint = (e.hint.map { $0 + "; " } ?? "") + "nothing was sent; pass --allow-revert to go ahead without the reversion check"
            throw e
        }
    }
}

/// `atoms-tui drafts rebase AGENT DRAFT` (v1) / `--branch B` (v2).
struct DraftsRebaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebase",
        abstract: "Bring a draft onto what is live, keeping only its own changes (nothing live is reverted).",
        discussion: """
        v1: forks a new draft from the active version and re-applies only the draft's own changes (verified by reading \
        back); the old draft is kept until the new one verified, then discarded (--keep-old keeps it). v2 (--branch): \
        rewrites the branch's draft on the branch's head with expectedRevision. Fields changed on both sides open in \
        $VISUAL/$EDITOR with both values marked (--conflicts edit, the default), or take --conflicts yours|theirs. \
        Exit codes: 0 done · 1 API error or not verified · 2 usage or cancelled · 5 the editor failed to start or exited \
        non-zero (v1: the new draft was discarded).
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Argument(help: "Draft id or name (v1).") var draft: String?
    @Option(help: "v2: rebase the open draft of this branch (id or name).") var branch: String?
    @Option(help: "Conflicting fields: edit (open $EDITOR), yours, or theirs.") var conflicts: String = "edit"
    @Flag(name: .customLong("keep-old"), help: "v1: keep the old draft after the new one verified.") var keepOld = false
    @Option(help: "Editor document format: yaml or json.") var format: String = "yaml"

    func validate() throws {
        try BranchDraftOption.validate(draft: draft, branch: branch)
        if ConflictStrategy(rawValue: conflicts) == nil { throw ValidationError("--conflicts takes edit, yours or theirs") }
        if DocumentFormat(rawValue: format.lowercased()) == nil { throw ValidationError("--format takes yaml or json") }
    }

    func run() async throws {
        let strategy = ConflictStrategy(rawValue: conflicts) ?? .edit
        let fmt = DocumentFormat(rawValue: format.lowercased()) ?? .yaml
        let (client, resolver, a) = try await connection.agentContext(agent, for: branch == nil ? .v1 : .v2)
        let paths = AppPaths()
        let flow = DraftEditFlow(lifecycle: Lifecycle(client: client), recovery: RecoveryStore(stateDirectory: paths.state))
        let rebase = DraftRebase(flow: flow)
        var plan: RebasePlan
        if let branch {
            let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
            plan = try await rebase.prepare(agentId: a.id, agentName: a.name, branchId: b.id, strategy: strategy, format: fmt)
        } else {
            let d = try await resolver.draft(agentId: a.id, draft ?? "")
            plan = try await rebase.prepare(agentId: a.id, agentName: a.name, draftId: d.draftId ?? d.id, strategy: strategy, format: fmt)
        }
        if plan.alreadyCurrent {
            if output.json { CLIOutput.json(["rebased": .bool(false), "reason": .string("already on \(plan.review.live.name)")] as [String: JSONValue]); return }
            CLIOutput.stdout("Nothing to rebase: the draft is already based on \(Sanitizer.sanitize(plan.review.live.name))\n")
            return
        }
        if let n = plan.newDraftName { CLIOutput.stderr("Forked \(CLIText.quoted(n)) from \(plan.review.live.name); re-applied the draft's own changes.") }
        var edit: EditRoundResult?
        if plan.edit != nil {
            CLIOutput.stderr("\(plan.review.conflicts.count) field(s) changed on both sides: opening the editor.")
            let editor = ExternalEditor()
            ExitRecovery.exitOnTerminationSignals()
            let recovery = flow.recovery
            let ids = (plan.edit!.agentId, plan.edit!.draftId), f = plan.edit!.format
            edit = rebase.editConflicts(&plan) { file in
                ExitRecovery.arm(ExitRecovery.Armed(file: file, before: (try? String(contentsOf: file, encoding: .utf8)) ?? "",
                                                    alwaysKeep: false, store: recovery, agentId: ids.0, draftId: ids.1, format: f))
                defer { ExitRecovery.disarm() }
                return editor.edit(file)
            }
        }
        let outcome = await rebase.finish(plan, edit: edit, discardOld: !keepOld)
        report(outcome)
        if let why = outcome.cancelled {
            var code: Int32 = why.contains("cancelled") ? CLIFailure.usage : CLIFailure.apiError
            if case .editorFailed? = edit { code = CLIFailure.editorFailed }
            throw CLIFailure(code: code, message: why + (outcome.recoveryFile.map { "; your edit is in \($0.path)" } ?? ""))
        }
        if !outcome.verified {
            throw CLIFailure(code: CLIFailure.apiError, message: "the rebased draft did not read back as expected: \(outcome.notPersisted.joined(separator: ", "))")
        }
    }

    func report(_ o: RebaseOutcome) {
        let p = o.plan
        if output.json {
            var obj: [String: JSONValue] = [
                "rebased": .bool(o.cancelled == nil), "verified": .bool(o.verified),
                "onto": .string(p.review.live.name), "from": .string(p.review.base.name),
                "carried": .array(o.carried.map(JSONValue.string)), "keptLive": .array(o.keptLive.map(JSONValue.string)),
                "conflicts": .array(o.conflicts.map { ["path": .string($0.path), "resolution": .string($0.resolution)] }),
                "notPersisted": .array(o.notPersisted.map(JSONValue.string)),
                "oldDraftDiscarded": .bool(o.oldDraftDiscarded),
            ]
            if let id = p.oldDraftId { obj["oldDraft"] = ["id": .string(id), "name": .string(p.oldDraftName ?? "")] }
            if let id = p.newDraftId { obj["newDraft"] = ["id": .string(id), "name": .string(p.newDraftName ?? "")] }
            if let b = p.branchId { obj["branchId"] = .string(b) }
            if let c = o.cancelled { obj["cancelled"] = .string(c) }
            CLIOutput.json(obj)
            return
        }
        let lines = o.summary.filter { !$0.hasPrefix("not completed: ") }.map { CLIText.sentence(Sanitizer.sanitize($0, maxCharacters: 2000)) }
        CLIOutput.stdout(lines.joined(separator: "\n") + "\n")
    }
}
