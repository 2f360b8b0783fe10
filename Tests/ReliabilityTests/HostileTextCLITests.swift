import AtomsModels
import AtomsSimulator
import Foundation
import TestSupport
import TUICore
import XCTest

/// The CLI's tables and text output over server text built to attack a terminal: inert (no control,
/// escape, C1, bidi or invisible format character), aligned (every row's columns start at the same
/// display cell), and equal to golden files under `Golden/` (`UPDATE_GOLDENS=1` rewrites). `--json`
/// carries the raw values, correctly escaped: they decode back exactly, and no raw control reaches stdout.
final class HostileTextCLITests: XCTestCase {
    /// The attack strings shared with the TUI goldens.
    typealias Hostile = HostileText

    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let key = "hostile-key"

    var sim: EmbeddedSimulator!
    var agentIds: [String] = []

    override func setUpWithError() throws {
        var o = SimulatorOptions()
        o.apiKey = Self.key
        o.scanSeconds = 0
        let opts = o
        let started = try blocking { try await EmbeddedSimulator.start(opts) }
        sim = started
        let store = started.store
        agentIds = []
        for (i, name) in Hostile.attacksAndWide.enumerated() {
            let id = try store.createAgent([
                "name": .string(name),
                "description": .string(Hostile.attacksAndWide[(i + 1) % Hostile.attacksAndWide.count]),
                "singlePromptConfig": ["prompt": .string(Hostile.attacksAndWide.joined(separator: "\n")), "tools": []],
                "firstMessage": .string(Hostile.osc52),
                "language": ["default": "en", "supported": ["en"], "switching": ["isEnabled": false]],
            ])
            agentIds.append(id)
        }
        // The first agent gets versions and drafts with hostile labels, descriptions and names.
        let a = agentIds[0]
        let v1 = try XCTUnwrap(try store.agent(id: a).activeVersionId)
        for (i, label) in [Hostile.clear, Hostile.osc52, Hostile.bidi, Hostile.long].enumerated() {
            let d = try store.createDraft(agentId: a, CreateDraftRequest(sourceVersionId: v1, draftName: "pub \(i)"))
            _ = try store.publishDraft(agentId: a, draftId: try XCTUnwrap(d.draftId),
                                       PublishDraftRequest(label: String(label.prefix(200)), description: Hostile.attacksAndWide[(i + 2) % Hostile.attacksAndWide.count]))
        }
        for name in [Hostile.c1, Hostile.zeroWidth, Hostile.title] {
            _ = try store.createDraft(agentId: a, CreateDraftRequest(sourceVersionId: v1, draftName: String(name.prefix(100))))
        }
    }

    override func tearDown() {
        if let sim { blocking { await sim.stop() } }
    }

