import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// One draft edit between its steps: the shared flow's session, the patch waiting to be saved, and
/// what a conflicting save found (for editing again on top of theirs). It travels inside a `Carried`:
/// the `.edit` events bring it to the core, which keeps it (`AppState.editSession`) and hands it back
/// in `.editDraft`, `.saveEdit` and `.abandonEdit`. The runner keeps no copy.
struct EditInProgress: CarriedPayload {
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

}

/// A rebase started from the TUI between its phases: the client's `RebasePlan` (with its edit session)
/// and the editor's result. It travels inside a `Carried`: `.rebase(.needsEditor)` brings it, the core
/// puts it into `.rebaseConflicts`; `.rebase(.edited)` brings it back with the editor's result, the core
/// puts it into `.finishRebase`. The runner keeps no copy.
struct RebaseInProgress: CarriedPayload {
    /// The plan after the first phase.
    var plan: RebasePlan
    /// How the editor rounds on the conflicting fields ended (nil before they ran).
    var edit: EditRoundResult?
}

/// Runtime state that travels through the core inside a `Carried` and is read back by its own type.
protocol CarriedPayload: Sendable {}

extension CarriedPayload {
    /// The value an effect carries, if it is one of these (nil for anything else).
    init?(_ carried: Carried) {
        guard let value = carried.payload(as: Self.self) else { return nil }
        self = value
    }

    /// This value, to travel with a message.
    var carried: Carried { Carried(self) }
}
