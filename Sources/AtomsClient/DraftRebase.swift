import Foundation
import AtomsModels

/// How a rebase settles fields changed on both sides (`.conflict`).
public enum ConflictStrategy: String, Sendable, Hashable, CaseIterable {
    /// Open `$EDITOR` on the rebased draft with both values marked (the document holds yours).
    case edit
    /// Keep the draft's value.
    case yours
    /// Take the live value.
    case theirs
}

/// A rebase after its first phase: the draft brought onto live except for conflicts still to edit.
public struct RebasePlan: Sendable {
    /// The review the rebase started from (base → draft vs base → live).
    public var review: ThreeWayReview
    public var agentId: String
    /// v1: the draft being rebased (kept until the new one is verified).
    public var oldDraftId: String?
    public var oldDraftName: String?
    /// v1: the new draft forked from the active version.
    public var newDraftId: String?
    public var newDraftName: String?
    /// v2: the branch whose draft is rewritten in place.
    public var branchId: String?
    /// The automatic step's patch (yours + the chosen side of conflicts), verified by read-back; nil
    /// when there was nothing to send.
    public var applied: PatchOutcome?
    /// Set when conflicts are to be settled in the editor: run `DraftRebase.editConflicts` on it.
    public var edit: DraftEditSession?
    public var strategy: ConflictStrategy
    /// True when the base already is what is live: nothing was forked or written.
    public var alreadyCurrent: Bool
    /// The name of what is live now (`v12 (active)`, `main r5 (live)`).
    public var onto: String { review.live.name }
}

/// How a rebase ended.
public struct RebaseOutcome: Sendable {
    public var plan: RebasePlan
    /// Paths carried over from the draft (`.yours`).
    public var carried: [String]
    /// Paths whose live value the rebased draft now keeps (`.theirs` — no longer reverted).
    public var keptLive: [String]
    /// Conflicting paths and how each was settled: `yours`, `theirs`, or `edited`.
    public var conflicts: [(path: String, resolution: String)]
    /// True when the final read-back matched: every carried path holds the draft's value, every kept
    /// path the live value (paths the person changed in the editor are checked by that save's read-back).
    public var verified: Bool
    /// Paths whose read-back did not match.
    public var notPersisted: [String]
    /// v1: true when the old draft was discarded after the new one verified.
    public var oldDraftDiscarded: Bool
    /// Set when the rebase was cancelled (v1: the new draft was discarded, the old one kept) or failed.
    public var cancelled: String?
    /// The editor's recovery file, when a save after the editor failed.
    public var recoveryFile: URL?

    /// What happened, in lines for a status area or the CLI (server text unsanitized: the caller sanitizes).
    public var summary: [String] {
        let p = plan
        var lines: [String] = []
        if p.alreadyCurrent { return ["nothing to rebase: the draft is already based on \(p.review.live.name)"] }
        if let newName = p.newDraftName {
            lines.append("rebased \"\(p.oldDraftName ?? "")\" onto \(p.review.live.name) as \"\(newName)\" (\(p.newDraftId ?? ""))")
            if oldDraftDiscarded {
                lines.append("old draft \"\(p.oldDraftName ?? "")\" (\(p.oldDraftId ?? "")) discarded after the new one verified")
            } else {
                lines.append("old draft \"\(p.oldDraftName ?? "")\" (\(p.oldDraftId ?? "")) kept")
            }
        } else {
            lines.append("rewrote the branch draft on \(p.review.live.name) (was based on \(p.review.base.name))")
        }
        if !carried.isEmpty { lines.append("  yours, carried over: \(carried.joined(separator: ", "))") }
        if !keptLive.isEmpty { lines.append("  live values kept (no longer reverted): \(keptLive.joined(separator: ", "))") }
        for c in conflicts { lines.append("  conflict \(c.path): \(c.resolution)") }
        if let c = cancelled { lines.append("not completed: \(c)") }
        lines.append(verified ? "verified by reading back" : "NOT verified: \(notPersisted.joined(separator: ", "))")
        return lines
    }
}

