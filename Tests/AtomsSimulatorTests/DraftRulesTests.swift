import XCTest
@testable import AtomsSimulator
import AtomsModels

final class DraftRulesTests: XCTestCase {
    func testCreateDraftNeedsASource() throws {
        let f = try Fixture()
        assertSimError(400, "Either sourceVersionId or sourceDraftId is required") {
            try f.store.createDraft(agentId: f.agentId, CreateDraftRequest())
        }
        assertSimError(400) { try f.store.createDraft(agentId: f.agentId, CreateDraftRequest(sourceVersionId: "v1")) }
        assertSimError(400) {
            try f.store.createDraft(agentId: f.agentId, CreateDraftRequest(sourceVersionId: f.v1, draftName: ""))
        }
        assertSimError(404, "Agent not found") {
            try f.store.createDraft(agentId: String(repeating: "b", count: 24), CreateDraftRequest(sourceVersionId: f.v1))
        }
    }

    func testDraftHandleIsDistinctFromTheRowIdAndNamedAfterItsSource() throws {
        let f = try Fixture()
        let d = try f.draft()
        let handle = try XCTUnwrap(d.draftId)
        XCTAssertTrue(ObjectID.isValid(handle))
        XCTAssertNotEqual(handle, d.id)
        XCTAssertEqual(d.status, .draft)
        XCTAssertEqual(d.draftName, "Draft from v1")
        XCTAssertEqual(d.draftRevision, 1)
        XCTAssertEqual(d.sourceVersionId, f.v1)
        XCTAssertEqual(d.blocks?.count, 13)
        // Paths use the handle, not the row id.
        XCTAssertNoThrow(try f.store.draft(agentId: f.agentId, draftId: handle))
        assertSimError(404) { try f.store.draft(agentId: f.agentId, draftId: d.id) }
        // Fork from a draft.
        let copy = try f.store.createDraft(agentId: f.agentId, CreateDraftRequest(sourceDraftId: handle))
        XCTAssertEqual(copy.draftName, "Copy of Draft from v1")
        XCTAssertEqual(copy.sourceVersionId, f.v1)
        XCTAssertEqual(try f.store.drafts(agentId: f.agentId).count, 2)
    }

    func testPatchConfigMergesObjectsReplacesArraysBumpsRevisionRotatesBlocksAndDoesNotEcho() throws {
        let f = try Fixture()
        let d = try f.draft()
        let handle = try XCTUnwrap(d.draftId)
        let toolA: JSONValue = ["type": "end_call", "name": "a", "description": "A"]
        let toolB: JSONValue = ["type": "end_call", "name": "b", "description": "B"]
        _ = try f.store.updateDraftConfig(agentId: f.agentId, draftId: handle,
                                          ["singlePromptConfig": ["tools": [toolA, toolB]]])
        let r = try f.store.updateDraftConfig(agentId: f.agentId, draftId: handle, [
            "synthesizer": ["speed": 0.9],
            "singlePromptConfig": ["tools": [toolB]],
        ])
        XCTAssertEqual(r.draftRevision, 3)
        // Not echoed.
        let text = try jsonText(r)
        XCTAssertFalse(text.contains("synthesizer"), text)
        XCTAssertFalse(text.contains("0.9"), text)
        XCTAssertFalse(text.contains("\"tools\""), text)
        // Blocks: touched sections rotate, the rest stay.
        let before = try XCTUnwrap(d.blocks)
        let after = try XCTUnwrap(r.blocks)
        for s in ConfigMapping.sections {
            if ["voice", "workflow_tools"].contains(s) { XCTAssertNotEqual(before[s], after[s], s) } else { XCTAssertEqual(before[s], after[s], s) }
        }
        // Objects merged (voiceConfig and the prompt kept), arrays replaced.
        let config = try f.store.draftConfig(agentId: f.agentId, draftId: handle)
        XCTAssertEqual(config["synthesizer"]?["speed"], 0.9)
        XCTAssertEqual(config["synthesizer"]?["voiceConfig"]?["voiceId"], "nyah")
        XCTAssertEqual(config["singlePromptConfig"]?["tools"], [toolB])
        XCTAssertEqual(config["singlePromptConfig"]?["prompt"], "You are a helpful assistant.")
        // Edit history, newest first.
        let detail = try f.store.draft(agentId: f.agentId, draftId: handle)
        XCTAssertEqual(detail.editCount, 2)
        XCTAssertEqual(detail.editHistory.map(\.revision), [3, 2])
        XCTAssertEqual(detail.editHistory.first?.changedSections, ["workflow_tools", "voice"])
        XCTAssertEqual(detail.editHistory.first?.editorName, "Demo User")
        XCTAssertEqual(detail.latest.draftRevision, 3)
        XCTAssertEqual(try f.store.draft(agentId: f.agentId, draftId: handle, limit: 1).editHistory.count, 1)
        // The draft as GET /agent/{id}?draftId= shows it.
        let agent = try f.store.agent(id: f.agentId, draftId: handle)
        XCTAssertEqual(agent.configSource, "draft")
        XCTAssertEqual(agent.resolvedConfig?["tools"], [toolB])
    }

