import XCTest
import AtomsModels
@testable import TUICore

/// `e`: the edit flow's effects and outcome messages, exactly.
final class EditUpdateTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0)
    let d1 = Fixtures.draftId(0, 1)
    var target: EditTarget { EditTarget(agentId: a0, draftId: d1, agentName: "Support Bot", draftName: "fix greeting") }
    /// Stand-ins for the Runtime's edit sessions (opaque to the core).
    let begun = Carried("session as begun"), ready = Carried("session with its patch"), conflicted = Carried("session after a conflict")

    func draftsFocused() -> AppState {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        return s
    }

    func testEOnADraftChecksForRecoveryThenOpensTheEditorThenSaves() {
        var s = draftsFocused()
        XCTAssertEqual(F.press([.char("e")], &s), [.beginEdit(target, resume: nil)])
        XCTAssertEqual(Effect.beginEdit(target, resume: nil).key, "edit")
        XCTAssertTrue(Effect.beginEdit(target, resume: nil).isWrite)
        XCTAssertEqual(s.writeInFlight, "opening draft \"fix greeting\"")
        XCTAssertEqual(F.press([.char("x")], &s), [], "one write at a time")
        XCTAssertTrue(s.status?.text.contains("busy") == true)
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun))), [.editDraft(agentId: a0, draftId: d1, rebase: false, session: begun)])
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .ready(fields: ["firstMessage", "singlePromptConfig"], session: ready))),
                       [.saveEdit(agentId: a0, draftId: d1, overwrite: false, session: ready)])
        XCTAssertEqual(s.writeInFlight, "saving firstMessage, singlePromptConfig of draft \"fix greeting\"")
        let effects = update(&s, .edit(agentId: a0, draftId: d1, .saved(revision: 4, notPersisted: [], recoveryPath: nil)))
        XCTAssertEqual(effects, [.loadDrafts(agentId: a0)], "the Drafts pane reloads to show the new revision")
        XCTAssertEqual(s.status, StatusMessage("draft \"fix greeting\" saved · rev 4 · verified", isError: false))
        XCTAssertEqual(s.draftRows.first?.draftRevision, 4)
        XCTAssertNil(s.writeInFlight)
        XCTAssertNil(s.editing)
    }

    func testOutcomesOnTheStatusLine() {
        var s = draftsFocused()
        F.press([.char("e")], &s)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun)))
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .cancelled(why: "saved unchanged: nothing sent"))), [])
        XCTAssertEqual(s.status, StatusMessage("draft \"fix greeting\": saved unchanged: nothing sent", isError: false))

        F.press([.char("e")], &s)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun)))
        _ = update(&s, .edit(agentId: a0, draftId: d1, .editorFailed(why: "the editor exited with status 3; nothing was sent", recoveryPath: nil)))
        XCTAssertEqual(s.status, StatusMessage("The editor exited with status 3; nothing was sent", isError: true))

        F.press([.char("e")], &s)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun)))
        _ = update(&s, .edit(agentId: a0, draftId: d1, .ready(fields: ["firstMessage"], session: ready)))
        _ = update(&s, .edit(agentId: a0, draftId: d1, .saved(revision: 5, notPersisted: ["firstMessage"], recoveryPath: "/st/recovery/x.yaml")))
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertEqual(s.status?.text, "draft \"fix greeting\" saved · rev 5 · NOT verified: firstMessage not visible yet — the platform can take a few seconds (R rechecks) — your edit is kept in /st/recovery/x.yaml")

        F.press([.char("e")], &s)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun)))
        _ = update(&s, .edit(agentId: a0, draftId: d1, .ready(fields: ["firstMessage"], session: ready)))
        // The Runtime words the client's error reason first (EffectFailure.line), never with the method and path.
        _ = update(&s, .edit(agentId: a0, draftId: d1, .failed(message: "423 config freeze active: writes are frozen for a maintenance window — reads still work; try again later",
                                                               recoveryPath: "/st/recovery/x.yaml")))
        XCTAssertEqual(s.status?.text, "423 config freeze active: writes are frozen for a maintenance window — reads still work; try again later — saving draft \"fix greeting\" failed; your edit is kept in /st/recovery/x.yaml (e offers to resume it)")
        XCTAssertNil(s.writeInFlight)

        let begin = F.press([.char("e")], &s)
        _ = update(&s, .failed(begin[0], EffectFailure(kind: .server, status: 503, reason: "Service Unavailable")))
        XCTAssertEqual(s.status?.text, "503 Service Unavailable — could not edit draft \"fix greeting\"; nothing was sent")
        XCTAssertNil(s.editing)
    }

    func testARecoveryFileIsOfferedBeforeTheEditorOpens() {
        var s = draftsFocused()
        F.press([.char("e")], &s)
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .recoveryFound(path: "/st/recovery/r.yaml"))), [])
        XCTAssertEqual(s.overlay, .resumeEdit(target, path: "/st/recovery/r.yaml"))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Resume your unsaved edit from /st/recovery/r.yaml? [y/N]"), text)
        XCTAssertEqual(F.press([.char("y")], &s), [.beginEdit(target, resume: true)])
        // N (or Enter) starts fresh; Esc cancels.
        _ = update(&s, .edit(agentId: a0, draftId: d1, .recoveryFound(path: "/st/recovery/r.yaml")))
        XCTAssertEqual(F.press([.enter], &s), [.beginEdit(target, resume: false)])
        _ = update(&s, .edit(agentId: a0, draftId: d1, .recoveryFound(path: "/st/recovery/r.yaml")))
        XCTAssertEqual(F.press([.escape], &s), [])
        XCTAssertNil(s.editing)
        XCTAssertNil(s.writeInFlight)
    }

    func testConflictDialogOffersEditAgainOverwriteOrCancel() {
        var s = draftsFocused()
        F.press([.char("e")], &s)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun)))
        _ = update(&s, .edit(agentId: a0, draftId: d1, .ready(fields: ["firstMessage"], session: ready)))
        let conflict = EditConflict(fields: [EditConflict.Field(name: "firstMessage", theirs: "Hi from them", mine: "Hello from me")], latestRevision: 7)
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .conflict(conflict, session: conflicted))), [])
        XCTAssertEqual(s.overlay, .editConflict(target, conflict))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("theirs: Hi from them") && text.contains("yours:  Hello from me"), text)
        XCTAssertTrue(text.contains("e edit again (theirs + your changes)"), text)
        XCTAssertEqual(F.press([.char("z")], &s), [], "other keys do nothing")
        XCTAssertNotNil(s.overlay)
        XCTAssertEqual(F.press([.char("e")], &s), [.editDraft(agentId: a0, draftId: d1, rebase: true, session: conflicted)])
        _ = update(&s, .edit(agentId: a0, draftId: d1, .ready(fields: ["firstMessage"], session: ready)))
        _ = update(&s, .edit(agentId: a0, draftId: d1, .conflict(conflict, session: conflicted)))
        XCTAssertEqual(F.press([.char("o")], &s), [.saveEdit(agentId: a0, draftId: d1, overwrite: true, session: conflicted)])
        _ = update(&s, .edit(agentId: a0, draftId: d1, .conflict(conflict, session: conflicted)))
        XCTAssertEqual(F.press([.escape], &s), [.abandonEdit(agentId: a0, draftId: d1, session: conflicted)])
        _ = update(&s, .edit(agentId: a0, draftId: d1, .abandoned(recoveryPath: "/st/recovery/r.yaml")))
        XCTAssertEqual(s.status?.text, "Cancelled — nothing was sent; your text is kept in /st/recovery/r.yaml (e offers to resume it)")
        XCTAssertNil(s.editing)
    }

    /// The Runtime keeps no edit store: the session each `.edit` event brings lives in the state and the
    /// next effect carries exactly that one back; it is forgotten once the edit is over.
    func testTheEditSessionTravelsInTheStateAndTheEffects() {
        var s = draftsFocused()
        F.press([.char("e")], &s)
        XCTAssertNil(s.editSession, "nothing is carried before the draft was read")
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun))),
                       [.editDraft(agentId: a0, draftId: d1, rebase: false, session: begun)])
        XCTAssertEqual(s.editSession, begun)
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .ready(fields: ["firstMessage"], session: ready))),
                       [.saveEdit(agentId: a0, draftId: d1, overwrite: false, session: ready)])
        XCTAssertEqual(s.editSession, ready, "the session with its patch replaces the one before")
        let conflict = EditConflict(fields: [EditConflict.Field(name: "firstMessage", theirs: "Hi", mine: "Hello")], latestRevision: 3)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .conflict(conflict, session: conflicted)))
        XCTAssertEqual(s.editSession, conflicted, "the dialog's answer needs what the save found")
        // Only the session value the message brought goes back (equality is identity, not contents).
        XCTAssertNotEqual(Carried("session after a conflict"), conflicted)
        XCTAssertEqual(conflicted.payload(as: String.self), "session after a conflict")
        XCTAssertNil(conflicted.payload(as: Int.self))
        XCTAssertEqual(conflicted.description, "Carried(String)", "the description never shows the payload (the person's text)")
        XCTAssertEqual(F.press([.char("o")], &s), [.saveEdit(agentId: a0, draftId: d1, overwrite: true, session: conflicted)])
        _ = update(&s, .edit(agentId: a0, draftId: d1, .saved(revision: 4, notPersisted: [], recoveryPath: nil)))
        XCTAssertNil(s.editSession, "forgotten once the edit is over")
        XCTAssertNil(s.editing)
        // A new edit never sees the old session; a failed step forgets it too.
        F.press([.char("e")], &s)
        XCTAssertNil(s.editSession)
        _ = update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun)))
        let editor = Effect.editDraft(agentId: a0, draftId: d1, rebase: false, session: begun)
        _ = update(&s, .failed(editor, EffectFailure(kind: .local, reason: "the editor thread failed")))
        XCTAssertNil(s.editSession)
    }

    func testEIsDisabledWithAReason() {
        var ro = F.loadedState(readOnly: true)
        F.press([.tab, .tab], &ro)
        XCTAssertEqual(F.press([.char("e")], &ro), [])
        XCTAssertTrue(ro.status?.text.hasPrefix("e edit: read-only mode") == true, ro.status?.text ?? "")
        var s = F.loadedState()
        F.press([.tab], &s)
        XCTAssertEqual(F.press([.char("e")], &s), [])
        XCTAssertEqual(s.status?.text, "e edit: published versions cannot be edited; press n to fork a draft from it")
    }

    func testStaleEditMessagesAreIgnored() {
        var s = draftsFocused()
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: d1, .begun(session: begun))), [], "no edit in flight")
        F.press([.char("e")], &s)
        XCTAssertEqual(update(&s, .edit(agentId: a0, draftId: "other", .begun(session: begun))), [])
    }
}
