import AtomsClient
import AtomsModels
import Foundation
import Terminal
import TUICore

extension EffectRunner {
    /// The client's review subject for a TUICore target.
    static func reviewSubject(_ t: ReviewTarget) -> ReviewSubject {
        switch t {
        case .draft(let d): return .draft(draftId: d)
        case .branchDraft(let b): return .branchDraft(branchId: b)
        case .makeLive(let b): return .makeLive(branchId: b)
        }
    }

    /// `.rebaseDraft`: the client's rebase plan; conflicting fields wait for the editor (the plan travels
    /// with `.needsEditor` as a `RebaseInProgress`).
    static func rebaseDraft(agentId: String, agentName: String, subject: ReviewTarget, _ services: RuntimeServices) async throws -> Msg {
        let rebase = DraftRebase(flow: services.editFlow)
        let plan: RebasePlan
        switch subject {
        case .draft(let d):
            plan = try await rebase.prepare(agentId: agentId, agentName: agentName, draftId: d, strategy: .edit, format: services.editFormat)
        case .branchDraft(let b):
            plan = try await rebase.prepare(agentId: agentId, agentName: agentName, branchId: b, strategy: .edit, format: services.editFormat)
        case .makeLive:
            throw AtomsError(kind: .invalidInput, serverErrors: ["a make-live has no draft to rebase"])
        }
        if plan.edit != nil {
            return .rebase(agentId: agentId, subject: subject, .needsEditor(conflicts: plan.review.conflicts.count, newDraftName: plan.newDraftName,
                                                                            rebase: RebaseInProgress(plan: plan).carried))
        }
        let outcome = await rebase.finish(plan, edit: nil, discardOld: false)
        return .rebase(agentId: agentId, subject: subject, .finished(try await result(outcome, services)))
    }

    /// `.finishRebase`: the last phase, once the editor settled the conflicting fields (plan and editor
    /// result come with the effect).
    static func finishRebase(agentId: String, subject: ReviewTarget, rebase carried: Carried, _ services: RuntimeServices) async throws -> Msg {
        let rebase = DraftRebase(flow: services.editFlow)
        guard let entry = RebaseInProgress(carried) else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["the rebase is gone — press R in the three-way view (t) to start it again"])
        }
        let outcome = await rebase.finish(entry.plan, edit: entry.edit, discardOld: false)
        return .rebase(agentId: agentId, subject: subject, .finished(try await result(outcome, services)))
    }

    /// The plain result of a rebase; v1 reads the drafts again so the list shows the new one. The old
    /// draft is always kept (the TUI shows both names; x discards it).
    static func result(_ o: RebaseOutcome, _ services: RuntimeServices) async throws -> RebaseResult {
        let p = o.plan
        var drafts: [AgentVersion]?
        if p.branchId == nil { drafts = try? await services.lifecycle.client.listDrafts(p.agentId) }
        return RebaseResult(oldDraftId: p.oldDraftId, oldDraftName: p.oldDraftName, newDraftId: p.newDraftId, newDraftName: p.newDraftName,
                            branchId: p.branchId, onto: p.review.live.name, alreadyCurrent: p.alreadyCurrent,
                            oldDraftDiscarded: o.oldDraftDiscarded, verified: o.verified,
                            cancelled: o.cancelled.map { $0 + (o.recoveryFile.map { f in "; your edit is in \(f.path)" } ?? "") },
                            carried: o.carried, keptLive: o.keptLive, drafts: drafts)
    }
}

extension EditorHandOff {
    /// `.rebaseConflicts`: the editor on a rebase's conflicting fields, on a thread of its own (the
    /// terminal is handed over like for `.editDraft`) → `.rebase(.edited)`.
    static func startRebase(agentId: String, subject: ReviewTarget, rebase: Carried, services: RuntimeServices?,
                            done: @escaping @Sendable (Msg) -> Void) {
        let thread = Thread {
            done(runRebase(agentId: agentId, subject: subject, rebase: rebase, services: services))
        }
        thread.name = "atoms-tui.editor"
        thread.start()
    }

    /// Runs the editor rounds on the carried plan's conflicts and returns the plan with their result
    /// (blocking).
    static func runRebase(agentId: String, subject: ReviewTarget, rebase carried: Carried, services: RuntimeServices?,
                          editor: ExternalEditor = ExternalEditor()) -> Msg {
        guard let services, var entry = RebaseInProgress(carried), let session = entry.plan.edit else {
            return .failed(.rebaseConflicts(agentId: agentId, subject: subject, rebase: carried),
                           EffectFailure(kind: .local, reason: "the rebase is gone", hint: "press R again"))
        }
        let flow = services.editFlow
        let rebase = DraftRebase(flow: flow)
        let format = session.format, draftId = session.draftId
        entry.edit = rebase.editConflicts(&entry.plan) { file in
            guardedEdit(file, editor: editor, flow: flow, alwaysKeep: false, agentId: agentId, draftId: draftId, format: format)
        }
        return .rebase(agentId: agentId, subject: subject, .edited(rebase: entry.carried))
    }
}