    func testPatchConfigValidation() throws {
        let f = try Fixture()
        let handle = try XCTUnwrap(try f.draft().draftId)
        func patch(_ doc: ConfigDocument) throws -> AgentVersion {
            try f.store.updateDraftConfig(agentId: f.agentId, draftId: handle, doc)
        }
        assertSimError(400, "No recognized config fields") { try patch(["name": "New name"]) }
        assertSimError(400, "No recognized config fields") { try patch(["telephonyProductId": ["x"]]) }
        assertSimError(400, "No recognized config fields") { try patch([:]) }
        assertSimError(400, "Unrecognized key(s) in object: 'voice'") { try patch(["voice": ["speed": 1]]) }
        assertSimError(400) { try patch(["firstMessage": .string(String(repeating: "x", count: 501))]) }
        assertSimError(400) { try patch(["globalPrompt": .string(String(repeating: "x", count: 4001))]) }
        assertSimError(400) { try patch(["interruptionBackoffTimer": 11]) }
        assertSimError(400) { try patch(["allowInterruptions": "yes"]) }
        assertSimError(400) { try patch(["slmModel": "gpt-9"]) }
        assertSimError(400) { try patch(["language": ["default": "fr"]]) }
        assertSimError(400) { try patch(["language": ["default": "es"]]) } // not among supported [en, hi]
        assertSimError(400) { try patch(["language": ["supported": ["ta", "en"]]]) }
        assertSimError(400) { try patch(["synthesizer": ["sampleRate": 12345]]) }
        assertSimError(400) { try patch(["singlePromptConfig": ["tools": [["type": "end_call"]]]]) }
        // Nothing above changed the draft.
        XCTAssertEqual(try f.store.draft(agentId: f.agentId, draftId: handle).latest.draftRevision, 1)
        // `name` alongside a real field is ignored, not echoed, not applied.
        XCTAssertEqual(try patch(["name": "x", "firstMessage": "Hi"]).draftRevision, 2)
        XCTAssertEqual(try f.store.agent(id: f.agentId).name, "Test Agent")
    }

    func testPublishIgnoresActivateAndRemovesTheDraft() throws {
        let f = try Fixture()
        let d = try f.draft()
        let handle = try XCTUnwrap(d.draftId)
        _ = try f.store.updateDraftConfig(agentId: f.agentId, draftId: handle, ["firstMessage": "v2"])
        let v = try f.store.publishDraft(agentId: f.agentId, draftId: handle,
                                         PublishDraftRequest(label: "Second", description: "desc", activate: true))
        XCTAssertFalse(v.isActive)
        XCTAssertEqual(v.status, .published)
        XCTAssertEqual(v.versionNumber, 2)
        XCTAssertEqual(v.label, "Second")
        XCTAssertEqual(v.securityCheck?.status, .pending)
        XCTAssertNotEqual(v.id, d.id)
        XCTAssertEqual(try f.store.agent(id: f.agentId).activeVersionId, f.v1)
        assertSimError(404) { try f.store.draft(agentId: f.agentId, draftId: handle) }
        XCTAssertTrue(try f.store.drafts(agentId: f.agentId).isEmpty)
        XCTAssertEqual(try f.store.versionConfig(agentId: f.agentId, versionId: v.id)["firstMessage"], "v2")
    }

