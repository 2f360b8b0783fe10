import AtomsClient
import AtomsModels
import Foundation
import Terminal
import TUICore

/// The `.editDraft` effect: the shared flow's editor rounds (reopening on validation errors). It blocks
/// on the editor, so the loop runs it on a thread of its own — never on the Swift-concurrency pool —
/// after handing the terminal over (`Terminal.suspend`, key reader paused); its result re-enters the
/// loop as a message. The edit session comes with the effect and goes back with the message (nothing is
/// kept here). A terminating signal that arrives meanwhile is forwarded to the editor; once the
/// editor has exited, its text is kept in the draft's recovery file here, in ordinary context.
enum EditorHandOff {
    /// One editor round on `file`, armed for signals: while the editor is open a terminating signal's exit
    /// path keeps the text in the draft's recovery file; once the editor has exited after such a signal,
    /// the text is kept here, in ordinary context. Shared by the draft edit and the rebase's conflicts.
    static func guardedEdit(_ file: URL, editor: ExternalEditor, flow: DraftEditFlow, alwaysKeep: Bool,
                            agentId: String, draftId: String, format: DocumentFormat) -> ExternalEditor.Outcome {
        ExitRecovery.arm(ExitRecovery.Armed(file: file, before: (try? String(contentsOf: file, encoding: .utf8)) ?? "",
                                            alwaysKeep: alwaysKeep, store: flow.recovery, agentId: agentId, draftId: draftId, format: format))
        defer { ExitRecovery.disarm() }
        let outcome = editor.edit(file, onChild: { Terminal.editorChild($0) })
        if Terminal.pendingTerminationSignal != nil { ExitRecovery.saveNow() }
        return outcome
    }

    /// Runs `run` on a new thread and hands its message to `done`.
    static func start(agentId: String, draftId: String, rebase: Bool, session: Carried, services: RuntimeServices?,
                      done: @escaping @Sendable (Msg) -> Void) {
        let thread = Thread {
            done(run(agentId: agentId, draftId: draftId, rebase: rebase, session: session, services: services))
        }
        thread.name = "atoms-tui.editor"
        thread.start()
    }

    /// Runs the editor rounds of the carried session and returns the resulting message (blocking).
    static func run(agentId: String, draftId: String, rebase: Bool, session carried: Carried, services: RuntimeServices?,
                    editor: ExternalEditor = ExternalEditor()) -> Msg {
        guard let services, var entry = EditInProgress(carried) else {
            return .failed(.editDraft(agentId: agentId, draftId: draftId, rebase: rebase, session: carried),
                           EffectFailure(kind: .local, reason: "the edit session is gone", hint: "press e again"))
        }
        let flow = services.editFlow
        if rebase, let c = entry.conflict {
            entry.session = flow.rebase(entry.session, latest: c.latest, latestRevision: c.latestRevision, fields: c.fields, mine: c.mine)
            entry.conflict = nil
            entry.patch = nil
        }
        let keep = entry.session.carriesChanges, format = entry.session.format
        let result = flow.editRounds(&entry.session, runEditor: { file in
            guardedEdit(file, editor: editor, flow: flow, alwaysKeep: keep, agentId: agentId, draftId: draftId, format: format)
        })
        switch result {
        case .cancelled(let why):
            return .edit(agentId: agentId, draftId: draftId, .cancelled(why: why))
        case .editorFailed(let why):
            // Text that already carries changes (resumed, rebased) is never dropped.
            var kept: String?
            if entry.session.carriesChanges {
                kept = (try? flow.recovery.save(entry.session.text, agentId: agentId, draftId: draftId, format: entry.session.format))?.path
            }
            return .edit(agentId: agentId, draftId: draftId, .editorFailed(why: why, recoveryPath: kept))
        case .ready(let patch, _):
            entry.patch = patch
            return .edit(agentId: agentId, draftId: draftId, .ready(fields: patch.keys.sorted(), session: entry.carried))
        }
    }
}
