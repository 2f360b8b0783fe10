import AtomsModels
import AtomsSimulator
import XCTest
@testable import AtomsClient

/// What the edit-flow suites share: a private state directory for recovery files, the flow over a
/// simulator harness, and a scripted "editor".
class EditFlowTestCase: XCTestCase {
    var stateDir: URL!

    override func setUp() {
        stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-edit-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: stateDir) }

    func flow(_ h: SimulatorHarness) -> DraftEditFlow {
        DraftEditFlow(lifecycle: h.lifecycle, recovery: RecoveryStore(stateDirectory: stateDir))
    }

    /// An "editor" that rewrites the file with a shell command.
    func sed(_ expr: String) -> ExternalEditor { ExternalEditor(command: "sed -i '\(expr)'") }
}

final class EditFlowTests: EditFlowTestCase {

    func testEverySeededConfigRoundTripsThroughYAMLAndJSON() async throws {
        let h = try await SimulatorHarness.start { $0.seedDemo = true }
        defer { Task { await h.sim.stop() } }
        let agents = try await h.client.listAgents(AgentListQuery(pageSize: 100)).agents
        XCTAssertGreaterThanOrEqual(agents.count, 6)
        XCTAssertEqual(agents.filter { $0.workflowType == "multi_agents" }.count, 1, "the demo has one Playbooks agent")
        for a in agents where a.workflowType != "multi_agents" {
            let doc = try await h.lifecycle.versionDocument(agentId: a.id, versionId: a.activeVersionId!)
            XCTAssertNotNil(doc["singlePromptConfig"]?["prompt"], a.name)
            for format in DocumentFormat.allCases {
                let text = EditDocument.make(agentName: a.name, draftName: "d", revision: 3, document: doc, format: format)
                let back = try ConfigDocumentCodec.parse(EditDocument.stripHeader(text), format: format)
                XCTAssertEqual(back, doc, "\(a.name) does not round-trip as \(format)")
            }
            let yaml = ConfigDocumentCodec.render(doc, format: .yaml)
            if let prompt = doc["singlePromptConfig"]?["prompt"]?.stringValue, prompt.contains("\n") {
                XCTAssertTrue(yaml.contains("prompt: |"), "multi-line prompts are block scalars:\n\(yaml.prefix(300))")
            }
            XCTAssertTrue(yaml.hasPrefix("singlePromptConfig:"), "the prompt comes first")
        }
    }

    func testYAMLEmitterHandlesTrickyStrings() throws {
        let doc: ConfigDocument = [
            "firstMessage": "yes", "globalPrompt": "  leading spaces\nand: colons # and hashes\n\n",
            "defaultVariables": ["n": "012", "b": "true", "e": "", "dash": "- item", "ctl": "bell\u{7}", "emoji": "日本 🚀"],
            "pronunciationDicts": [["word": "Zoë", "pronunciation": "zo-ee"]], "interruptionBackoffTimer": 2.5,
        ]
        let back = try ConfigDocumentCodec.parse(ConfigYAML.render(doc), format: .yaml)
        XCTAssertEqual(back, doc, ConfigYAML.render(doc))
    }

    func testValidationRules() {
        func problems(_ d: ConfigDocument) -> [String] { ConfigValidator.validate(d).map(\.description) }
        XCTAssertEqual(problems(["bogus": 1]), ["bogus: unknown field"])
        XCTAssertTrue(problems(["firstMessage": .string(String(repeating: "a", count: 501))])[0].contains("limit is 500"))
        XCTAssertTrue(problems(["globalPrompt": .string(String(repeating: "a", count: 4001))])[0].contains("limit is 4000"))
        XCTAssertTrue(problems(["firstMessage": 3])[0].contains("must be a string"))
        XCTAssertTrue(problems(["slmModel": "gpt-9"])[0].contains("not one of"))
        XCTAssertTrue(problems(["interruptionBackoffTimer": 11])[0].contains("out of range"))
        XCTAssertTrue(problems(["allowInterruptions": "yes"])[0].contains("boolean"))
        XCTAssertTrue(problems(["language": ["default": "hi", "supported": ["en"], "switching": ["isEnabled": false]]])[0].contains("must be one of language.supported"))
        XCTAssertTrue(problems(["language": ["default": "en", "supported": ["en"]]])[0].contains("switching"))
        XCTAssertTrue(problems(["singlePromptConfig": ["prompt": "x", "tools": [["type": "teleport", "name": "t", "description": "d"]]]])[0].contains("teleport"))
        XCTAssertTrue(problems(["singlePromptConfig": ["tools": [["type": "end_call"]]]]).contains { $0.contains("name: required") })
        XCTAssertTrue(problems(["synthesizer": ["speed": 3]])[0].contains("out of range"))
        XCTAssertTrue(problems(["name": "x"])[0].contains("not a draft config field"))
        XCTAssertEqual(problems(["firstMessage": "ok", "language": ["default": "en", "supported": ["en", "hi"], "switching": ["isEnabled": true]]]), [])
    }

