import AtomsClient
import AtomsModels
import Foundation
import Terminal
import TUICore

/// The `.editDraft` effect, run inline on the loop because the editor owns the terminal: leave
/// curses, run the shared flow's editor rounds (reopening on validation errors), come back with
/// keys typed meanwhile dropped. The caller redraws everything afterwards.
enum EditorHandOff {
    /// Runs the editor rounds of the draft's session and returns the resulting message.
    static func run(agentId: String, draftId: String, rebase: Bool, services: RuntimeServices?, terminal: Terminal,
                    editor: ExternalEditor = ExternalEditor()) -> Msg {
        guard let services, var entry = services.sessions.get(agentId, draftId) else {
            return .loadFailed(key: EffectKey.edit, message: "the edit session is gone (press e again)")
        }
        let flow = services.editFlow
        if rebase, let c = entry.conflict {
            entry.session = flow.rebase(entry.session, latest: c.latest, latestRevision: c.latestRevision, fields: c.fields, mine: c.mine)
            entry.conflict = nil
            entry.patch = nil
        }
        let keep = entry.session.carriesChanges, format = entry.session.format
        terminal.suspend()
        let result = flow.editRounds(&entry.session, runEditor: { file in
            // If the process is told to end while the editor is open, the text goes to the recovery file.
            ExitRecovery.arm(ExitRecovery.Armed(file: file, before: (try? String(contentsOf: file, encoding: .utf8)) ?? "",
                                                alwaysKeep: keep, store: flow.recovery, agentId: agentId, draftId: draftId, format: format))
            defer { ExitRecovery.disarm() }
            return editor.edit(file)
        })
        terminal.resume()
        switch result {
        case .cancelled(let why):
            services.sessions.remove(agentId, draftId)
            return .edit(agentId: agentId, draftId: draftId, .cancelled(why: why))
        case .editorFailed(let why):
            // Text that already carries changes (resumed, rebased) is never dropped.
            var kept: String?
            if entry.session.carriesChanges {
                kept = (try? flow.recovery.save(entry.session.text, agentId: agentId, draftId: draftId, format: entry.session.format))?.path
            }
            services.sessions.remove(agentId, draftId)
            return .edit(agentId: agentId, draftId: draftId, .editorFailed(why: why, recoveryPath: kept))
        case .ready(let patch, _):
            entry.patch = patch
            services.sessions.set(entry, agentId, draftId)
            return .edit(agentId: agentId, draftId: draftId, .ready(fields: patch.keys.sorted()))
        }
    }
}
