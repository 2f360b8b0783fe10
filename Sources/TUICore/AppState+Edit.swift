import Foundation
import AtomsModels

extension AppState {
    // MARK: - Editing a draft (e)

    /// `e` on a draft: check for a recovery file, then read the draft and open the editor.
    mutating func startEdit() -> [Effect] {
        guard let agentId = selectedAgentId, let d = selectedDraft else { return [] }
        let target = EditTarget(agentId: agentId, draftId: d.draftId ?? d.id,
                                agentName: selectedAgent?.name ?? agentId, draftName: d.draftName ?? d.draftId ?? d.id)
        editing = target
        editSession = nil
        writeInFlight = "opening \(target.label)"
        return [.beginEdit(target, resume: nil)]
    }

    /// A step of the edit flow happened.
    mutating func editEvent(agentId: String, draftId: String, _ event: EditEvent) -> [Effect] {
        guard let target = editing, target.agentId == agentId, target.draftId == draftId else { return [] }
        switch event {
        case .recoveryFound(let path):
            writeInFlight = nil
            overlay = .resumeEdit(target, path: path)
            return []
        case .begun(let session):
            editSession = session
            writeInFlight = "editing \(target.label)"
            return [.editDraft(agentId: agentId, draftId: draftId, rebase: false, session: session)]
        case .cancelled(let why):
            endEdit()
            status = StatusMessage("\(target.label): \(Sanitizer.sanitize(why, maxCharacters: 200))", isError: false)
            return []
        case .editorFailed(let why, let path):
            endEdit()
            var text = Sanitizer.sanitize(why, maxCharacters: 200)
            if let first = text.first { text = first.uppercased() + text.dropFirst() }
            if let path { text += " — your edit is kept in \(path)" }
            status = StatusMessage(text, isError: true)
            return []
        case .ready(let fields, let session):
            editSession = session
            writeInFlight = "saving \(fields.joined(separator: ", ")) of \(target.label)"
            return [.saveEdit(agentId: agentId, draftId: draftId, overwrite: false, session: session)]
        case .saved(let revision, let notPersisted, let path):
            endEdit()
            let rev = revision.map { "rev \($0)" } ?? "rev ?"
            if var set = drafts[agentId], let i = set.items.firstIndex(where: { $0.draftId == draftId || $0.id == draftId }) {
                if let revision { set.items[i].draftRevision = revision }
                drafts[agentId] = set
            }
            configs[ConfigRef(agentId: agentId, source: .draft(draftId))] = nil
            if let branchId = target.branchId {
                configs = configs.filter { if case .branchDraft(let b, _) = $0.key.source { return b != branchId }; return true }
            }
            if notPersisted.isEmpty {
                status = StatusMessage("\(target.label) saved · \(rev) · verified", isError: false)
            } else {
                let kept = path.map { " — your edit is kept in \($0)" } ?? ""
                status = StatusMessage("\(target.label) saved · \(rev) · NOT verified: \(notPersisted.joined(separator: ", ")) not visible yet — the platform can take a few seconds (R rechecks)\(kept)", isError: true)
            }
            guard agentId == selectedAgentId else { return [] }
            if focus == .drafts || (focus == .detail && detailOwner == .drafts) { wantConfigForSelection() }
            if let branchId = target.branchId {
                branchDraftToSelect = branchId  // a new branch draft's row is selected once it lists
                return reloadBranches(agentId)
            }
            drafts[agentId, default: DraftSet()].loading = true
            return [.loadDrafts(agentId: agentId)]
        case .conflict(let conflict, let session):
            editSession = session
            writeInFlight = nil
            overlay = .editConflict(target, conflict)
            return []
        case .failed(let message, let path):
            endEdit()
            let kept = path.map { "your edit is kept in \($0) (e offers to resume it)" } ?? "the recovery file could not be written"
            logDetails = ["reason: " + Sanitizer.sanitize(message)]
            status = StatusMessage(reasonFirst(Sanitizer.sanitize(message, maxCharacters: 300), "saving \(target.label) failed; \(kept)"), isError: true)
            return []
        case .abandoned(let path):
            endEdit()
            let kept = path.map { "your text is kept in \($0) (e offers to resume it)" } ?? "the recovery file could not be written"
            status = StatusMessage("Cancelled — nothing was sent; \(kept)", isError: false)
            return []
        }
    }

    /// The edit is over (its outcome goes on the status line).
    mutating func endEdit() {
        editing = nil
        editSession = nil
        writeInFlight = nil
    }

    /// "Resume your unsaved edit from PATH? [y/N]": y resumes, Esc cancels, anything else starts fresh.
    mutating func resumeKey(_ key: Key, _ target: EditTarget, path: String) -> [Effect] {
        overlay = nil
        switch key {
        case .escape:
            endEdit()
            status = StatusMessage("Cancelled — nothing was changed; the unsaved edit stays in \(path)", isError: false)
            return []
        case .char("y"), .char("Y"):
            writeInFlight = "opening \(target.label) (resuming)"
            return [.beginEdit(target, resume: true)]
        default:
            writeInFlight = "opening \(target.label)"
            return [.beginEdit(target, resume: false)]
        }
    }

    /// The conflict dialog: e edit again on top of theirs, o overwrite, c/Esc cancel (text kept).
    /// Each answer hands the session the conflict brought back to the Runtime.
    mutating func conflictKey(_ key: Key, _ target: EditTarget, _ conflict: EditConflict) -> [Effect] {
        guard let session = editSession else {
            // Cannot happen (`.conflict` brought it); the edit ends rather than sending without it.
            overlay = nil
            endEdit()
            status = StatusMessage("\(target.label): the edit session is gone — press e again", isError: true)
            return []
        }
        switch key {
        case .char("e"), .char("E"):
            overlay = nil
            writeInFlight = "editing \(target.label) again"
            return [.editDraft(agentId: target.agentId, draftId: target.draftId, rebase: true, session: session)]
        case .char("o"), .char("O"):
            overlay = nil
            writeInFlight = "overwriting \(conflict.fields.map(\.name).joined(separator: ", ")) of \(target.label)"
            return [.saveEdit(agentId: target.agentId, draftId: target.draftId, overwrite: true, session: session)]
        case .char("c"), .char("C"), .escape, .char("q"):
            overlay = nil
            writeInFlight = "keeping your text"
            return [.abandonEdit(agentId: target.agentId, draftId: target.draftId, session: session)]
        default:
            return []
        }
    }

    /// The lines of the conflict dialog.
    public func conflictLines(_ target: EditTarget, _ conflict: EditConflict) -> [(String, Style)] {
        let rev = conflict.latestRevision.map { " (now revision \($0))" } ?? ""
        var lines: [(String, Style)] = [("Someone else changed \(target.label) of \(agentName(target.agentId)) since you opened it\(rev).", .overlayTitle)]
        lines.append(("Both of you changed:", .overlay))
        for f in conflict.fields {
            lines.append((Sanitizer.sanitize(f.name), .bold))
            lines.append(("  theirs: " + Self.oneLine(f.theirs), .removed))
            lines.append(("  yours:  " + Self.oneLine(f.mine), .added))
        }
        return lines
    }

    /// A value on one line: newlines shown as ⏎, long text cut with an ellipsis.
    static func oneLine(_ s: String, max: Int = 160) -> String {
        Sanitizer.sanitize(s.replacingOccurrences(of: "\n", with: " ⏎ "), maxCharacters: max)
    }
}