/// Brings a draft onto what is live without reverting anything: shared by the TUI and
/// `atoms-tui drafts rebase`. Three phases, so a front end can hand the terminal over in the middle:
///
/// 1. `prepare` — reviews (`ThreeWayReviewer`), then **v1**: forks a new draft from the active version
///    and PATCHes only the draft's own changes (`.yours`) onto it (plus, for `.conflict`, the side the
///    strategy names; `.edit` starts from yours), verified by reading back (`Lifecycle.patchDraft`);
///    **v2**: rewrites the branch's draft on the branch's current head — the draft is re-opened there
///    (its text saved to the recovery store first) and the merge written with `expectedRevision: 0`
///    (`BranchLifecycle.editDraft`), so afterwards its base IS the head.
/// 2. `editConflicts` — only with `.edit` and conflicts: `DraftEditFlow.editRounds` (same validation
///    loop as editing) on the rebased draft, each conflicting field marked with both values.
/// 3. `finish` — saves the edit (`DraftEditFlow.save`: conflict re-check, minimal patch, read-back),
///    reads the draft back and checks every carried / kept path, and (v1, if asked) discards the old
///    draft only once the new one verified. An editor round saved empty cancels: v1 discards the new draft.
public struct DraftRebase: Sendable {
    public let flow: DraftEditFlow

    /// Builds the rebase on the editing flow (its lifecycle, recovery store and editor loop).
    public init(flow: DraftEditFlow) { self.flow = flow }

    var lifecycle: Lifecycle { flow.lifecycle }
    var branches: BranchLifecycle { BranchLifecycle(client: flow.lifecycle.client, clock: flow.lifecycle.clock) }
    var reviewer: ThreeWayReviewer { ThreeWayReviewer(client: flow.lifecycle.client) }

    // MARK: Phase 1

    /// v1: forks a new draft from the active version and re-applies the draft's own changes.
    public func prepare(agentId: String, agentName: String, draftId: String, strategy: ConflictStrategy,
                        format: DocumentFormat = .yaml, newName: String? = nil) async throws -> RebasePlan {
        let review = try await reviewer.reviewDraft(agentId: agentId, draftId: draftId)
        let oldName = try await flow.lifecycle.client.getDraft(agentId, draftId, historyLimit: 1).latest.draftName ?? draftId
        var plan = RebasePlan(review: review, agentId: agentId, oldDraftId: draftId, oldDraftName: oldName, newDraftId: nil,
                              newDraftName: nil, branchId: nil, applied: nil, edit: nil, strategy: strategy,
                              alreadyCurrent: !review.isBehind)
        guard review.isBehind, let liveId = review.live.id else { return plan }
        let liveShort = review.live.name.replacingOccurrences(of: " (active)", with: "")
        var name = newName ?? ""
        if newName == nil {
            // A name no other draft has (rebasing twice made two "x (rebased on v2)", unreachable by name).
            let taken = Set(try await flow.lifecycle.client.listDrafts(agentId).map { NameFolding.fold($0.draftName ?? "") })
            name = Self.rebasedName(oldName, onto: liveShort, taken: taken)
        }
        let forked = try await lifecycle.fork(agentId: agentId, from: .version(liveId), name: name)
        let newId = forked.draftId ?? forked.id
        plan.newDraftId = newId
        plan.newDraftName = forked.draftName ?? name
        let (fresh, _) = try await lifecycle.draftDocument(agentId: agentId, draftId: newId)
        let target = ThreeWayComparison.merge(base: review.base.document, draft: review.draft.document, live: review.live.document,
                                              conflicts: strategy == .theirs ? .theirs : .yours)
        let patch = EditRules.minimalPatch(original: fresh, edited: target)
        if !patch.isEmpty {
            plan.applied = try await lifecycle.patchDraft(agentId: agentId, draftId: newId, patch: patch, before: fresh)
        }
        if strategy == .edit && !review.conflicts.isEmpty && plan.applied?.verified != false {
            let (doc, revision) = try await lifecycle.draftDocument(agentId: agentId, draftId: newId)
            plan.edit = conflictSession(review: review, agentId: agentId, agentName: agentName, draftId: newId,
                                        draftName: plan.newDraftName ?? name, branchId: nil, document: doc, revision: revision, format: format)
        }
        return plan
    }

