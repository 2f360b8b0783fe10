/// What happened to an edit of a draft (the Runtime runs the shared `DraftEditFlow` and reports
/// each step as one of these; `update` decides what comes next).
public enum EditEvent: Hashable, Sendable {
    /// A recovery file from an earlier unsaved edit exists; the person is asked whether to resume it.
    case recoveryFound(path: String)
    /// The draft was read and the editable text prepared; the editor can open. `session` is the
    /// Runtime's edit session (opaque), kept in `AppState.editSession` and carried by the next effects.
    case begun(session: Carried)
    /// The editor closed without anything to send (`why` says which: unchanged, empty, no changes).
    case cancelled(why: String)
    /// The editor could not start or exited non-zero; nothing was sent. `recoveryPath` is set when
    /// text carrying earlier changes was kept.
    case editorFailed(why: String, recoveryPath: String?)
    /// The edited text is valid; these top-level fields will be sent. `session` now holds the patch.
    case ready(fields: [String], session: Carried)
    /// Sent and read back: `notPersisted` lists the sent fields the server does not hold as sent
    /// (empty = verified); their text is kept in `recoveryPath`.
    case saved(revision: Int?, notPersisted: [String], recoveryPath: String?)
    /// Someone else changed the same fields since the edit began. `session` now holds what the save
    /// found (for editing again on top of theirs).
    case conflict(EditConflict, session: Carried)
    /// Saving failed; the edited text is in `recoveryPath`.
    case failed(message: String, recoveryPath: String?)
    /// The person cancelled after a conflict; the text is kept in `recoveryPath`.
    case abandoned(recoveryPath: String?)
}