    func cli(_ args: [String]) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", sim.baseURL.absoluteString], environment: ["SMALLEST_API_KEY": Self.key])
        return p.finish(timeout: 60)
    }

    /// Ids and ages vary from run to run; everything else is compared exactly.
    static func normalize(_ text: String) -> String {
        var t = text.replacingOccurrences(of: "[0-9a-f]{24}", with: "<id>", options: .regularExpression)
        t = t.replacingOccurrences(of: "(?m)(?<=  )(now|[0-9]+[smhdwy])(?=  |$)", with: "<age>", options: .regularExpression)
        t = t.replacingOccurrences(of: "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", with: "<time>", options: .regularExpression)
        // The 100,000-character line, where a config document shows it whole, is folded in the golden.
        t = t.replacingOccurrences(of: "o{200,}", with: "<o×many>", options: .regularExpression)
        return t
    }

    static func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = golden.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden \(name).txt — run with UPDATE_GOLDENS=1\n\(actual)", file: file, line: line)
            return
        }
        if expected != actual {
            let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
            let firstDiff = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            XCTFail("\(name).txt differs at line \(firstDiff + 1):\n- \(firstDiff < e.count ? e[firstDiff] : "<none>")\n+ \(firstDiff < a.count ? a[firstDiff] : "<none>")",
                    file: file, line: line)
        }
    }

    /// Nothing that can act on a terminal: only `\n` below U+0020, no DEL/C1, no format characters.
    static func assertInert(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for s in text.unicodeScalars {
            let v = s.value
            let bad = (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || s.properties.generalCategory == .format
                || v == 0x2028 || v == 0x2029
            if bad {
                XCTFail("\(what): U+\(String(v, radix: 16, uppercase: true)) reached the output", file: file, line: line)
                return
            }
        }
    }

    /// Every row's columns start where the header's do, counted in display cells.
    static func assertAligned(_ table: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        guard let header = lines.first else { return XCTFail("\(what): empty", file: file, line: line) }
        // Column starts: a non-space after two spaces in the header.
        var starts: [Int] = [0]
        let h = Array(header)
        for i in 2..<max(2, h.count) where h[i] != " " && h[i - 1] == " " && h[i - 2] == " " {
            starts.append(DisplayWidth.of(String(h[..<i])))
        }
        for row in lines.dropFirst() {
            let chars = Array(row)
            var cum: [Int] = []
            var c = 0
            for ch in chars { cum.append(c); c += DisplayWidth.of(ch) }
            for start in starts.dropFirst() {
                guard let idx = cum.firstIndex(of: start) else {
                    if start < c { XCTFail("\(what): a wide character straddles column \(start) in: \(row)", file: file, line: line) }
                    continue
                }
                XCTAssertTrue(idx >= 2 && chars[idx - 1] == " " && chars[idx - 2] == " ",
                              "\(what): column at cell \(start) is not preceded by the gap in: \(row)", file: file, line: line)
            }
        }
    }

    func testTablesAreInertAlignedAndGolden() throws {
        let a = agentIds[0]
        let cases: [(String, [String], Bool)] = [
            ("cli-hostile-agents-list", ["agents", "list", "--limit", "100"], true),
            ("cli-hostile-versions-list", ["versions", "list", a], true),
            ("cli-hostile-drafts-list", ["drafts", "list", a], true),
            ("cli-hostile-versions-show", ["versions", "show", a, "v3"], false),
            ("cli-hostile-agents-get", ["agents", "get", agentIds[3]], false),
        ]
        for (name, args, isTable) in cases {
            let r = try cli(args)
            XCTAssertEqual(r.code, 0, "\(name): \(r.stderr)")
            Self.assertInert(r.stdout, name)
            Self.assertInert(r.stderr, name + " stderr")
            if isTable { Self.assertAligned(r.stdout, name) }
            // Tables cut a cell at 80 cells; a config document shows its (sanitized) prompt whole.
            if isTable { XCTAssertLessThan(r.stdout.count, 20_000, "\(name): a 100,000-character value must not widen the table") }
            Self.assertGolden(Self.normalize(r.stdout), name)
        }
    }

    func testJSONCarriesTheRawValuesEscaped() throws {
        let r = try cli(["agents", "list", "--limit", "100", "--json"])
        XCTAssertEqual(r.code, 0, r.stderr)
        Self.assertInert(r.stdout.replacingOccurrences(of: "\n", with: ""), "--json")
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let names = Set((obj["agents"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        for h in Hostile.attacksAndWide { XCTAssertTrue(names.contains(h), "--json must carry the raw name \(h.debugDescription.prefix(60))") }
        XCTAssertTrue(r.stdout.contains(#"\u001b[2J"#) || r.stdout.contains(#"\u001B[2J"#), "ESC is escaped")
        XCTAssertTrue(r.stdout.contains(#"\u202E"#), "bidi override is escaped")
        XCTAssertTrue(r.stdout.contains(#"\u009B"#), "C1 CSI is escaped")
    }

    func testServerErrorTextIsInertOnStderr() throws {
        // A server whose error messages carry escape sequences: the CLI's error line is still inert.
        let stub = try StubHTTPServer { _, _ in
            StubHTTPServer.Answer(status: 400, body: Data(#"{"status":false,"errors":["bad \u001b]52;c;ZXZpbA==\u0007 \u001b[2J \u202e gone"]}"#.utf8))
        }
        defer { stub.stop() }
        let p = try ChildProcess.spawn(["agents", "list", "--base-url", stub.baseURL], environment: ["SMALLEST_API_KEY": "k"])
        XCTAssertEqual(p.wait(timeout: 30), 1, p.stderr)
        Self.assertInert(p.stderr, "stderr")
        XCTAssertTrue(p.stderr.contains("␛]52;c;ZXZpbA==␇"), p.stderr)
    }
}
