import AtomsModels
import AtomsSimulator
import Foundation
import TUICore
import XCTest
@testable import AtomsClient
@testable import Runtime

/// The Runtime keeps no edit or rebase store: every step of an edit or a rebase runs from what its
/// effect carries. Each step here gets brand-new `RuntimeServices` (as if another runner ran it), so a
/// step that still looked something up by agent and draft id would find nothing.
extension SimulatorHarness {
    /// New services on this client with files under `home` — nothing shared with any earlier step.
    func freshServices(home: URL) -> RuntimeServices {
        RuntimeServices(lifecycle: lifecycle, paths: AppPaths(environment: ["HOME": home.path]))
    }
}

extension EditFlowTests {
    func testRuntimeEditStepsRunFromTheCarriedSessionAlone() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1), name: "greeting")
        let draftId = try XCTUnwrap(draft.draftId)
        let target = EditTarget(agentId: agentId, draftId: draftId, agentName: "A", draftName: "greeting")

        // begin → editor → save, each on fresh services.
        let begun = try await EffectRunner.perform(.beginEdit(target, resume: false), h.freshServices(home: stateDir))
        guard case .edit(_, _, .begun(let session))? = begun else { return XCTFail("\(String(describing: begun))") }
        let edited = EditorHandOff.run(agentId: agentId, draftId: draftId, rebase: false, session: session,
                                       services: h.freshServices(home: stateDir), editor: sed("s/^firstMessage:.*/firstMessage: From the effect/"))
        guard case .edit(_, _, .ready(let fields, let withPatch)) = edited else { return XCTFail("\(edited)") }
        XCTAssertEqual(fields, ["firstMessage"])
        XCTAssertNotEqual(withPatch, session, "the session with its patch is a new value")
        let saved = try await EffectRunner.perform(.saveEdit(agentId: agentId, draftId: draftId, overwrite: false, session: withPatch),
                                                   h.freshServices(home: stateDir))
        guard case .edit(_, _, .saved(_, let notPersisted, _))? = saved else { return XCTFail("\(String(describing: saved))") }
        XCTAssertEqual(notPersisted, [])
        var doc = try await h.lifecycle.draftDocument(agentId: agentId, draftId: draftId).document
        XCTAssertEqual(doc["firstMessage"], "From the effect")

        // A conflict brings the session back with what the save found; editing again on top of theirs
        // (the conflict dialog's e) and saving work from that value alone.
        let again = try await EffectRunner.perform(.beginEdit(target, resume: false), h.freshServices(home: stateDir))
        guard case .edit(_, _, .begun(let s2))? = again else { return XCTFail("\(String(describing: again))") }
        let edited2 = EditorHandOff.run(agentId: agentId, draftId: draftId, rebase: false, session: s2,
                                        services: h.freshServices(home: stateDir), editor: sed("s/^firstMessage:.*/firstMessage: Mine/"))
        guard case .edit(_, _, .ready(_, let ready2)) = edited2 else { return XCTFail("\(edited2)") }
        _ = try await h.lifecycle.patchDraft(agentId: agentId, draftId: draftId, patch: ["firstMessage": "Theirs"])
        let clash = try await EffectRunner.perform(.saveEdit(agentId: agentId, draftId: draftId, overwrite: false, session: ready2),
                                                   h.freshServices(home: stateDir))
        guard case .edit(_, _, .conflict(let conflict, let conflicted))? = clash else { return XCTFail("\(String(describing: clash))") }
        XCTAssertEqual(conflict.fields.map(\.name), ["firstMessage"])
        let rebased = EditorHandOff.run(agentId: agentId, draftId: draftId, rebase: true, session: conflicted,
                                        services: h.freshServices(home: stateDir), editor: ExternalEditor(command: "true"))
        guard case .edit(_, _, .ready(_, let mineOnTop)) = rebased else { return XCTFail("\(rebased)") }
        let settled = try await EffectRunner.perform(.saveEdit(agentId: agentId, draftId: draftId, overwrite: false, session: mineOnTop),
                                                     h.freshServices(home: stateDir))
        guard case .edit(_, _, .saved)? = settled else { return XCTFail("\(String(describing: settled))") }
        doc = try await h.lifecycle.draftDocument(agentId: agentId, draftId: draftId).document
        XCTAssertEqual(doc["firstMessage"], "Mine", "saving the rebased text unchanged sends yours")

        // Abandoning after a conflict keeps the carried text in the recovery file.
        _ = try await h.lifecycle.patchDraft(agentId: agentId, draftId: draftId, patch: ["firstMessage": "Theirs again"])
        let clash2 = try await EffectRunner.perform(.saveEdit(agentId: agentId, draftId: draftId, overwrite: false, session: ready2),
                                                    h.freshServices(home: stateDir))
        guard case .edit(_, _, .conflict(_, let conflicted2))? = clash2 else { return XCTFail("\(String(describing: clash2))") }
        let abandoned = try await EffectRunner.perform(.abandonEdit(agentId: agentId, draftId: draftId, session: conflicted2),
                                                       h.freshServices(home: stateDir))
        guard case .edit(_, _, .abandoned(let path))? = abandoned, let path else { return XCTFail("\(String(describing: abandoned))") }
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("firstMessage: Mine"))

        // Something that is not an edit session is refused, never guessed at.
        do {
            _ = try await EffectRunner.perform(.saveEdit(agentId: agentId, draftId: draftId, overwrite: false, session: Carried("not a session")),
                                               h.freshServices(home: stateDir))
            XCTFail("saved without a session")
        } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .invalidInput)
        }
        let gone = EditorHandOff.run(agentId: agentId, draftId: draftId, rebase: false, session: Carried(42),
                                     services: h.freshServices(home: stateDir), editor: ExternalEditor(command: "true"))
        guard case .failed(_, let failure) = gone else { return XCTFail("\(gone)") }
        XCTAssertEqual(failure.reason, "the edit session is gone")
    }
}

