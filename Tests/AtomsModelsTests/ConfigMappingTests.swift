import XCTest
@testable import AtomsModels

final class ConfigMappingTests: XCTestCase {
    func testResolvedRoundTrip() {
        let resolved: ConfigDocument = [
            "prompt": "Be kind.", "tools": [["type": "end_call", "name": "end", "description": "End"]],
            "modelName": "electron", "defaultLanguage": "en", "supportedLanguages": ["en", "hi"],
            "languageSwitching": ["isEnabled": false], "firstMessage": "Hi", "workflowGraph": nil,
        ]
        let doc = ConfigMapping.requestDocument(fromResolved: resolved)
        XCTAssertEqual(doc["slmModel"], "electron")
        XCTAssertEqual(doc["singlePromptConfig"]?["prompt"], "Be kind.")
        XCTAssertEqual(doc["language"]?["supported"], ["en", "hi"])
        XCTAssertNil(doc["workflowGraph"])
        var back = ConfigMapping.resolved(fromRequestDocument: doc)
        back["workflowGraph"] = nil
        var expected = resolved
        expected["workflowGraph"] = nil
        XCTAssertEqual(back, expected)
    }

    func testSectionedRoundTripAndDiff() {
        let doc: ConfigDocument = ["singlePromptConfig": ["prompt": "A", "tools": []], "firstMessage": "Hi",
                                   "synthesizer": ["sampleRate": 16000]]
        let s = ConfigMapping.sectioned(fromRequestDocument: doc)
        XCTAssertEqual(s["workflow_prompt"]?["prompt"], "A")
        XCTAssertEqual(s["call_handling"]?["firstMessage"], "Hi")
        XCTAssertEqual(ConfigMapping.requestDocument(fromSectioned: s), doc)
        var changed = doc
        changed["firstMessage"] = "Hello"
        let d = ConfigMapping.diff(from: doc, to: changed)
        XCTAssertEqual(d.diffs, [DiffSection(section: "call_handling", changes: [DiffChange(path: "firstMessage", oldValue: "Hi", newValue: "Hello")])])
        XCTAssertEqual(d.unchangedSections.count, 12)
    }

    func testMergeReplacesArraysAndMergesObjects() {
        let base: JSONValue = ["a": ["x": 1, "y": 2], "list": [1, 2, 3]]
        let merged = base.merging(["a": ["y": 5], "list": [9]])
        XCTAssertEqual(merged, ["a": ["x": 1, "y": 5], "list": [9]])
    }

    func testOpenEnumsTolerateUnknownValues() throws {
        let json = #"{"status":false,"errors":["x"],"error_type":"brand_new"}"#
        let e = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(json.utf8))
        XCTAssertEqual(e.errorType, .unknown("brand_new"))
        XCTAssertEqual(SecurityCheckStatus(rawValue: "warming_up").isRunning, true)
        XCTAssertTrue(SecurityCheckStatus(rawValue: "FAILED").isFailure)
    }

    func testIntegralNumbersEncodeAsIntegers() throws {
        let data = try JSONEncoder().encode(JSONValue.number(16000))
        XCTAssertEqual(String(data: data, encoding: .utf8), "16000")
    }
}
