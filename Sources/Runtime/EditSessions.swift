import AtomsClient
import AtomsModels
import Foundation
import Synchronization

/// The draft edits in progress, by agent and draft: the shared flow's session, the patch waiting
/// to be saved, and what a conflicting save found (for a rebase). TUICore refers to them by ids only.
final class EditSessions: Sendable {
    /// One edit in progress.
    struct Entry: Sendable {
        /// The flow's session (base document, revision, the person's text).
        var session: DraftEditSession
        /// The fields to send, once the editor produced valid text.
        var patch: ConfigDocument?
        /// What the last save found when someone else had changed the same fields.
        var conflict: Conflict?
    }

    /// A conflicting save's data, kept for `DraftEditFlow.rebase`.
    struct Conflict: Sendable {
        var fields: [String]
        var mine: ConfigDocument
        var latest: ConfigDocument
        var latestRevision: Int?
    }

    private let entries = Mutex<[String: Entry]>([:])

    private static func key(_ agentId: String, _ draftId: String) -> String { agentId + "/" + draftId }

    /// The entry of a draft, if an edit is in progress.
    func get(_ agentId: String, _ draftId: String) -> Entry? {
        entries.withLock { $0[Self.key(agentId, draftId)] }
    }

    /// Stores (or replaces) the entry of a draft.
    func set(_ entry: Entry, _ agentId: String, _ draftId: String) {
        entries.withLock { $0[Self.key(agentId, draftId)] = entry }
    }

    /// Forgets the edit of a draft.
    func remove(_ agentId: String, _ draftId: String) {
        _ = entries.withLock { $0.removeValue(forKey: Self.key(agentId, draftId)) }
    }
}
