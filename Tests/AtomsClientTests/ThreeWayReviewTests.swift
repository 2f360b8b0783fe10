import AtomsModels
import AtomsSimulator
import XCTest
@testable import AtomsClient

/// The three-way review, its history walk and rebase, over real HTTP against the in-process simulator (v1 and v2).
final class ThreeWayReviewTests: XCTestCase {
    var stateDir: URL!

    override func setUp() {
        stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-3way-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: stateDir) }

    func rebase(_ h: SimulatorHarness) -> DraftRebase {
        DraftRebase(flow: DraftEditFlow(lifecycle: h.lifecycle, recovery: RecoveryStore(stateDirectory: stateDir)))
    }

    /// An "editor" that rewrites the file with sed.
    func sed(_ expr: String) -> ExternalEditor { ExternalEditor(command: "sed -i '\(expr)'") }

    /// Forks from `from`, patches, publishes, waits for the check and activates: the new active version.
    func ship(_ h: SimulatorHarness, _ agentId: String, from: String, _ patch: ConfigDocument, label: String) async throws -> AgentVersion {
        let d = try await h.lifecycle.fork(agentId: agentId, from: .version(from), name: label)
        let out = try await h.lifecycle.patchDraft(agentId: agentId, draftId: d.draftId!, patch: patch)
        XCTAssertTrue(out.verified, "\(out.notPersisted)")
        let v = try await h.lifecycle.publish(agentId: agentId, draftId: d.draftId!, label: label, description: nil)
        var last: CheckProgress?
        for try await p in h.lifecycle.watchCheck(agentId: agentId, version: v, expected: 0.2, timeout: 10) { last = p }
        XCTAssertEqual(last?.phase, .passed)
        _ = try await h.lifecycle.activate(agentId: agentId, versionId: v.id)
        return v
    }

    /// v1 → old draft forked from v1 and edited; v2 and v3 published and activated over it.
    func v1Scenario(_ h: SimulatorHarness) async throws -> (agentId: String, v1: String, v2: AgentVersion, v3: AgentVersion, draftId: String) {
        let (agentId, v1) = try await h.makeAgent()
        let old = try await h.lifecycle.fork(agentId: agentId, from: .version(v1), name: "greeting")
        let draftId = try XCTUnwrap(old.draftId)
        let mine = try await h.lifecycle.patchDraft(agentId: agentId, draftId: draftId, patch: [
            "firstMessage": "Namaste!", "synthesizer": ["voiceConfig": ["voiceId": "arjun"]],
        ])
        XCTAssertTrue(mine.verified)
        let v2 = try await ship(h, agentId, from: v1, ["synthesizer": ["speed": 1.5], "allowInterruptions": false], label: "faster")
        let v3 = try await ship(h, agentId, from: v2.id, [
            "language": ["default": "en", "supported": ["en", "hi"], "switching": ["isEnabled": true]],
            "synthesizer": ["voiceConfig": ["voiceId": "meera"]],
        ], label: "hindi")
        return (agentId, v1, v2, v3, draftId)
    }

    func testV1ReviewNamesTheVersionsThatWouldBeReverted() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let s = try await v1Scenario(h)
        let review = try await ThreeWayReviewer(client: h.client).reviewDraft(agentId: s.agentId, draftId: s.draftId)
        XCTAssertEqual(review.base.id, s.v1)
        XCTAssertEqual(review.base.name, "v1")
        XCTAssertEqual(review.live.id, s.v3.id)
        XCTAssertEqual(review.live.name, "v3 (active)")
        XCTAssertEqual(review.history.map(\.name), ["v2", "v3"])
        XCTAssertEqual(review.behindBy, 2)
        XCTAssertTrue(review.wouldUndoLiveChanges)
        let kinds = Dictionary(uniqueKeysWithValues: review.comparison.changes.map { ($0.path, $0.kind) })
        XCTAssertEqual(kinds, [
            "firstMessage": .yours,
            "synthesizer.speed": .theirs, "allowInterruptions": .theirs,
            "language.supported[1]": .theirs, "language.switching.isEnabled": .theirs,
            "synthesizer.voiceConfig.voiceId": .conflict,
        ])
        func by(_ p: String) -> [String] { review.comparison.changes.first { $0.path == p }?.introducedBy.map(\.name) ?? [] }
        XCTAssertEqual(by("synthesizer.speed"), ["v2"])
        XCTAssertEqual(by("allowInterruptions"), ["v2"])
        XCTAssertEqual(by("language.supported[1]"), ["v3"])
        XCTAssertEqual(by("synthesizer.voiceConfig.voiceId"), ["v3"])
        XCTAssertEqual(review.comparison.changes.first { $0.path == "synthesizer.voiceConfig.voiceId" }?.draft, "arjun")
        XCTAssertTrue(review.reversionLines.contains { $0.hasPrefix("allowInterruptions: live false → true") && $0.contains("introduced by v2 'faster'") },
                      "\(review.reversionLines)")
        // A draft forked from the active version reverts nothing.
        let fresh = try await h.lifecycle.fork(agentId: s.agentId, from: .version(s.v3.id))
        let clean = try await ThreeWayReviewer(client: h.client).reviewDraft(agentId: s.agentId, draftId: fresh.draftId!)
        XCTAssertFalse(clean.isBehind)
        XCTAssertTrue(clean.comparison.changes.isEmpty)
        // A draft forked from a draft: its base is found through the chain.
        let child = try await h.lifecycle.fork(agentId: s.agentId, from: .draft(s.draftId))
        let viaChain = try await ThreeWayReviewer(client: h.client).baseVersionId(agentId: s.agentId, draft: child)
        XCTAssertEqual(viaChain, s.v1)
    }

    func testV1RebaseKeepsNewerFieldsAndTheEditAndPublishesBoth() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let s = try await v1Scenario(h)
        // The conflicting voice is settled in a scripted editor: neither theirs nor mine, a third value.
        let editor = sed("s/^    voiceId: arjun$/    voiceId: kavya/")
        let outcome = try await rebase(h).run(agentId: s.agentId, agentName: "Lifecycle Test Agent", draftId: s.draftId,
                                              strategy: .edit, discardOld: true, runEditor: editor.edit)
        XCTAssertNil(outcome.cancelled)
        XCTAssertTrue(outcome.verified, "\(outcome.notPersisted)")
        XCTAssertEqual(outcome.carried, ["firstMessage"])
        XCTAssertEqual(Set(outcome.keptLive), ["synthesizer.speed", "allowInterruptions", "language.supported[1]", "language.switching.isEnabled"])
        XCTAssertEqual(outcome.conflicts.map(\.resolution), ["edited"])
        XCTAssertTrue(outcome.oldDraftDiscarded)
        let newId = try XCTUnwrap(outcome.plan.newDraftId)
        XCTAssertEqual(outcome.plan.newDraftName, "greeting (rebased on v3)")
        XCTAssertEqual(outcome.plan.oldDraftName, "greeting")
        let drafts = try await h.client.listDrafts(s.agentId).compactMap(\.draftId)
        XCTAssertTrue(drafts.contains(newId))
        XCTAssertFalse(drafts.contains(s.draftId), "the old draft goes once the new one verified")
        // The rebased draft reverts nothing.
        let after = try await ThreeWayReviewer(client: h.client).reviewDraft(agentId: s.agentId, draftId: newId)
        XCTAssertFalse(after.isBehind)
        XCTAssertFalse(after.wouldUndoLiveChanges)
        XCTAssertEqual(Set(after.yours.map(\.path)), ["firstMessage", "synthesizer.voiceConfig.voiceId"])
        // Publish and activate it: the active config has the newer versions' fields and the draft's edit.
        let v4 = try await h.lifecycle.publish(agentId: s.agentId, draftId: newId, label: "rebased", description: nil)
        for try await _ in h.lifecycle.watchCheck(agentId: s.agentId, version: v4, expected: 0.2, timeout: 10) {}
        _ = try await h.lifecycle.activate(agentId: s.agentId, versionId: v4.id)
        let live = try await h.lifecycle.versionDocument(agentId: s.agentId, versionId: v4.id)
        XCTAssertEqual(live["firstMessage"], "Namaste!")
        XCTAssertEqual(live["allowInterruptions"], false)
        XCTAssertEqual(live["synthesizer"]?["speed"], 1.5)
        XCTAssertEqual(live["synthesizer"]?["voiceConfig"]?["voiceId"], "kavya")
        XCTAssertEqual(live["language"]?["supported"], ["en", "hi"])
        let agent = try await h.client.getAgent(s.agentId)
        XCTAssertEqual(agent.activeVersionId, v4.id)
    }

    func testV1RebaseStrategiesAndCancelledEditor() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let s = try await v1Scenario(h)
        let r = rebase(h)
        // Saving the conflict document empty cancels: the new draft is discarded, the old one kept.
        let empty = ExternalEditor(command: "truncate -s 0")
        let cancelled = try await r.run(agentId: s.agentId, agentName: "A", draftId: s.draftId, strategy: .edit, discardOld: true,
                                        runEditor: empty.edit)
        XCTAssertNotNil(cancelled.cancelled)
        XCTAssertFalse(cancelled.oldDraftDiscarded)
        var drafts = try await h.client.listDrafts(s.agentId).compactMap(\.draftId)
        XCTAssertTrue(drafts.contains(s.draftId))
        XCTAssertNotNil(cancelled.plan.newDraftId)
        XCTAssertFalse(drafts.contains(cancelled.plan.newDraftId ?? ""), "the new draft is discarded on cancel")
        // Saved unchanged: the document held yours, so yours is kept.
        let unchanged = try await r.run(agentId: s.agentId, agentName: "A", draftId: s.draftId, strategy: .edit, discardOld: false,
                                        runEditor: ExternalEditor(command: "true").edit)
        XCTAssertTrue(unchanged.verified, "\(unchanged.notPersisted) \(unchanged.cancelled ?? "")")
        XCTAssertEqual(unchanged.conflicts.map(\.resolution), ["yours"])
        let keptDoc = try await h.lifecycle.draftDocument(agentId: s.agentId, draftId: unchanged.plan.newDraftId!).document
        XCTAssertEqual(keptDoc["synthesizer"]?["voiceConfig"]?["voiceId"], "arjun")
        drafts = try await h.client.listDrafts(s.agentId).compactMap(\.draftId)
        XCTAssertTrue(drafts.contains(s.draftId), "--keep-old keeps the old draft")
        // theirs: no editor at all; the conflict takes live's value.
        var editorRan = false
        let theirs = try await r.run(agentId: s.agentId, agentName: "A", draftId: s.draftId, strategy: .theirs, discardOld: false,
                                     runEditor: { _ in editorRan = true; return .saved })
        XCTAssertFalse(editorRan)
        XCTAssertTrue(theirs.verified)
        let theirDoc = try await h.lifecycle.draftDocument(agentId: s.agentId, draftId: theirs.plan.newDraftId!).document
        XCTAssertEqual(theirDoc["synthesizer"]?["voiceConfig"]?["voiceId"], "meera")
        XCTAssertEqual(theirDoc["firstMessage"], "Namaste!")
        // Already on the active version: nothing forked.
        let current = try await r.run(agentId: s.agentId, agentName: "A", draftId: theirs.plan.newDraftId!, strategy: .edit,
                                      discardOld: true, runEditor: { _ in .saved })
        XCTAssertTrue(current.plan.alreadyCurrent)
        XCTAssertNil(current.plan.newDraftId)
    }

    func testConflictDocumentMarksBothValuesAndParsesBack() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let s = try await v1Scenario(h)
        let review = try await ThreeWayReviewer(client: h.client).reviewDraft(agentId: s.agentId, draftId: s.draftId)
        for format in DocumentFormat.allCases {
            let text = DraftRebase.conflictText(review: review, agentName: "A", draftName: "d", revision: 2,
                                                document: review.draft.document, format: format)
            // The header (YAML comments, JSON's reserved key) lists both values.
            let header = EditDocument.headerLines(in: text, format: format).joined(separator: "\n")
            XCTAssertTrue(header.contains("CONFLICT synthesizer.voiceConfig.voiceId"), text)
            XCTAssertTrue(header.contains("theirs (live, v3): \"meera\""), text)
            XCTAssertTrue(header.contains("yours (draft): \"arjun\""), text)
            XCTAssertFalse(header.contains("ERRORS"), text)
            guard case .cancelled(let why) = EditRules.evaluate(text: text, original: review.draft.document, format: format) else {
                return XCTFail("the conflict document must parse back to the draft (\(format))")
            }
            XCTAssertTrue(why.hasPrefix("no changes"), why)
        }
        let yaml = DraftRebase.conflictText(review: review, agentName: "A", draftName: "d", revision: 2,
                                            document: review.draft.document, format: .yaml)
        let body = EditDocument.stripHeader(yaml)
        XCTAssertTrue(body.contains("# CONFLICT synthesizer.voiceConfig.voiceId — theirs (live): \"meera\""),
                      "the inline mark survives the header being rewritten:\n\(body.prefix(400))")
    }

    func testAttributionNamesEveryStepThatChangedAField() {
        let base: ConfigDocument = ["firstMessage": "a", "allowInterruptions": true, "slmModel": "electron"]
        let v11: ConfigDocument = ["firstMessage": "b", "allowInterruptions": true, "slmModel": "electron"]
        let v12: ConfigDocument = ["firstMessage": "c", "allowInterruptions": false, "slmModel": "electron"]
        let draft: ConfigDocument = ["firstMessage": "a", "allowInterruptions": true, "slmModel": "gpt-4o"]
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: v12)
        let steps = [(ref: HistoryRef(id: "11", name: "v11"), document: v11), (ref: HistoryRef(id: "12", name: "v12"), document: v12)]
        let out = ThreeWayReviewer.attribute(c, base: base, steps: steps)
        func by(_ p: String) -> [String] { out.changes.first { $0.path == p }?.introducedBy.map(\.name) ?? [] }
        XCTAssertEqual(by("firstMessage"), ["v11", "v12"], "changed twice: both named, oldest first")
        XCTAssertEqual(by("allowInterruptions"), ["v12"])
        XCTAssertEqual(by("slmModel"), [], "the draft's own change has no origin on the live side")
        // A history that misses the change: the last step is named rather than nothing.
        let partial = ThreeWayReviewer.attribute(c, base: base, steps: [(ref: HistoryRef(id: "12", name: "v12"), document: base)])
        XCTAssertEqual(partial.changes.first { $0.path == "allowInterruptions" }?.introducedBy.map(\.name), ["v12"])
    }

    // MARK: v2

    func v2() async throws -> SimulatorHarness {
        try await SimulatorHarness.start { o in
            o.branchModel = true
            o.scanSeconds = 0.2
        }
    }

    func drain(_ s: AsyncThrowingStream<CheckProgress, Error>) async throws -> CheckProgress? {
        var last: CheckProgress?
        for try await p in s { last = p }
        return last
    }

    func mainBranch(_ h: SimulatorHarness, _ agentId: String) async throws -> BranchSummary {
        let all = try await h.client.listBranches(agentId)
        return try XCTUnwrap(all.first { $0.branch.isDefault })
    }

    func testV2BranchDraftReviewRebaseAndPublish() async throws {
        let h = try await v2()
        defer { Task { await h.sim.stop() } }
        let bl = BranchLifecycle(client: h.client)
        let (agentId, r1) = try await h.makeAgent()
        let main = try await mainBranch(h, agentId)
        // r2 on main
        _ = try await bl.editDraft(agentId: agentId, branchId: main.id, patch: ["allowInterruptions": false, "firstMessage": "Hi there"],
                                   expectedRevision: 0)
        let (_, p2) = try await bl.publishAndWatch(agentId: agentId, branchId: main.id, label: "r2", expected: 0.2, timeout: 10)
        let p2last = try await drain(p2)
        let r2 = try XCTUnwrap(p2last?.version)
        // a draft opened on r2
        _ = try await bl.editDraft(agentId: agentId, branchId: main.id, patch: ["firstMessage": "Namaste!", "synthesizer": ["speed": 0.8]],
                                   expectedRevision: 0)
        // main's head moves while the draft is open: r1 restored as r3
        let (restored, p3) = try await bl.restore(agentId: agentId, branchId: main.id, revisionId: r1, expected: 0.2, timeout: 10)
        _ = try await drain(p3)
        let r3 = try XCTUnwrap(restored.revision)
        // The Drafts pane's mark: opened on r2, the head is r3.
        let behind = try await bl.draftBase(agentId: agentId, branch: try await h.client.getBranch(agentId, main.id))
        XCTAssertEqual(behind?.summary, "behind r3 by 1")
        XCTAssertEqual(behind?.baseVersionNumber, 2)
        let review = try await ThreeWayReviewer(client: h.client).reviewBranchDraft(agentId: agentId, branchId: main.id)
        XCTAssertEqual(review.base.id, r2.id)
        XCTAssertEqual(review.base.name, "main r2")
        XCTAssertEqual(review.live.id, r3.id)
        XCTAssertEqual(review.live.name, "main r3 (live)")
        let kinds = Dictionary(uniqueKeysWithValues: review.comparison.changes.map { ($0.path, $0.kind) })
        XCTAssertEqual(kinds, ["synthesizer.speed": .yours, "allowInterruptions": .theirs, "firstMessage": .conflict])
        let theirs = try XCTUnwrap(review.reverted.first)
        XCTAssertEqual(theirs.introducedBy.map(\.name), ["main r3"])
        XCTAssertEqual(theirs.introducedBy.first?.note, "restored r1")
        // rebase: the draft is rewritten on the head with expectedRevision; the conflict is edited
        let editor = sed("s/^firstMessage: Namaste!$/firstMessage: Hello and namaste/")
        let outcome = try await rebase(h).run(agentId: agentId, agentName: "A", branchId: main.id, strategy: .edit, discardOld: true,
                                              runEditor: editor.edit)
        XCTAssertNil(outcome.cancelled)
        XCTAssertTrue(outcome.verified, "\(outcome.notPersisted)")
        XCTAssertEqual(outcome.keptLive, ["allowInterruptions"])
        XCTAssertEqual(outcome.conflicts.map(\.resolution), ["edited"])
        let again = try await ThreeWayReviewer(client: h.client).reviewBranchDraft(agentId: agentId, branchId: main.id)
        XCTAssertFalse(again.wouldUndoLiveChanges, "\(again.comparison.changes.map(\.path))")
        let current = try await bl.draftBase(agentId: agentId, branch: try await h.client.getBranch(agentId, main.id))
        XCTAssertEqual(current?.isBehind, false, "rewritten on the head: no mark")
        XCTAssertEqual(current?.baseVersionNumber, 3)
        // publish: main (live) has the restore's value and the draft's edits
        let (_, p4) = try await bl.publishAndWatch(agentId: agentId, branchId: main.id, label: "rebased", expected: 0.2, timeout: 10)
        let p4last = try await drain(p4)
        XCTAssertEqual(p4last?.phase, .passed)
        let agent = try await h.client.getAgent(agentId)
        let live = ConfigMapping.requestDocument(fromResolved: agent.resolvedConfig ?? [:])
        XCTAssertEqual(live["allowInterruptions"], true)
        XCTAssertEqual(live["firstMessage"], "Hello and namaste")
        XCTAssertEqual(live["synthesizer"]?["speed"], 0.8)
    }

    func testV2MakeLiveReviewUsesTheCommonAncestor() async throws {
        let h = try await v2()
        defer { Task { await h.sim.stop() } }
        let bl = BranchLifecycle(client: h.client)
        let (agentId, r1) = try await h.makeAgent()
        let main = try await mainBranch(h, agentId)
        let staging = try await h.client.createBranch(agentId, name: "staging", from: main.id)
        _ = try await bl.editDraft(agentId: agentId, branchId: staging.id, patch: ["firstMessage": "Staging hello"], expectedRevision: 0)
        _ = try await drain(try await bl.publishAndWatch(agentId: agentId, branchId: staging.id, label: "s1", expected: 0.2, timeout: 10).progress)
        // main moves on after the fork
        _ = try await bl.editDraft(agentId: agentId, branchId: main.id, patch: ["allowInterruptions": false], expectedRevision: 0)
        _ = try await drain(try await bl.publishAndWatch(agentId: agentId, branchId: main.id, label: "no interrupt", expected: 0.2, timeout: 10).progress)
        let review = try await ThreeWayReviewer(client: h.client).reviewMakeLive(agentId: agentId, branchId: staging.id)
        XCTAssertEqual(review.base.id, r1, "the common ancestor is where staging forked from main")
        XCTAssertNil(review.approximation)
        XCTAssertTrue(review.live.name.hasPrefix("main r2"), review.live.name)
        XCTAssertEqual(review.yours.map(\.path), ["firstMessage"])
        XCTAssertEqual(review.reverted.map(\.path), ["allowInterruptions"])
        XCTAssertEqual(review.reverted.first?.introducedBy.map(\.name), ["main r2"])
        XCTAssertEqual(review.reverted.first?.introducedBy.first?.label, "no interrupt")
        // the live branch itself: nothing to review
        let same = try await ThreeWayReviewer(client: h.client).reviewMakeLive(agentId: agentId, branchId: main.id)
        XCTAssertTrue(same.comparison.changes.isEmpty)
    }

    /// The rebased draft's default name is one no other draft has: rebasing twice gave two drafts named
    /// "k2 (rebased on v2)", and neither could be named any more (QA).
    func testTheRebasedNameIsFree() {
        XCTAssertEqual(DraftRebase.rebasedName("k2", onto: "v2"), "k2 (rebased on v2)")
        let taken: Set<String> = [NameFolding.fold("K2 (Rebased on v2)"), NameFolding.fold("k2 (rebased on v2, 2)")]
        XCTAssertEqual(DraftRebase.rebasedName("k2", onto: "v2", taken: taken), "k2 (rebased on v2, 3)")
        let long = String(repeating: "x", count: 120)
        XCTAssertLessThanOrEqual(DraftRebase.rebasedName(long, onto: "v12", taken: [NameFolding.fold(DraftRebase.rebasedName(long, onto: "v12"))]).count, 100)
    }
}
