import Foundation
import TestSupport
import XCTest

/// Issue 14's CLI papercuts, against the built binary and `atoms-tui sim serve`: `v12` where ids stood,
/// names matched ignoring case and accents with "did you mean", duplicate draft names refused, input
/// judged locally (exit 2, nothing sent), the editor's exit code, "rolled back" / "already active", and
/// help text that wraps and states each default once.
final class CLIPapercutTests: XCTestCase {
    var server: ChildProcess?
    var baseURL = ""
    var stateHome = ""

    override func setUpWithError() throws {
        stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-cli-pc-\(UUID().uuidString)").path
        let s = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--scan-seconds", "0.2", "--key", "cli-key"])
        server = s
        guard let url = s.listeningURL() else { return XCTFail("simulator did not start: \(s.stderr)") }
        baseURL = url
    }

    override func tearDown() {
        server?.terminate()
        try? FileManager.default.removeItem(atPath: stateHome)
    }

    func cli(_ args: [String], base: String? = nil, env: [String: String] = [:], timeout: TimeInterval = 60) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", base ?? baseURL],
                                       environment: ["SMALLEST_API_KEY": "cli-key", "XDG_STATE_HOME": stateHome].merging(env) { $1 })
        return p.finish(timeout: timeout)
    }

    func row(_ table: String, containing s: String) -> String {
        table.split(separator: "\n").first { $0.contains(s) }.map(String.init) ?? ""
    }

    func testTablesShowVersionNumbersInsteadOfIds() throws {
        XCTAssertEqual(try cli(["agents", "create", "Numbered Agent"]).code, 0)
        let json = try cli(["agents", "list", "--json"])
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let agent = try XCTUnwrap((obj?["agents"] as? [[String: Any]])?.first { $0["name"] as? String == "Numbered Agent" })
        let activeId = try XCTUnwrap(agent["activeVersionId"] as? String)
        let list = try cli(["agents", "list"])
        XCTAssertEqual(list.code, 0, list.stderr)
        let line = row(list.stdout, containing: "Numbered Agent")
        XCTAssertTrue(line.contains(" v1 "), line)
        XCTAssertFalse(line.contains(activeId), "the version id is not shown: \(line)")
        XCTAssertEqual(try cli(["drafts", "fork", "Numbered Agent", "--name", "tweak"]).code, 0)
        let drafts = try cli(["drafts", "list", "Numbered Agent"])
        XCTAssertEqual(drafts.code, 0, drafts.stderr)
        XCTAssertTrue(row(drafts.stdout, containing: "tweak").contains(" v1 "), drafts.stdout)
    }

    func testNamesMatchIgnoringCaseAndAccentsAndSuggestCloseOnes() throws {
        XCTAssertEqual(try cli(["agents", "create", "Café Olé"]).code, 0)
        let folded = try cli(["versions", "list", "cafe ole"])
        XCTAssertEqual(folded.code, 0, folded.stderr)
        XCTAssertTrue(folded.stdout.contains("v1"), folded.stdout)
        let typo = try cli(["versions", "list", "cafe olle"])
        XCTAssertEqual(typo.code, 2, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean \"Café Olé\"?"), typo.stderr)
        XCTAssertEqual(try cli(["drafts", "fork", "Café Olé", "--name", "Señal"]).code, 0)
        let draft = try cli(["drafts", "show", "CAFE OLE", "senal"])
        XCTAssertEqual(draft.code, 0, draft.stderr)
        let near = try cli(["drafts", "show", "cafe ole", "senial"])
        XCTAssertEqual(near.code, 2)
        XCTAssertTrue(near.stderr.contains("did you mean \"Señal\"?"), near.stderr)
    }

    func testDuplicateDraftNamesAreRefusedAtForkAndRename() throws {
        XCTAssertEqual(try cli(["agents", "create", "Dup Drafts"]).code, 0)
        XCTAssertEqual(try cli(["drafts", "fork", "Dup Drafts", "--name", "Greeting"]).code, 0)
        XCTAssertEqual(try cli(["drafts", "fork", "Dup Drafts", "--name", "Other"]).code, 0)
        let before = try cli(["drafts", "list", "Dup Drafts", "--json"])
        let fork = try cli(["drafts", "fork", "Dup Drafts", "--name", "greeting"])
        XCTAssertEqual(fork.code, 2, fork.stderr)
        XCTAssertTrue(fork.stderr.contains("A draft named \"Greeting\" already exists"), fork.stderr)
        let rename = try cli(["drafts", "rename", "Dup Drafts", "Other", "GRÉETING"])
        XCTAssertEqual(rename.code, 2, rename.stderr)
        XCTAssertTrue(rename.stderr.contains("already exists"), rename.stderr)
        let after = try cli(["drafts", "list", "Dup Drafts", "--json"])
        XCTAssertEqual(before.stdout, after.stdout, "nothing was forked or renamed")
        XCTAssertEqual(try cli(["drafts", "rename", "Dup Drafts", "Greeting", "greeting"]).code, 0, "a draft may change its own name's case")
    }

    func testInputJudgedLocallyExitsTwoBeforeSending() throws {
        // Nothing listens here: a request would fail with exit 1, a local refusal exits 2.
        let nowhere = "http://127.0.0.1:9"
        let cases: [[String]] = [
            ["agents", "list", "--limit", "0"],
            ["agents", "list", "--limit", "101"],
            ["versions", "list", "A", "--limit", "0"],
            ["revisions", "list", "A", "--limit", "0"],
            ["agents", "create", "  "],
            ["drafts", "fork", "A", "--name", ""],
            ["drafts", "rename", "A", "d", ""],
            ["branches", "create", "A", ""],
            ["branches", "rename", "A", "b", "main"],
            ["branches", "rename", "A", "b", "MAIN"],
            ["branches", "create", "A", "main"],
            ["versions", "list", ""],
        ]
        for args in cases {
            let r = try cli(args, base: nowhere)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("network"), "\(args) sent a request: \(r.stderr)")
        }
    }

    func testEditorFailureExitsFiveAndJSONFileIsValidJSON() throws {
        XCTAssertEqual(try cli(["agents", "create", "Editor Agent"]).code, 0)
        XCTAssertEqual(try cli(["drafts", "fork", "Editor Agent", "--name", "d"]).code, 0)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("edit-copy-\(UUID()).json").path
        let editor = "sh -c 'cp \"$0\" \(copy); exit 3'"
        let r = try cli(["drafts", "edit", "Editor Agent", "d", "--format", "json"], env: ["VISUAL": editor, "EDITOR": editor])
        XCTAssertEqual(r.code, 5, r.stderr)
        XCTAssertTrue(r.stderr.contains("The editor exited with status 3; nothing was sent"), r.stderr)
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        XCTAssertNotNil(obj?["// atoms-tui"] as? [String], text)
        XCTAssertNotNil(obj?["firstMessage"], text)
        let help = try cli(["drafts", "edit", "--help"])
        XCTAssertTrue(help.stdout.contains("5 the editor failed"), help.stdout)
    }

    func testRolledBackOnlyWhenOlderAndAlreadyActive() throws {
        let agent = "Rollback Words"
        XCTAssertEqual(try cli(["agents", "create", agent]).code, 0)
        XCTAssertEqual(try cli(["drafts", "fork", agent, "--name", "next"]).code, 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rb-\(UUID()).yaml")
        try "firstMessage: Second version\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli(["drafts", "patch", agent, "next", "--file", file.path]).code, 0)
        let publish = try cli(["publish", agent, "next", "--label", "two", "--wait", "--timeout", "30"])
        XCTAssertEqual(publish.code, 0, publish.stderr)
        let same = try cli(["versions", "activate", agent, "v1"])
        XCTAssertEqual(same.code, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("v1 of \"Rollback Words\" is already active; nothing was sent"), same.stdout)
        let newer = try cli(["rollback", agent, "v2"])
        XCTAssertEqual(newer.code, 0, newer.stderr)
        XCTAssertFalse(newer.stdout.lowercased().contains("rolled back"), "v2 is newer than v1: \(newer.stdout)")
        XCTAssertTrue(newer.stdout.contains("Activated v2 of \"Rollback Words\" (was v1)"), newer.stdout)
        let older = try cli(["versions", "activate", agent, "v1"])
        XCTAssertEqual(older.code, 0, older.stderr)
        XCTAssertTrue(older.stdout.contains("Rolled back \"Rollback Words\" to v1 (was v2)"), older.stdout)
        let again = try cli(["rollback", agent, "active"])
        XCTAssertTrue(again.stdout.contains("already active"), again.stdout)
    }

    func testHelpWrapsAndStatesEachDefaultOnce() throws {
        let commands: [[String]] = [
            [], ["agents", "list"], ["agents", "get"], ["agents", "create"], ["agents", "archive"], ["agents", "unarchive"],
            ["versions", "list"], ["versions", "show"], ["versions", "diff"], ["versions", "activate"], ["versions", "pin"],
            ["versions", "label"], ["drafts", "list"], ["drafts", "show"], ["drafts", "fork"], ["drafts", "rename"],
            ["drafts", "discard"], ["drafts", "diff"], ["drafts", "patch"], ["drafts", "edit"], ["drafts", "rebase"],
            ["drafts", "put"], ["drafts", "publish"], ["publish"], ["rollback"], ["branches", "list"], ["branches", "create"],
            ["branches", "rename"], ["branches", "archive"], ["branches", "live"], ["revisions", "list"], ["revisions", "show"],
            ["diff"], ["api"], ["sim", "serve"],
        ]
        for c in commands {
            let p = try ChildProcess.spawn(c + ["--help"], environment: ["COLUMNS": "80"])
            XCTAssertEqual(p.wait(timeout: 30), 0, "\(c)")
            let text = p.stdout
            XCTAssertTrue(text.contains("USAGE"), "\(c): \(text.prefix(200))")
            // One paragraph per option: from a line starting with "  -" to the next.
            var paragraphs: [String] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  -") || line.hasPrefix("  <") || paragraphs.isEmpty { paragraphs.append(String(line)) } else { paragraphs[paragraphs.count - 1] += "\n" + line }
                // ArgumentParser prints the USAGE synopsis on one line by design; everything else wraps.
                if !line.hasPrefix("USAGE:") {
                    XCTAssertLessThanOrEqual(line.count, 80, "\(c): a line wider than 80 columns: \(line)")
                }
            }
            for para in paragraphs {
                XCTAssertLessThanOrEqual(para.components(separatedBy: "default").count - 1, 1, "\(c): a default stated twice:\n\(para)")
            }
        }
    }
}
