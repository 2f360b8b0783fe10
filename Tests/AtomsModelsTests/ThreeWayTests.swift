import XCTest
@testable import AtomsModels

/// The pure three-way comparison: each field class, nested objects, arrays, merge, paths, base status.
final class ThreeWayTests: XCTestCase {
    let base: ConfigDocument = [
        "firstMessage": "Hello!",
        "allowInterruptions": true,
        "slmModel": "electron",
        "globalPrompt": "Be kind.",
        "synthesizer": ["voiceConfig": ["voiceId": "nyah", "model": "waves_lightning_v3_1"], "speed": 1.2, "consistency": 0.5],
        "language": ["default": "en", "supported": ["en"], "switching": ["isEnabled": false]],
        "singlePromptConfig": ["prompt": "You help.", "tools": [["type": "end_call", "name": "bye", "description": "ends"]]],
        "pronunciationDicts": [["word": "Zoë", "pronunciation": "zo-ee"], ["word": "Café", "pronunciation": "ka-fay"]],
    ]

    func kinds(_ c: ThreeWayComparison) -> [String: ThreeWayKind] {
        Dictionary(uniqueKeysWithValues: c.changes.map { ($0.path, $0.kind) })
    }

    func testEachScalarClass() {
        var draft = base, live = base
        draft["firstMessage"] = "Namaste!"                  // yours
        live["allowInterruptions"] = false                  // theirs
        draft["slmModel"] = "gpt-4o"; live["slmModel"] = "gpt-4o"   // both, same
        draft["globalPrompt"] = "Be brief."; live["globalPrompt"] = "Be warm."  // conflict
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: live)
        XCTAssertEqual(kinds(c), ["firstMessage": .yours, "allowInterruptions": .theirs, "slmModel": .both, "globalPrompt": .conflict])
        XCTAssertEqual(c.yours.map(\.path), ["firstMessage"])
        XCTAssertEqual(c.theirs.map(\.path), ["allowInterruptions"])
        XCTAssertEqual(c.both.map(\.path), ["slmModel"])
        XCTAssertEqual(c.conflicts.map(\.path), ["globalPrompt"])
        XCTAssertTrue(c.wouldUndoLiveChanges)
        let t = c.theirs[0]
        XCTAssertEqual(t.base, true)
        XCTAssertEqual(t.draft, true)
        XCTAssertEqual(t.live, false)
        XCTAssertEqual(t.section, "call_handling")
        XCTAssertEqual(c.conflicts[0].section, "workflow_prompt")
        // Sections come in ConfigMapping order: workflow_prompt, llm, call_handling.
        XCTAssertEqual(c.changes.map(\.section), ["workflow_prompt", "llm", "call_handling", "call_handling"])
    }

    func testNothingChangedAndOnlyYours() {
        XCTAssertTrue(ThreeWayComparison.compare(base: base, draft: base, live: base).changes.isEmpty)
        var draft = base
        draft["firstMessage"] = "Hi"
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: base)
        XCTAssertFalse(c.wouldUndoLiveChanges)
        XCTAssertEqual(c.changes.count, 1)
    }

    func testNestedObjectsCompareLeafByLeaf() {
        var draft = base, live = base
        draft["synthesizer"] = ["voiceConfig": ["voiceId": "arjun", "model": "waves_lightning_v3_1"], "speed": 1.2, "consistency": 0.5]
        live["synthesizer"] = ["voiceConfig": ["voiceId": "nyah", "model": "gpt-realtime"], "speed": 1.5, "consistency": 0.5]
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: live)
        XCTAssertEqual(kinds(c), ["synthesizer.voiceConfig.voiceId": .yours, "synthesizer.voiceConfig.model": .theirs,
                                  "synthesizer.speed": .theirs])
        XCTAssertTrue(c.changes.allSatisfy { $0.section == "voice" && $0.field == "synthesizer" })
        // Same leaf changed differently: a conflict at the leaf, not the whole object.
        var d2 = base, l2 = base
        d2["synthesizer"] = base["synthesizer"]!.merging(["voiceConfig": ["voiceId": "arjun"]])
        l2["synthesizer"] = base["synthesizer"]!.merging(["voiceConfig": ["voiceId": "meera"]])
        XCTAssertEqual(kinds(ThreeWayComparison.compare(base: base, draft: d2, live: l2)), ["synthesizer.voiceConfig.voiceId": .conflict])
    }

    func testArraysCompareElementByElement() {
        var draft = base, live = base
        // live adds a language (a new element and a nested flag), the draft renames the second dictionary entry's pronunciation
        live["language"] = ["default": "en", "supported": ["en", "hi"], "switching": ["isEnabled": true]]
        draft["pronunciationDicts"] = [["word": "Zoë", "pronunciation": "zo-ee"], ["word": "Café", "pronunciation": "ka-feh"]]
        // both change the tool: the draft its name, live its description
        draft["singlePromptConfig"] = ["prompt": "You help.", "tools": [["type": "end_call", "name": "goodbye", "description": "ends"]]]
        live["singlePromptConfig"] = ["prompt": "You help.", "tools": [["type": "end_call", "name": "bye", "description": "ends the call"]]]
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: live)
        XCTAssertEqual(kinds(c), [
            "language.supported[1]": .theirs, "language.switching.isEnabled": .theirs,
            "pronunciationDicts[1].pronunciation": .yours,
            "singlePromptConfig.tools[0].name": .yours, "singlePromptConfig.tools[0].description": .theirs,
        ])
        let added = c.changes.first { $0.path == "language.supported[1]" }!
        XCTAssertNil(added.base, "an element missing on a side is absent")
        XCTAssertEqual(added.live, "hi")
        XCTAssertEqual(added.section, "language")
        XCTAssertEqual(c.changes.first { $0.path == "singlePromptConfig.tools[0].name" }?.section, "workflow_tools")
        XCTAssertEqual(c.changes.first { $0.path == "pronunciationDicts[1].pronunciation" }?.section, "voice")
        // The merge keeps live's additions and the draft's edits, element by element.
        let merged = ThreeWayComparison.merge(base: base, draft: draft, live: live, conflicts: .theirs)
        XCTAssertEqual(merged["language"], live["language"])
        XCTAssertEqual(merged["pronunciationDicts"], draft["pronunciationDicts"])
        XCTAssertEqual(merged["singlePromptConfig"], ["prompt": "You help.", "tools": [["type": "end_call", "name": "goodbye", "description": "ends the call"]]])
    }

    func testArrayElementsRemovedOnOneSide() {
        var draft = base, live = base
        draft["pronunciationDicts"] = [["word": "Zoë", "pronunciation": "zo-ee"]]   // the draft removed the second entry
        live["language"] = ["default": "en", "supported": [], "switching": ["isEnabled": false]]  // live removed "en"
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: live)
        XCTAssertEqual(kinds(c), ["pronunciationDicts[1]": .yours, "language.supported[0]": .theirs])
        let merged = ThreeWayComparison.merge(base: base, draft: draft, live: live, conflicts: .yours)
        XCTAssertEqual(merged["pronunciationDicts"], draft["pronunciationDicts"])
        XCTAssertEqual(merged["language"]?["supported"], [])
    }

    func testTypeChangesAndAbsentFieldsAreLeaves() {
        var draft = base, live = base
        draft["widgetConfig"] = ["theme": "dark"]        // added by the draft
        live.removeValue(forKey: "globalPrompt")        // gone on the live side
        draft["synthesizer"] = "none"                    // a type change is one leaf
        let c = ThreeWayComparison.compare(base: base, draft: draft, live: live)
        XCTAssertEqual(kinds(c), ["widgetConfig": .yours, "globalPrompt": .theirs, "synthesizer": .yours])
        XCTAssertNil(c.changes.first { $0.path == "globalPrompt" }?.live)
    }

    func testMergeTakesTheChosenSideOfConflicts() {
        var draft = base, live = base
        draft["globalPrompt"] = "Be brief."; live["globalPrompt"] = "Be warm."
        draft["firstMessage"] = "Namaste!"; live["allowInterruptions"] = false
        let yours = ThreeWayComparison.merge(base: base, draft: draft, live: live, conflicts: .yours)
        let theirs = ThreeWayComparison.merge(base: base, draft: draft, live: live, conflicts: .theirs)
        XCTAssertEqual(yours["globalPrompt"], "Be brief.")
        XCTAssertEqual(theirs["globalPrompt"], "Be warm.")
        for m in [yours, theirs] {
            XCTAssertEqual(m["firstMessage"], "Namaste!", "the draft's own change is carried")
            XCTAssertEqual(m["allowInterruptions"], false, "live's change is not reverted")
        }
        // Merged onto live, nothing live is reverted any more.
        let again = ThreeWayComparison.compare(base: base, draft: yours, live: live)
        XCTAssertTrue(again.theirs.isEmpty)
        XCTAssertEqual(again.conflicts.map(\.path), ["globalPrompt"])
        XCTAssertTrue(ThreeWayComparison.compare(base: base, draft: theirs, live: live).conflicts.isEmpty)
    }

    func testPathsRenderParseAndLookUp() {
        let steps: [ThreeWayPathStep] = [.key("singlePromptConfig"), .key("tools"), .index(0), .key("name")]
        XCTAssertEqual(ThreeWayComparison.render(steps), "singlePromptConfig.tools[0].name")
        XCTAssertEqual(ThreeWayComparison.parse("singlePromptConfig.tools[0].name"), steps)
        XCTAssertEqual(ThreeWayComparison.parse("a[1][2]"), [.key("a"), .index(1), .index(2)])
        XCTAssertEqual(ThreeWayComparison.value(at: steps, in: base), "bye")
        XCTAssertNil(ThreeWayComparison.value(at: [.key("language"), .key("supported"), .index(5)], in: base))
        XCTAssertNil(ThreeWayComparison.value(at: [.key("firstMessage"), .index(0)], in: base))
        // Index order is numeric.
        var live = base
        live["language"] = ["default": "en", "supported": .array((0..<12).map { JSONValue.string("l\($0)") }), "switching": ["isEnabled": false]]
        let c = ThreeWayComparison.compare(base: base, draft: base, live: live)
        XCTAssertEqual(c.changes.first?.path, "language.supported[0]")
        XCTAssertEqual(c.changes.last?.path, "language.supported[11]")
    }

    func testJSONHasEveryFieldAndAbsentIsNull() throws {
        var draft = base
        draft["widgetConfig"] = ["theme": "dark"]
        var c = ThreeWayComparison.compare(base: base, draft: draft, live: base)
        c.changes[0].introducedBy = [HistoryRef(id: "abc", name: "v11", label: "fix")]
        let data = try JSONEncoder().encode(c)
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let first = (obj["changes"] as! [[String: Any]])[0]
        XCTAssertEqual(first["path"] as? String, "widgetConfig")
        XCTAssertEqual(first["kind"] as? String, "yours")
        XCTAssertTrue(first["base"] is NSNull)
        XCTAssertEqual(first["section"] as? String, "widget")
        let back = try JSONDecoder().decode(ThreeWayComparison.self, from: data)
        XCTAssertEqual(back.changes[0].steps, [.key("widgetConfig")])
        XCTAssertEqual(back.changes[0].introducedBy.first?.display, "v11 'fix'")
    }

    func testBySectionGroupsInSectionOrder() {
        var live = base
        live["allowInterruptions"] = false
        live["firstMessage"] = "Yo"
        live["synthesizer"] = base["synthesizer"]!.merging(["speed": 1.5])
        let groups = ThreeWayComparison.compare(base: base, draft: base, live: live).bySection(.theirs)
        XCTAssertEqual(groups.map(\.section), ["voice", "call_handling"])
        XCTAssertEqual(groups[1].changes.map(\.path), ["allowInterruptions", "firstMessage"])
    }

    func testDraftBaseStatus() {
        func v(_ id: String, _ n: Int) -> AgentVersion { AgentVersion(id: id, agent: "a", status: .published, versionNumber: n) }
        let versions = [v("v12", 12), v("v11", 11), v("v10", 10), v("v8", 8)]
        let behind = DraftBaseStatus.of(sourceVersionId: "v10", activeVersionId: "v12", versions: versions)
        XCTAssertEqual(behind?.behindBy, 2)
        XCTAssertEqual(behind?.summary, "behind v12 by 2")
        XCTAssertEqual(DraftBaseStatus.of(sourceVersionId: "v12", activeVersionId: "v12", versions: versions)?.isBehind, false)
        XCTAssertNil(DraftBaseStatus.of(sourceVersionId: "v12", activeVersionId: "v12", versions: versions)?.summary)
        let rolled = DraftBaseStatus.of(sourceVersionId: "v10", activeVersionId: "v8", versions: versions)
        XCTAssertEqual(rolled?.summary, "live rolled back to v8")
        XCTAssertEqual(rolled?.isBehind, true)
        XCTAssertNil(DraftBaseStatus.of(sourceVersionId: "gone", activeVersionId: "v12", versions: versions))
        var r2 = AgentVersion(id: "r2", agent: "a", status: .published), r5 = AgentVersion(id: "r5", agent: "a", status: .published)
        r2.revisionNumber = 2
        r5.revisionNumber = 5
        XCTAssertEqual(DraftBaseStatus.ofBranchDraft(baseRevisionId: "r2", headRevisionId: "r5", revisions: [r5, r2])?.summary, "behind r5 by 3")
        XCTAssertNil(DraftBaseStatus.ofBranchDraft(baseRevisionId: "r5", headRevisionId: "r5", revisions: [r5, r2])?.summary)
    }
}
