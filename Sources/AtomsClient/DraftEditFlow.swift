import Foundation
import AtomsModels

/// One edit of one draft in progress: what it started from and the person's current text.
public struct DraftEditSession: Sendable {
    public var agentId: String
    public var draftId: String
    public var agentName: String
    public var draftName: String
    public var format: DocumentFormat
    /// The document the edit is based on (compare with it for the minimal patch).
    public var original: ConfigDocument
    /// The draft revision `original` was read at.
    public var baseRevision: Int?
    /// The text the editor opens next (kept across validation errors and conflicts).
    public var text: String
    /// Set when the text came from a recovery file.
    public var recoveredFrom: URL?
    /// True when the text already carries the person's changes (resumed or rebased), so saving it
    /// unchanged still sends them.
    public var carriesChanges = false
    /// v2: the branch whose draft is edited (saved with `PUT …/draft` and `expectedRevision`);
    /// `draftId` is then `branch-<branchId>` (the key of recovery files).
    public var branchId: String?
    /// Information kept in the header across validation rounds (resumed from a file, a conflict being
    /// settled): listed under NOTES, never under ERRORS.
    public var notes: [String] = []
    /// Replaces "Save unchanged or empty to cancel." in the header (the rebase's conflict editor).
    public var saveHint: String?
}

/// How an editor round ended.
public enum EditRoundResult: Sendable, Equatable {
    case cancelled(String)
    case editorFailed(String)
    case ready(patch: ConfigDocument, edited: ConfigDocument)
}

/// How a save ended.
public enum EditSaveResult: Sendable {
    /// Sent and read back.
    case saved(PatchOutcome)
    /// Someone else changed the same fields since the edit began.
    case conflict(fields: [String], theirs: ConfigDocument, mine: ConfigDocument, latest: ConfigDocument, latestRevision: Int?)
    /// Something failed after the editor; the text is in the recovery file. `error` is the client's error
    /// when there is one (front ends word it their own way: the TUI leads with the reason).
    case failed(message: String, recoveryFile: URL?, error: AtomsError?)
}

/// The editing flow shared by `e` in the TUI and `atoms-tui drafts edit`:
/// read → edit (validation loop) → re-read and check for conflicts → minimal PATCH → read back; on any
/// failure after the editor the text goes to a recovery file. The caller owns the terminal hand-over.
public struct DraftEditFlow: Sendable {
    public let lifecycle: Lifecycle
    public let recovery: RecoveryStore

    /// Builds the flow.
    public init(lifecycle: Lifecycle, recovery: RecoveryStore) {
        self.lifecycle = lifecycle
        self.recovery = recovery
    }

    /// Reads the draft and prepares the text; `resume` uses a recovery file when one exists.
    public func begin(agentId: String, draftId: String, agentName: String, draftName: String,
                      format: DocumentFormat, resume: Bool) async throws -> DraftEditSession {
        let (doc, revision) = try await lifecycle.draftDocument(agentId: agentId, draftId: draftId)
        try AgentKind.requireEditable(doc)
        var session = DraftEditSession(agentId: agentId, draftId: draftId, agentName: agentName, draftName: draftName,
                                       format: format, original: doc, baseRevision: revision,
                                       text: EditDocument.make(agentName: agentName, draftName: draftName, revision: revision,
                                                               document: doc, format: format))
        if resume, let saved = recovery.load(agentId: agentId, draftId: draftId) {
            session.format = saved.format
            session.notes = ["Resumed from \(saved.url.path) (an earlier edit that was not saved)."]
            session.text = EditDocument.rewriteHeader(saved.text, agentName: agentName, draftName: draftName, revision: revision,
                                                      notes: session.notes, format: saved.format)
            session.recoveredFrom = saved.url
            session.carriesChanges = true
        }
        return session
    }