    /// v2: rewrites the branch's draft on the branch's current head. A branch holds one draft and a
    /// draft's base is the head it was opened on, so the draft is re-opened: its text is first saved to
    /// the recovery store (`drafts edit --branch` offers it if anything below fails), the old draft is
    /// discarded, and the merged document goes into a new draft opened on the head with
    /// `expectedRevision: 0` (the head's state), verified by reading back.
    public func prepare(agentId: String, agentName: String, branchId: String, strategy: ConflictStrategy,
                        format: DocumentFormat = .yaml) async throws -> RebasePlan {
        let review = try await reviewer.reviewBranchDraft(agentId: agentId, branchId: branchId)
        var plan = RebasePlan(review: review, agentId: agentId, oldDraftId: nil, oldDraftName: nil, newDraftId: nil, newDraftName: nil,
                              branchId: branchId, applied: nil, edit: nil, strategy: strategy, alreadyCurrent: !review.isBehind)
        guard review.isBehind else { return plan }
        let client = flow.lifecycle.client
        let branchName = try await client.getBranch(agentId, branchId).branch.name
        let key = DraftEditFlow.recoveryKey(branchId: branchId)
        let title = "\(branchName) (branch draft)"
        let saved = try flow.recovery.save(EditDocument.make(agentName: agentName, draftName: title, revision: nil,
                                                             document: review.draft.document, format: format),
                                           agentId: agentId, draftId: key, format: format)
        let target = ThreeWayComparison.merge(base: review.base.document, draft: review.draft.document, live: review.live.document,
                                              conflicts: strategy == .theirs ? .theirs : .yours)
        let patch = EditRules.minimalPatch(original: review.live.document, edited: target)
        do {
            _ = try await client.discardBranchDraft(agentId, branchId)
            if !patch.isEmpty {
                plan.applied = try await branches.editDraft(agentId: agentId, branchId: branchId, patch: patch,
                                                            expectedRevision: 0, before: review.live.document)
            }
        } catch var e as AtomsError {
            e.hint = "the draft's text before the rebase is in \(saved.path); `atoms-tui drafts edit \(agentId) --branch \(branchId)` offers it"
            throw e
        }
        if plan.applied?.verified != false { flow.recovery.remove(agentId: agentId, draftId: key) }
        if strategy == .edit && !review.conflicts.isEmpty && plan.applied?.verified != false {
            let (now, rev, _) = try await branches.draftDocument(agentId: agentId, branchId: branchId)
            plan.edit = conflictSession(review: review, agentId: agentId, agentName: agentName, draftId: key,
                                        draftName: title, branchId: branchId, document: now, revision: rev, format: format)
        }
        return plan
    }

    /// `greeting (rebased on v12)`, cut to the API's 100 characters; `greeting (rebased on v12, 2)` and so
    /// on when a draft already has that name (`taken` holds names folded by `NameFolding.fold`).
    public static func rebasedName(_ old: String, onto: String, taken: Set<String> = []) -> String {
        var n = 1
        while true {
            let suffix = n == 1 ? " (rebased on \(onto))" : " (rebased on \(onto), \(n))"
            let name = String(old.prefix(max(1, 100 - suffix.count))) + suffix
            if !taken.contains(NameFolding.fold(name)) || n >= 999 { return name }
            n += 1
        }
    }

    // MARK: Phase 2

    /// Runs the editor on the conflicts (the caller has handed the terminal over); `.ready` / `.cancelled`
    /// / `.editorFailed` as for an edit. Nil when the plan has nothing to edit.
    public func editConflicts(_ plan: inout RebasePlan, runEditor: (URL) -> ExternalEditor.Outcome) -> EditRoundResult? {
        guard var session = plan.edit else { return nil }
        let result = flow.editRounds(&session, runEditor: runEditor)
        plan.edit = session
        return result
    }

    // MARK: Phase 3