extension ThreeWayReviewTests {
    func testRuntimeRebaseStepsRunFromTheCarriedPlanAlone() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let s = try await v1Scenario(h)
        let subject = ReviewTarget.draft(draftId: s.draftId)
        let first = try await EffectRunner.perform(.rebaseDraft(agentId: s.agentId, agentName: "Lifecycle Test Agent", subject: subject),
                                                   h.freshServices(home: stateDir))
        guard case .rebase(_, _, .needsEditor(let n, let name, let planned))? = first else { return XCTFail("\(String(describing: first))") }
        XCTAssertEqual(n, 1)
        XCTAssertEqual(name, "greeting (rebased on v3)")
        let edited = EditorHandOff.runRebase(agentId: s.agentId, subject: subject, rebase: planned, services: h.freshServices(home: stateDir),
                                             editor: sed("s/^    voiceId: arjun$/    voiceId: kavya/"))
        guard case .rebase(_, _, .edited(let withEdit)) = edited else { return XCTFail("\(edited)") }
        let last = try await EffectRunner.perform(.finishRebase(agentId: s.agentId, subject: subject, rebase: withEdit),
                                                  h.freshServices(home: stateDir))
        guard case .rebase(_, _, .finished(let result))? = last else { return XCTFail("\(String(describing: last))") }
        XCTAssertNil(result.cancelled)
        XCTAssertTrue(result.verified)
        XCTAssertEqual(result.carried, ["firstMessage"])
        XCTAssertFalse(result.oldDraftDiscarded, "the TUI keeps the old draft")
        let newId = try XCTUnwrap(result.newDraftId)
        let doc = try await h.lifecycle.draftDocument(agentId: s.agentId, draftId: newId).document
        XCTAssertEqual(doc["synthesizer"]?["voiceConfig"]?["voiceId"], "kavya", "the editor's settlement was saved from the carried result")
        XCTAssertEqual(doc["firstMessage"], "Namaste!")

        // Something that is not a rebase is refused, never guessed at.
        do {
            _ = try await EffectRunner.perform(.finishRebase(agentId: s.agentId, subject: subject, rebase: Carried("no plan")),
                                               h.freshServices(home: stateDir))
            XCTFail("finished a rebase without its plan")
        } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .invalidInput)
        }
    }
}