    /// v2: reads a branch's draft (or, with none open, its head at revision 0) and prepares the text.
    public func begin(agentId: String, branchId: String, agentName: String, branchName: String,
                      format: DocumentFormat, resume: Bool) async throws -> DraftEditSession {
        let (doc, revision, _) = try await branchLifecycle.draftDocument(agentId: agentId, branchId: branchId)
        try AgentKind.requireEditable(doc)
        let key = Self.recoveryKey(branchId: branchId)
        let title = "\(branchName) (branch draft)"
        var session = DraftEditSession(agentId: agentId, draftId: key, agentName: agentName, draftName: title,
                                       format: format, original: doc, baseRevision: revision,
                                       text: EditDocument.make(agentName: agentName, draftName: title, revision: revision,
                                                               document: doc, format: format))
        session.branchId = branchId
        if resume, let saved = recovery.load(agentId: agentId, draftId: key) {
            session.format = saved.format
            session.notes = ["Resumed from \(saved.url.path) (an earlier edit that was not saved)."]
            session.text = EditDocument.rewriteHeader(saved.text, agentName: agentName, draftName: title, revision: revision,
                                                      notes: session.notes, format: saved.format)
            session.recoveredFrom = saved.url
            session.carriesChanges = true
        }
        return session
    }

    /// The recovery-file key of a branch draft.
    public static func recoveryKey(branchId: String) -> String { "branch-\(branchId)" }

    var branchLifecycle: BranchLifecycle { BranchLifecycle(client: lifecycle.client, clock: lifecycle.clock) }

    /// Whether a recovery file exists for the draft.
    public func hasRecovery(agentId: String, draftId: String) -> URL? { recovery.load(agentId: agentId, draftId: draftId)?.url }

    /// Runs the editor until the text is valid, cancelled, or the editor fails. `runEditor` is called
    /// with the terminal handed over; the temp file is private and removed afterwards.
    public func editRounds(_ session: inout DraftEditSession, runEditor: (URL) -> ExternalEditor.Outcome) -> EditRoundResult {
        while true {
            let file: URL
            do {
                file = try PrivateTempFiles.make(prefix: "draft-\(session.draftId)", ext: session.format.rawValue)
                try AppPaths.writePrivate(Data(session.text.utf8), to: file)
            } catch {
                return .editorFailed("cannot write a private temp file: \(error.localizedDescription)")
            }
            defer { try? FileManager.default.removeItem(at: file) }
            let before = session.text
            switch runEditor(file) {
            case .failedToStart(let why): return .editorFailed(why + "; nothing was sent")
            case .exited(let code): return .editorFailed("the editor exited with status \(code); nothing was sent")
            case .saved: break
            }
            guard let after = try? String(contentsOf: file, encoding: .utf8) else {
                return .editorFailed("cannot read the edited file back; nothing was sent")
            }
            if after == before && !session.carriesChanges {
                return .cancelled("saved unchanged: nothing sent")
            }
            session.text = after
            switch EditRules.evaluate(text: after, original: session.original, format: session.format) {
            case .cancelled(let why):
                if session.recoveredFrom != nil && why.hasPrefix("no changes") {
                    // The draft already holds the recovered text (its save went through before the answer was lost).
                    recovery.remove(agentId: session.agentId, draftId: session.draftId)
                    return .cancelled("the draft already holds the recovered edit: nothing sent; recovery file removed")
                }
                return .cancelled(why)
            case .invalid(let problems):
                session.text = EditDocument.rewriteHeader(after, agentName: session.agentName, draftName: session.draftName,
                                                          revision: session.baseRevision, errors: problems, notes: session.notes,
                                                          saveHint: session.saveHint, format: session.format)
                continue
            case .patch(let patch, let edited):
                return .ready(patch: patch, edited: edited)
            }
        }
    }

    /// Re-reads the draft, checks for conflicting edits, sends the patch and verifies it.
    /// With `overwrite`, conflicting fields are sent anyway (last write wins).
    public func save(_ session: DraftEditSession, patch: ConfigDocument, overwrite: Bool = false) async -> EditSaveResult {
        if let branchId = session.branchId { return await saveBranch(session, branchId: branchId, patch: patch, overwrite: overwrite) }
        do {
            let (latest, latestRevision) = try await lifecycle.draftDocument(agentId: session.agentId, draftId: session.draftId)
            if latestRevision != session.baseRevision && !overwrite {
                let fields = EditRules.conflicts(base: session.original, latest: latest, patch: patch)
                if !fields.isEmpty {
                    return conflict(fields, latest: latest, latestRevision: latestRevision, patch: patch)
                }
            }
            let outcome = try await lifecycle.patchDraft(agentId: session.agentId, draftId: session.draftId, patch: patch, before: latest)
            return saved(session, outcome)
        } catch {
            return failed(session, error)
        }
    }

