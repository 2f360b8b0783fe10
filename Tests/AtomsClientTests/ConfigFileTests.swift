import AtomsModels
import XCTest
@testable import AtomsClient

/// The pulled-file format (header, hash, file names) and the push merge, without a server.
final class ConfigFileTests: XCTestCase {
    func testSHA256MatchesTheStandardVectors() {
        XCTAssertEqual(SHA256Digest.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256Digest.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256Digest.hex([UInt8](repeating: 0x61, count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testHeaderRoundTripsAndTheDocumentIsPlainYAML() throws {
        let header = AgentConfigHeader(agentId: "0123456789abcdef01234567", agentName: "Zoë \"Café\"\n# not a header", api: .v2,
                                       branchName: "main", branchId: "76543210fedcba9876543210", baseId: "aaaaaaaaaaaaaaaaaaaaaaaa",
                                       baseNumber: 4, baseHash: "sha256:00")
        let doc: ConfigDocument = ["firstMessage": "Hola — ¿qué tal?", "synthesizer": ["speed": 1.2],
                                   "singlePromptConfig": ["prompt": "Line one\nLine two\n", "tools": []]]
        let file = AgentConfigFile(header: header, document: doc)
        let text = file.render()
        XCTAssertTrue(text.hasPrefix("# atoms-tui agent config"))
        XCTAssertEqual(try AgentConfigFile.parse(text), file)
        XCTAssertEqual(try ConfigDocumentCodec.parse(text, format: .yaml), doc, "the header is only comments")
        XCTAssertEqual(header.baseLabel, "r4")
        // A hand-written new-agent file.
        let new = try AgentConfigFile.parse("# agent-name: Brand New\nfirstMessage: hi\n")
        XCTAssertNil(new.header.agentId)
        XCTAssertEqual(new.header.agentName, "Brand New")
        XCTAssertThrowsError(try AgentConfigFile.parse("# api: v9\nfirstMessage: hi\n"))
        XCTAssertThrowsError(try AgentConfigFile.parse("# base-number: four\n"))
    }

    func testContentHashIsStableAcrossKeyOrder() {
        let a: ConfigDocument = ["firstMessage": "x", "language": ["default": "en", "supported": ["en"]]]
        let b: ConfigDocument = ["language": ["supported": ["en"], "default": "en"], "firstMessage": "x"]
        XCTAssertEqual(AgentConfigFile.contentHash(a), AgentConfigFile.contentHash(b))
        XCTAssertNotEqual(AgentConfigFile.contentHash(a), AgentConfigFile.contentHash(["firstMessage": "y"]))
    }

    func testFileNamesAreSafeStableAndUnique() {
        XCTAssertEqual(AgentConfigFile.slug("Zoë — Café Concierge"), "zo-caf-concierge")
        XCTAssertEqual(AgentConfigFile.slug("日本語 Reception"), "reception")
        XCTAssertEqual(AgentConfigFile.slug("../../etc/passwd"), "etc-passwd")
        XCTAssertEqual(AgentConfigFile.slug("東京"), "")
        XCTAssertLessThanOrEqual(AgentConfigFile.slug(String(repeating: "ab ", count: 100)).count, 60)
        let agents = [(id: "000000000000000000000002", name: "Support"), (id: "000000000000000000000001", name: "support!"),
                      (id: "0000000000000000000000ff", name: "東京")]
        let names = AgentConfigFile.fileNames(for: agents, existing: [:])
        XCTAssertEqual(names["000000000000000000000001"], "support.atoms.yaml", "assigned in id order")
        XCTAssertEqual(names["000000000000000000000002"], "support-000002.atoms.yaml")
        XCTAssertEqual(names["0000000000000000000000ff"], "agent-0000ff.atoms.yaml")
        // An agent that already has a file keeps it, whatever its name now.
        let kept = AgentConfigFile.fileNames(for: agents, existing: ["000000000000000000000002": "support.atoms.yaml"])
        XCTAssertEqual(kept["000000000000000000000002"], "support.atoms.yaml")
        XCTAssertEqual(kept["000000000000000000000001"], "support-000001.atoms.yaml")
        for n in names.values { XCTAssertFalse(n.contains("/")) }
    }

    func testPushMergeKeepsDriftAndSendsOnlyLocalFields() {
        let base: ConfigDocument = ["firstMessage": "a", "synthesizer": ["speed": 1.0, "similarity": 0.0], "allowInterruptions": true]
        let local: ConfigDocument = ["firstMessage": "local", "synthesizer": ["speed": 1.0, "similarity": 0.5], "allowInterruptions": true]
        let live: ConfigDocument = ["firstMessage": "a", "synthesizer": ["speed": 0.8, "similarity": 0.0], "allowInterruptions": false]
        var entry = ConfigPlanEntry(file: nil, agentId: "x", agentName: "x", api: .v1, status: .changes,
                                    comparison: ThreeWayComparison.compare(base: base, draft: local, live: live))
        entry.base = ConfigPoint(id: "b", number: 1, name: "v1", document: base)
        entry.live = ConfigPoint(id: "l", number: 2, name: "v2", document: live)
        entry.local = AgentConfigFile(header: AgentConfigHeader(), document: local)
        let (merged, patch) = ConfigSync.merged(entry, force: false)
        XCTAssertEqual(merged["synthesizer"], ["speed": 0.8, "similarity": 0.5])
        XCTAssertEqual(merged["allowInterruptions"], false, "drift kept")
        XCTAssertEqual(Set(patch.keys), ["firstMessage", "synthesizer"], "only fields with local changes are sent")
        // Conflict: force takes local; otherwise live's value stays.
        let live2: ConfigDocument = ["firstMessage": "remote", "synthesizer": ["speed": 1.0, "similarity": 0.0], "allowInterruptions": true]
        entry.live?.document = live2
        entry.comparison = ThreeWayComparison.compare(base: base, draft: local, live: live2)
        XCTAssertEqual(entry.comparison.conflicts.map(\.path), ["firstMessage"])
        XCTAssertEqual(ConfigSync.merged(entry, force: true).patch["firstMessage"], "local")
        XCTAssertNil(ConfigSync.merged(entry, force: false).patch["firstMessage"])
    }
}

/// The TUI's settings in config.yaml.
final class TUISettingsTests: XCTestCase {
    func testMouseAndWatchSettings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-settings-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("config.yaml")
        XCTAssertEqual(try ConfigFile.load(from: url).watchInterval, 30, "no file: every 30 s")
        XCTAssertNil(try ConfigFile.load(from: url).mouse)
        try "mouse: false\nwatchSeconds: 2\n".write(to: url, atomically: true, encoding: .utf8)
        let c = try ConfigFile.load(from: url)
        XCTAssertEqual(c.mouse, false)
        XCTAssertEqual(c.watchInterval, 5, "never more often than every 5 s")
        try "watchSeconds: 0\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertNil(try ConfigFile.load(from: url).watchInterval, "0 turns it off")
    }
}

/// JSON nested past the limit is refused with the place it happens, before Foundation's parser sees it.
final class ConfigDepthTests: XCTestCase {
    func testJSONNestedTooDeepIsAClearErrorWithItsPlace() {
        let deep = "{\n  \"tools\": " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "\n}"
        XCTAssertThrowsError(try ConfigDocumentCodec.parse(deep, format: .json)) { error in
            let said = "\(error)"
            XCTAssertTrue(said.contains("line 2, column 139") && said.contains("nested more than 128 deep"), said)
        }
    }

    func testBracketsInsideStringsDoNotCountAndNormalNestingParses() throws {
        let text = #"{"prompt": "[[[[ \"{{{{\" ]]]] \\", "tools": [[["a"]]]}"#
        let doc = try ConfigDocumentCodec.parse(String(repeating: "[", count: 0) + text, format: .json)
        XCTAssertEqual(doc["prompt"], .string(#"[[[[ "{{{{" ]]]] \"#))
        XCTAssertNil(ConfigDocumentCodec.tooDeep(String(repeating: "[", count: 128) + String(repeating: "]", count: 128)))
        XCTAssertNotNil(ConfigDocumentCodec.tooDeep(String(repeating: "{", count: 129)))
    }
}