    func testSyntaxErrorsNameLineAndColumnCountingTheHeader() {
        let text = "# atoms-tui: header\n# more\nfirstMessage: [oops\n"
        guard case .invalid(let p) = EditRules.evaluate(text: text, original: [:], format: .yaml) else { return XCTFail() }
        XCTAssertTrue(p[0].hasPrefix("line 3") || p[0].hasPrefix("line 4"), p[0])
        XCTAssertTrue(p[0].contains("column"), p[0])
        guard case .invalid(let j) = EditRules.evaluate(text: "{\"firstMessage\": }", original: [:], format: .json) else { return XCTFail() }
        XCTAssertTrue(j[0].contains("JSON"), j[0])
    }

    func testMinimalPatchAndCancellation() {
        let original: ConfigDocument = ["firstMessage": "Hi", "slmModel": "electron", "synthesizer": ["speed": 1.2]]
        var edited = original
        edited["firstMessage"] = "Hello"
        XCTAssertEqual(EditRules.minimalPatch(original: original, edited: edited), ["firstMessage": "Hello"])
        let unchanged = ConfigDocumentCodec.render(original, format: .yaml)
        XCTAssertEqual(EditRules.evaluate(text: unchanged, original: original, format: .yaml), .cancelled("no changes: nothing sent"))
        XCTAssertEqual(EditRules.evaluate(text: "# only a header\n\n", original: original, format: .yaml), .cancelled("saved empty: nothing sent"))
        guard case .invalid(let p) = EditRules.evaluate(text: "firstMessage: Hi\n", original: original, format: .yaml) else { return XCTFail() }
        XCTAssertTrue(p[0].contains("removing fields"), p[0])
    }