    /// Saves the edit (if any), verifies the rebased draft by reading it back, and (v1, with
    /// `discardOld`) discards the old draft once the new one verified.
    public func finish(_ plan: RebasePlan, edit: EditRoundResult?, discardOld: Bool) async -> RebaseOutcome {
        let review = plan.review
        var outcome = RebaseOutcome(plan: plan, carried: review.yours.map(\.path), keptLive: review.reverted.map(\.path),
                                    conflicts: [], verified: false, notPersisted: [], oldDraftDiscarded: false, cancelled: nil,
                                    recoveryFile: nil)
        if plan.alreadyCurrent {
            outcome.carried = []
            outcome.keptLive = []
            outcome.verified = true
            return outcome
        }
        if let applied = plan.applied, !applied.verified {
            outcome.notPersisted = applied.notPersisted
            outcome.cancelled = "the rebased draft did not read back as sent (\(applied.notPersisted.joined(separator: ", "))); the old draft is kept"
            return outcome
        }
        let defaultSide = plan.strategy == .theirs ? "theirs" : "yours"
        var editedFields: Set<String> = []
        switch edit {
        case nil:
            outcome.conflicts = review.conflicts.map { ($0.path, defaultSide) }
        case .cancelled(let why)?:
            if why.hasPrefix("saved empty") {
                return await cancel(plan, outcome, "rebase cancelled in the editor (\(why))")
            }
            // Saved unchanged: the draft keeps the values it holds (yours).
            outcome.conflicts = review.conflicts.map { ($0.path, "yours") }
        case .editorFailed(let why)?:
            return await cancel(plan, outcome, why)
        case .ready(let patch, _)?:
            guard let session = plan.edit else { break }
            switch await flow.save(session, patch: patch) {
            case .saved(let saved):
                if !saved.verified {
                    outcome.notPersisted = saved.notPersisted
                    outcome.cancelled = "the conflict edit did not read back as sent (\(saved.notPersisted.joined(separator: ", ")))"
                    return outcome
                }
                editedFields = Set(patch.keys)
                outcome.conflicts = review.conflicts.map { c in
                    (c.path, editedFields.contains(c.field) ? "edited" : "yours")
                }
            case .conflict(let fields, _, _, _, _):
                outcome.cancelled = "someone else changed \(fields.joined(separator: ", ")) of the rebased draft meanwhile; nothing of the edit was sent"
                return outcome
            case .failed(let message, let file, _):
                outcome.cancelled = message
                outcome.recoveryFile = file
                return outcome
            }
        }
        // Final read-back: carried paths hold the draft's value, kept ones live's (fields edited by hand excepted).
        do {
            let final: ConfigDocument
            if let b = plan.branchId {
                final = try await branches.draftDocument(agentId: plan.agentId, branchId: b).document
            } else if let n = plan.newDraftId {
                final = try await lifecycle.draftDocument(agentId: plan.agentId, draftId: n).document
            } else {
                final = review.draft.document
            }
            var bad: [String] = []
            for c in review.comparison.changes where !editedFields.contains(c.field) {
                let want: JSONValue?
                switch c.kind {
                case .yours: want = c.draft
                case .theirs, .both: want = c.live
                case .conflict: want = plan.strategy == .theirs ? c.live : c.draft
                }
                if ThreeWayComparison.value(at: c.steps, in: final) != want { bad.append(c.path) }
            }
            outcome.notPersisted = bad
            outcome.verified = bad.isEmpty
        } catch {
            outcome.cancelled = "could not read the rebased draft back: \((error as? AtomsError)?.description ?? "\(error)")"
            return outcome
        }
        if outcome.verified, discardOld, let old = plan.oldDraftId, plan.newDraftId != nil {
            do {
                try await flow.lifecycle.client.discardDraft(plan.agentId, old)
                outcome.oldDraftDiscarded = true
            } catch {
                // Verified but not discarded: both drafts stay; the caller shows both names.
                outcome.oldDraftDiscarded = false
            }
        }
        return outcome
    }

    /// v1: discards the new draft (the old one is untouched); v2: the draft keeps what was written.
    func cancel(_ plan: RebasePlan, _ outcome: RebaseOutcome, _ why: String) async -> RebaseOutcome {
        var o = outcome
        if let n = plan.newDraftId {
            try? await flow.lifecycle.client.discardDraft(plan.agentId, n)
            o.cancelled = "\(why); the new draft was discarded and \"\(plan.oldDraftName ?? "")\" is unchanged"
        } else {
            o.cancelled = "\(why); the branch draft was re-opened on \(plan.review.live.name) and keeps your values for the conflicting fields"
        }
        return o
    }

    // MARK: One call