    /// v2 save: `PUT …/draft` with `expectedRevision` = the revision the edit began at (omitted with
    /// `overwrite`: last write wins). The server's 409 (rich or lean body, or `base_revision_unavailable`)
    /// becomes the same `.conflict` result as a v1 conflict found by re-reading.
    func saveBranch(_ session: DraftEditSession, branchId: String, patch: ConfigDocument, overwrite: Bool) async -> EditSaveResult {
        let bl = branchLifecycle
        do {
            let outcome = try await bl.editDraft(agentId: session.agentId, branchId: branchId, patch: patch,
                                                 expectedRevision: overwrite ? nil : session.baseRevision)
            return saved(session, outcome)
        } catch let e as AtomsError where e.draftConflict != nil || e.v2Conflict == .baseRevisionUnavailable {
            do {
                let (latest, latestRevision, _) = try await bl.draftDocument(agentId: session.agentId, branchId: branchId)
                var fields = (e.draftConflict?.requestFields ?? []).filter { patch[$0] != nil }
                if fields.isEmpty { fields = EditRules.conflicts(base: session.original, latest: latest, patch: patch) }
                if fields.isEmpty { fields = patch.keys.sorted() }
                return conflict(fields, latest: latest, latestRevision: latestRevision, patch: patch)
            } catch {
                return failed(session, error)
            }
        } catch {
            return failed(session, error)
        }
    }

    /// A sent edit: verified → the recovery file goes; not verified → the text is kept there.
    func saved(_ session: DraftEditSession, _ outcome: PatchOutcome) -> EditSaveResult {
        if outcome.verified {
            recovery.remove(agentId: session.agentId, draftId: session.draftId)
        } else {
            _ = try? recovery.save(session.text, agentId: session.agentId, draftId: session.draftId, format: session.format)
        }
        return .saved(outcome)
    }

    /// A conflict on `fields`: their values and mine, side by side.
    func conflict(_ fields: [String], latest: ConfigDocument, latestRevision: Int?, patch: ConfigDocument) -> EditSaveResult {
        .conflict(fields: fields, theirs: latest.filter { fields.contains($0.key) }, mine: patch.filter { fields.contains($0.key) },
                  latest: latest, latestRevision: latestRevision)
    }

    /// A failure after the editor: the text goes to the recovery file.
    func failed(_ session: DraftEditSession, _ error: Error) -> EditSaveResult {
        let url = try? recovery.save(session.text, agentId: session.agentId, draftId: session.draftId, format: session.format)
        let message = (error as? AtomsError)?.description ?? "\(error)"
        return .failed(message: message, recoveryFile: url, error: error as? AtomsError)
    }

    /// After a conflict: edit again on top of the latest. The reopened text is the latest draft with the
    /// person's changes (their text against what the edit began from) applied on top: fields only someone
    /// else changed hold THEIR value, each conflicting field holds YOURS, and the NOTES list both values of
    /// each conflicting field. Saving it unchanged sends your values for the fields you changed.
    public func rebase(_ session: DraftEditSession, latest: ConfigDocument, latestRevision: Int?, fields: [String],
                       mine: ConfigDocument) -> DraftEditSession {
        var s = session
        s.original = latest
        s.baseRevision = latestRevision
        var merged = latest
        let body = EditDocument.stripHeader(session.text, format: session.format)
        if let edited = try? ConfigDocumentCodec.parse(body, format: session.format), !edited.isEmpty {
            for (k, v) in EditRules.minimalPatch(original: session.original, edited: edited) { merged[k] = v }
        }
        for (k, v) in mine { merged[k] = v }
        let rev = latestRevision.map(String.init) ?? "?"
        var notes = ["Someone else saved this draft since you started (now revision \(rev)). This file is their latest",
                     "version with your changes on top; the fields you both changed hold YOUR value:"]
        for f in fields {
            // Both values cut at the same place, around where they first differ, so the difference shows.
            let pair = ThreeWayReview.shortSideBySide([mine[f] ?? merged[f], latest[f]])
            notes.append("CONFLICT \(f) — in this file (yours): \(pair[0]) · theirs: \(pair[1])")
        }
        notes.append("Saving sends your value for each field you changed; to keep theirs, put their value back first.")
        s.notes = notes
        s.text = EditDocument.make(agentName: s.agentName, draftName: s.draftName, revision: latestRevision, document: merged,
                                   format: s.format, notes: notes, saveHint: s.saveHint)
        s.carriesChanges = true
        return s
    }
}