    func testEditWithScriptedEditorSavesAndVerifies() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1), name: "e2e")
        let f = flow(h)
        var session = try await f.begin(agentId: agentId, draftId: draft.draftId!, agentName: "A", draftName: "e2e", format: .yaml, resume: true)
        let result = f.editRounds(&session) { sed("s/^firstMessage:.*/firstMessage: Edited in sed/").edit($0) }
        guard case .ready(let patch, _) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(patch, ["firstMessage": "Edited in sed"])
        guard case .saved(let outcome) = await f.save(session, patch: patch) else { return XCTFail() }
        XCTAssertTrue(outcome.verified)
        let awaited1 = try await h.lifecycle.draftDocument(agentId: agentId, draftId: draft.draftId!).document["firstMessage"]
        XCTAssertEqual(awaited1, "Edited in sed")
    }

    func testInvalidEditReopensWithErrorsAndKeepsText() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let f = flow(h)
        var session = try await f.begin(agentId: agentId, draftId: draft.draftId!, agentName: "A", draftName: "d", format: .yaml, resume: false)
        var round = 0
        var secondText = ""
        let result = f.editRounds(&session) { url in
            round += 1
            if round == 1 { return sed("s/^firstMessage:.*/firstMessage: [broken/").edit(url) }
            secondText = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            return sed("s/^firstMessage:.*/firstMessage: fixed/").edit(url)
        }
        XCTAssertEqual(round, 2)
        XCTAssertTrue(secondText.contains("# ERRORS"), secondText)
        XCTAssertTrue(secondText.contains("firstMessage: [broken"), "the person's text is kept")
        guard case .ready(let patch, _) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(patch["firstMessage"], "fixed")
    }

    func testEditorThatCannotStartOrFailsSendsNothing() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let f = flow(h)
        var session = try await f.begin(agentId: agentId, draftId: draft.draftId!, agentName: "A", draftName: "d", format: .yaml, resume: false)
        let missing = f.editRounds(&session) { ExternalEditor(command: "/nonexistent/editor-xyz").edit($0) }
        guard case .editorFailed(let why) = missing else { return XCTFail("\(missing)") }
        XCTAssertTrue(why.contains("not found"), why)
        let failing = f.editRounds(&session) { ExternalEditor(command: "sh -c 'exit 3'").edit($0) }
        XCTAssertEqual(failing, .editorFailed("the editor exited with status 3; nothing was sent"))
        let detail = try await h.client.getDraft(agentId, draft.draftId!)
        XCTAssertEqual(detail.latest.draftRevision, draft.draftRevision, "nothing was sent")
        if let dir = PrivateTempFiles.currentDirectory {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "temp files are removed")
        }
    }

    func testConflictOnSameFieldAndMergeOnDifferentFields() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let id = draft.draftId!
        let f = flow(h)
        // Same field: conflict with both values.
        let session = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: .yaml, resume: false)
        _ = try await h.lifecycle.patchDraft(agentId: agentId, draftId: id, patch: ["firstMessage": "Teammate's greeting"])
        guard case .conflict(let fields, let theirs, let mine, let latest, let rev) = await f.save(session, patch: ["firstMessage": "My greeting"]) else {
            return XCTFail("expected a conflict")
        }
        XCTAssertEqual(fields, ["firstMessage"])
        XCTAssertEqual(theirs["firstMessage"], "Teammate's greeting")
        XCTAssertEqual(mine["firstMessage"], "My greeting")
        // Edit again on top of the latest: the header names both values; the file holds yours.
        let rebased = f.rebase(session, latest: latest, latestRevision: rev, fields: fields, mine: mine)
        XCTAssertTrue(rebased.text.contains("in this file (yours): \"My greeting\" · theirs: \"Teammate's greeting\""), rebased.text)
        // Overwrite wins.
        guard case .saved(let o) = await f.save(session, patch: ["firstMessage": "My greeting"], overwrite: true) else { return XCTFail() }
        XCTAssertTrue(o.verified)
        // Different fields merge without asking.
        let s2 = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: .yaml, resume: false)
        _ = try await h.lifecycle.patchDraft(agentId: agentId, draftId: id, patch: ["slmModel": "gpt-4o"])
        guard case .saved(let merged) = await f.save(s2, patch: ["firstMessage": "Merged"]) else { return XCTFail() }
        XCTAssertTrue(merged.verified)
        let doc = try await h.lifecycle.draftDocument(agentId: agentId, draftId: id).document
        XCTAssertEqual(doc["slmModel"], "gpt-4o")
        XCTAssertEqual(doc["firstMessage"], "Merged")
    }

    func testFailedSaveKeepsTextInRecoveryAndNextEditResumes() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let id = draft.draftId!
        let f = flow(h)
        var session = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: .yaml, resume: true)
        guard case .ready(let patch, _) = f.editRounds(&session, runEditor: { sed("s/^firstMessage:.*/firstMessage: Precious words/").edit($0) }) else { return XCTFail() }
        await h.sim.stop()   // the connection drops
        guard case .failed(let message, let file, let error) = await f.save(session, patch: patch) else { return XCTFail("expected failure") }
        XCTAssertFalse(message.isEmpty)
        XCTAssertNotNil(error, "the client error travels with the words, so front ends can lead with the reason")
        let url = try XCTUnwrap(file)
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).contains("Precious words"))
        var st = stat()
        XCTAssertEqual(stat(url.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertNotNil(f.hasRecovery(agentId: agentId, draftId: id))
    }

    func testNextEditResumesFromRecoveryAndSuccessRemovesIt() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let id = draft.draftId!
        let f = flow(h)
        let fresh = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: .yaml, resume: false)
        let kept = fresh.text.replacingOccurrences(of: "firstMessage: Hello!", with: "firstMessage: Recovered words")
        XCTAssertNotEqual(kept, fresh.text)
        try f.recovery.save(kept, agentId: agentId, draftId: id, format: .yaml)
        var session = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: .yaml, resume: true)
        XCTAssertNotNil(session.recoveredFrom)
        XCTAssertTrue(session.text.contains("Recovered words"))
        // Saving it unchanged still sends the recovered change.
        guard case .ready(let patch, _) = f.editRounds(&session, runEditor: { ExternalEditor(command: "true").edit($0) }) else { return XCTFail() }
        XCTAssertEqual(patch, ["firstMessage": "Recovered words"])
        guard case .saved(let o) = await f.save(session, patch: patch), o.verified else { return XCTFail() }
        XCTAssertNil(f.hasRecovery(agentId: agentId, draftId: id), "a successful save removes the recovery file")
    }
}