    /// All three phases (the CLI): `runEditor` is called only with `.edit` and conflicts.
    public func run(agentId: String, agentName: String, draftId: String? = nil, branchId: String? = nil,
                    strategy: ConflictStrategy, format: DocumentFormat = .yaml, discardOld: Bool,
                    runEditor: (URL) -> ExternalEditor.Outcome) async throws -> RebaseOutcome {
        var plan: RebasePlan
        if let branchId {
            plan = try await prepare(agentId: agentId, agentName: agentName, branchId: branchId, strategy: strategy, format: format)
        } else if let draftId {
            plan = try await prepare(agentId: agentId, agentName: agentName, draftId: draftId, strategy: strategy, format: format)
        } else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["name a draft (v1) or a branch (v2) to rebase"])
        }
        let edit = editConflicts(&plan, runEditor: runEditor)
        return await finish(plan, edit: edit, discardOld: discardOld)
    }

    // MARK: The conflict document

    /// An edit session on the rebased draft whose text marks every conflicting field: the header's NOTES
    /// list theirs (live) and yours (draft) for each, and (YAML) a comment line above each conflicting
    /// top-level field survives validation rounds. The document holds yours.
    func conflictSession(review: ThreeWayReview, agentId: String, agentName: String, draftId: String, draftName: String,
                         branchId: String?, document: ConfigDocument, revision: Int?, format: DocumentFormat) -> DraftEditSession {
        var session = DraftEditSession(agentId: agentId, draftId: draftId, agentName: agentName, draftName: draftName, format: format,
                                       original: document, baseRevision: revision, text: "")
        session.branchId = branchId
        session.notes = Self.conflictNotes(review: review)
        session.saveHint = Self.conflictSaveHint
        session.text = Self.conflictText(review: review, agentName: agentName, draftName: draftName, revision: revision,
                                         document: document, format: format)
        return session
    }

    static let conflictSaveHint = "Save unchanged to keep yours; save empty to cancel the rebase."

    static func one(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    /// The header's NOTES of the conflict editor.
    static func conflictNotes(review: ThreeWayReview) -> [String] {
        var notes = ["REBASE onto \(one(review.live.name)) from \(one(review.base.name)): these fields were changed both in the draft",
                     "and on the live side. The document holds YOUR value; change it to theirs or combine them, then save."]
        for c in review.conflicts {
            let by = c.introducedBy.isEmpty ? "" : ", \(c.introducedBy.map(\.name).joined(separator: ", "))"
            let v = ThreeWayReview.shortSideBySide([c.live, c.draft], limit: 200)
            notes.append("CONFLICT \(one(c.path))")
            notes.append("  theirs (live\(one(by))): \(one(v[0]))")
            notes.append("  yours (draft): \(one(v[1]))")
        }
        return notes
    }

    /// The text of the conflict editor (see `conflictSession`).
    public static func conflictText(review: ThreeWayReview, agentName: String, draftName: String, revision: Int?,
                                    document: ConfigDocument, format: DocumentFormat) -> String {
        let text = EditDocument.make(agentName: agentName, draftName: draftName, revision: revision, document: document,
                                     format: format, notes: conflictNotes(review: review), saveHint: conflictSaveHint)
        guard format == .yaml else { return text }
        // YAML: a blank line after the header, then a comment above each conflicting field (kept when the
        // header is rewritten: the blank line ends the header).
        var lines = text.components(separatedBy: "\n")
        let headerEnd = lines.prefix { $0.hasPrefix("#") }.count
        lines.insert("", at: headerEnd)
        let byField = Dictionary(grouping: review.conflicts, by: \.field)
        for (field, changes) in byField {
            guard let i = lines[(headerEnd + 1)...].firstIndex(where: { $0.hasPrefix("\(field):") || $0.hasPrefix("\"\(field)\":") }) else { continue }
            let marks = changes.map { c in
                let v = ThreeWayReview.shortSideBySide([c.live, c.draft], limit: 80)
                return "# CONFLICT \(one(c.path)) — theirs (live): \(one(v[0])) · yours (draft): \(one(v[1]))"
            }
            lines.insert(contentsOf: marks, at: i)
        }
        return lines.joined(separator: "\n")
    }
}