    func testPublishValidatesLabelAndDescriptionLength() throws {
        let f = try Fixture()
        let handle = try XCTUnwrap(try f.draft().draftId)
        assertSimError(400) {
            try f.store.publishDraft(agentId: f.agentId, draftId: handle,
                                     PublishDraftRequest(label: String(repeating: "l", count: 201)))
        }
        assertSimError(400) {
            try f.store.publishDraft(agentId: f.agentId, draftId: handle,
                                     PublishDraftRequest(description: String(repeating: "d", count: 2001)))
        }
        XCTAssertNoThrow(try f.store.publishDraft(agentId: f.agentId, draftId: handle,
                                                  PublishDraftRequest(label: String(repeating: "l", count: 200))))
    }

    func testRenameAndDiscard() throws {
        let f = try Fixture()
        let handle = try XCTUnwrap(try f.draft().draftId)
        XCTAssertEqual(try f.store.renameDraft(agentId: f.agentId, draftId: handle, RenameDraftRequest(draftName: "Better")).draftName, "Better")
        XCTAssertEqual(try f.store.drafts(agentId: f.agentId).first?.draftName, "Better")
        XCTAssertEqual(try f.store.drafts(agentId: f.agentId).first?.lastEditorName, "Demo User")
        assertSimError(400) { try f.store.renameDraft(agentId: f.agentId, draftId: handle, RenameDraftRequest(draftName: String(repeating: "n", count: 101))) }
        try f.store.discardDraft(agentId: f.agentId, draftId: handle)
        XCTAssertTrue(try f.store.drafts(agentId: f.agentId).isEmpty)
        assertSimError(404) { try f.store.discardDraft(agentId: f.agentId, draftId: handle) }
    }

    func testDraftDiffAgainstTheSourceAndVersionDiff() throws {
        let f = try Fixture()
        let handle = try XCTUnwrap(try f.draft().draftId)
        XCTAssertFalse(try f.store.draftDiff(agentId: f.agentId, draftId: handle).hasChanges)
        _ = try f.store.updateDraftConfig(agentId: f.agentId, draftId: handle, ["firstMessage": "Changed"])
        let diff = try f.store.draftDiff(agentId: f.agentId, draftId: handle)
        XCTAssertTrue(diff.hasChanges)
        XCTAssertEqual(diff.sections.filter { $0.value.changed }.map(\.key), ["call_handling"])
        XCTAssertEqual(diff.sections["call_handling"]?.after?["firstMessage"], "Changed")
        XCTAssertEqual(diff.sections["call_handling"]?.before?["firstMessage"], "")
        assertSimError(400) { try f.store.draftDiff(agentId: f.agentId, draftId: handle, compareTo: "nope") }

        let v2 = try f.store.publishDraft(agentId: f.agentId, draftId: handle)
        let vd = try f.store.versionDiff(agentId: f.agentId, versionA: f.v1, versionB: v2.id)
        XCTAssertEqual(vd.diffs.map(\.section), ["call_handling"])
        XCTAssertEqual(vd.diffs.first?.changes, [DiffChange(path: "firstMessage", oldValue: "", newValue: "Changed")])
        XCTAssertEqual(vd.unchangedSections.count, 12)
        assertSimError(400) { try f.store.versionDiff(agentId: f.agentId, versionA: f.v1, versionB: nil) }
        assertSimError(400) { try f.store.versionDiff(agentId: f.agentId, versionA: "x", versionB: v2.id) }
        // A draft handle falls back to the draft's latest revision.
        let other = try XCTUnwrap(try f.draft().draftId)
        _ = try f.store.updateDraftConfig(agentId: f.agentId, draftId: other, ["allowInterruptions": false])
        let dd = try f.store.versionDiff(agentId: f.agentId, versionA: f.v1, versionB: other)
        XCTAssertEqual(dd.diffs.first?.changes.first?.path, "allowInterruptions")
    }
}
