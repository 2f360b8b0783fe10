import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// One draft edit between its steps: the shared flow's session, the patch waiting to be saved, and
/// what a conflicting save found (for editing again on top of theirs). It travels inside a `Carried`:
/// the `.edit` events bring it to the core, which keeps it (`AppState.editSession`) and hands it back
/// in `.editDraft`, `.saveEdit` and `.abandonEdit`. The runner keeps no copy.
struct EditInProgress: Sendable {
    /// The flow's session (base document, revision, the person's text).
    var session: DraftEditSession
    /// The fields to send, once the editor produced valid text.
    var patch: ConfigDocument?
    /// What the last save found when someone else had changed the same fields.
    var conflict: Conflict?

    /// A conflicting save's data, kept for `DraftEditFlow.rebase`.
    struct Conflict: Sendable {
        var fields: [String]
        var mine: ConfigDocument
        var latest: ConfigDocument
        var latestRevision: Int?
    }

    /// A new edit of a session just begun.
    init(session: DraftEditSession, patch: ConfigDocument? = nil, conflict: Conflict? = nil) {
        self.session = session
        self.patch = patch
        self.conflict = conflict
    }

    /// The edit an effect carries, if it is one.
    init?(_ carried: Carried) {
        guard let e = carried.payload(as: EditInProgress.self) else { return nil }
        self = e
    }

    /// This edit, to travel with a message.
    var carried: Carried { Carried(self) }
}

/// A rebase started from the TUI between its phases: the client's `RebasePlan` (with its edit session)
/// and the editor's result. It travels inside a `Carried`: `.rebase(.needsEditor)` brings it, the core
/// puts it into `.rebaseConflicts`; `.rebase(.edited)` brings it back with the editor's result, the core
/// puts it into `.finishRebase`. The runner keeps no copy.
struct RebaseInProgress: Sendable {
    /// The plan after the first phase.
    var plan: RebasePlan
    /// How the editor rounds on the conflicting fields ended (nil before they ran).
    var edit: EditRoundResult?

    /// A rebase whose editor has not run yet.
    init(plan: RebasePlan, edit: EditRoundResult? = nil) {
        self.plan = plan
        self.edit = edit
    }

    /// The rebase an effect carries, if it is one.
    init?(_ carried: Carried) {
        guard let r = carried.payload(as: RebaseInProgress.self) else { return nil }
        self = r
    }

    /// This rebase, to travel with a message.
    var carried: Carried { Carried(self) }
}
