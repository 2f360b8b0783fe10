import Foundation
import TestSupport
import XCTest

/// QA round: the defects found in the built binary against `atoms-tui sim serve` — paging hints that end,
/// usage errors that exit 2, the default and live branches refused locally, sentences that keep names,
/// the make-live guard's words, revision labels in `agents list`, publisher names in `versions show`.
final class CLIQATests: XCTestCase {
    var servers: [ChildProcess] = []
    var stateHome = ""

    override func setUp() {
        stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-cli-qa-\(UUID().uuidString)").path
    }

    override func tearDown() {
        for s in servers { s.terminate() }
        try? FileManager.default.removeItem(atPath: stateHome)
    }

    /// Starts a simulator and returns its base URL.
    func serve(_ extra: [String] = []) throws -> String {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--key", "cli-key", "--scan-seconds", "0.2"] + extra)
        servers.append(server)
        guard let url = server.listeningURL() else {
            XCTFail("simulator did not start: \(server.stderr)")
            return ""
        }
        return url
    }

    func cli(_ args: [String], _ baseURL: String) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", baseURL],
                                       environment: ["SMALLEST_API_KEY": "cli-key", "XDG_STATE_HOME": stateHome])
        return p.finish(timeout: 90)
    }

    func ok(_ r: CLIResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.code, 0, "\(what): \(r.stderr)\n\(r.stdout)", file: file, line: line)
    }

    func file(_ text: String, name: String? = nil) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name ?? "qa-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A v1 agent with two versions (v2 published, inactive) and v1 pinned.
    func twoVersions(_ a: String, _ url: String) throws {
        ok(try cli(["agents", "create", a], url), "create")
        ok(try cli(["drafts", "fork", a, "--name", "d"], url), "fork")
        ok(try cli(["drafts", "patch", a, "d", "--file", try file("firstMessage: Second\n")], url), "patch")
        ok(try cli(["publish", a, "d", "--label", "two", "--wait", "--timeout", "30"], url), "publish")
        ok(try cli(["versions", "pin", a, "v1"], url), "pin")
    }

    // 1. `versions list --pinned`: `total` counts every version, so the hint must not promise more from it.
    func testPinnedListingHintEndsAScriptFollowingIt() throws {
        let url = try serve()
        let a = "QA Pinned"
        try twoVersions(a, url)
        var skip = 0
        var pages = 0
        var pinnedRows = 0
        for limit in ["20", "1"] {
            skip = 0
            pages = 0
            pinnedRows = 0
            while true {
                pages += 1
                guard pages <= 5 else { return XCTFail("--limit \(limit): the hint kept offering --skip \(skip)") }
                let r = try cli(["versions", "list", a, "--pinned", "--limit", limit, "--skip", String(skip)], url)
                ok(r, "list --pinned")
                pinnedRows += r.stdout.split(separator: "\n").dropFirst().count
                guard let range = r.stderr.range(of: #"--skip (\d+)"#, options: .regularExpression) else { break }
                XCTAssertTrue(r.stderr.contains("counts every version"), r.stderr)
                skip = Int(r.stderr[range].dropFirst("--skip ".count)) ?? -1
            }
            XCTAssertEqual(pinnedRows, 1, "--limit \(limit)")
        }
        XCTAssertEqual(pages, 2, "--limit 1: a full page offers the next one, the empty one ends it")
        // Without --pinned the footer still counts every version.
        let all = try cli(["versions", "list", a, "--limit", "1"], url)
        XCTAssertTrue(all.stderr.contains("(2 versions; more with --skip 1)"), all.stderr)
    }

    // 2. Labels over 200 characters and descriptions over 2000 are usage errors (exit 2), before anything is sent.
    func testOverlongLabelAndDescriptionExitTwoBeforeSending() throws {
        let nowhere = "http://127.0.0.1:9"
        let label = String(repeating: "L", count: 201)
        let description = String(repeating: "D", count: 2001)
        let cases: [[String]] = [
            ["publish", "A", "d", "--label", label],
            ["publish", "A", "d", "--label", "ok", "--description", description],
            ["versions", "label", "A", "v1", "--label", label],
            ["versions", "label", "A", "v1", "--description", description],
            ["drafts", "publish", "A", "--branch", "main", "--label", label],
            ["push", "--label", label],
        ]
        for args in cases {
            let r = try cli(args, nowhere)
            XCTAssertEqual(r.code, 2, "\(args.prefix(2)): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("the limit is 200") || r.stderr.contains("the limit is 2000"), r.stderr)
            XCTAssertTrue(r.stderr.contains("shorten it") && r.stderr.contains("nothing was sent"), r.stderr)
            XCTAssertFalse(r.stderr.contains("network"), "\(args.prefix(2)) sent a request: \(r.stderr)")
        }
    }

    // 3. The default branch is never renamed or archived, the live one never archived: refused locally.
    func testDefaultAndLiveBranchesAreRefusedLocally() throws {
        let url = try serve(["--branch-model", "on"])
        let a = "QA Branch Rules"
        ok(try cli(["agents", "create", a], url), "create")
        let before = try cli(["branches", "list", a, "--json"], url)
        let rename = try cli(["branches", "rename", a, "main", "primary"], url)
        XCTAssertEqual(rename.code, 2, rename.stderr)
        XCTAssertTrue(rename.stderr.contains("Branch \"main\" is the default branch: it cannot be renamed; nothing was sent"), rename.stderr)
        XCTAssertTrue(rename.stderr.contains("atoms-tui branches create"), rename.stderr)
        let archive = try cli(["branches", "archive", a, "main"], url)
        XCTAssertEqual(archive.code, 2, archive.stderr)
        XCTAssertTrue(archive.stderr.contains("Branch \"main\" is the default branch: it cannot be archived; nothing was sent"), archive.stderr)
        XCTAssertFalse(archive.stderr.contains("403"), archive.stderr)
        XCTAssertEqual(try cli(["branches", "list", a, "--json"], url).stdout, before.stdout, "nothing changed")
        ok(try cli(["branches", "create", a, "staging"], url), "create staging")
        ok(try cli(["branches", "live", a, "staging"], url), "staging live")
        let live = try cli(["branches", "archive", a, "staging"], url)
        XCTAssertEqual(live.code, 2, live.stderr)
        XCTAssertTrue(live.stderr.contains("Branch \"staging\" is live: make another branch live first (`atoms-tui branches live"), live.stderr)
        XCTAssertTrue(live.stderr.contains("nothing was sent"), live.stderr)
        // A branch that is neither may be renamed and archived.
        ok(try cli(["branches", "live", a, "main"], url), "main live again")
        ok(try cli(["branches", "rename", a, "staging", "qa"], url), "rename staging")
        ok(try cli(["branches", "archive", a, "qa"], url), "archive qa")
    }

    // 4. A message that starts with a file name, a version or a key keeps it as written.
    func testMessagesKeepLeadingNamesAndSayWhatToDo() throws {
        let url = try serve()
        let a = "QA Words"
        ok(try cli(["agents", "create", a], url), "create")
        ok(try cli(["drafts", "fork", a, "--name", "d"], url), "fork")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.yaml")
        try "firstMessage: [unclosed\n".write(to: bad, atomically: true, encoding: .utf8)
        // A relative path: the message starts with the file's name.
        let p = try ChildProcess.spawn(executable: "/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir.path, ChildProcess.binary,
                                                                "drafts", "patch", a, "d", "--file", "bad.yaml", "--base-url", url],
                                       environment: ["SMALLEST_API_KEY": "cli-key", "XDG_STATE_HOME": stateHome])
        let patched = p.finish(timeout: 60)
        XCTAssertEqual(patched.code, 2, patched.stderr)
        XCTAssertTrue(patched.stderr.contains("atoms-tui: bad.yaml:"), patched.stderr)
        let language = try cli(["agents", "create", "QA Lang", "--file", try file("language:\n  default: en\n")], url)
        XCTAssertEqual(language.code, 2, language.stderr)
        XCTAssertTrue(language.stderr.contains("atoms-tui: The \"language\" field needs a \"switching\" object"), language.stderr)
        XCTAssertTrue(language.stderr.contains("switching: {isEnabled: false}") && language.stderr.contains("nothing was sent"), language.stderr)
        // One edit is "1 edit".
        ok(try cli(["drafts", "patch", a, "d", "--file", try file("firstMessage: Once\n")], url), "patch")
        let show = try cli(["drafts", "show", a, "d"], url)
        XCTAssertTrue(show.stdout.contains("(1 edit)"), show.stdout)
    }

    // 5. The make-live guard's words are checked in CLIThreeWayTests.testV2ThreeWayBranchDraftAndMakeLiveGuards.

    // 6. On a v2 account `agents list` names every active version as a revision (r38), as `branches list` does.
    func testAgentsListOnV2ShowsRevisionNumbers() throws {
        let url = try serve(["--branch-model", "on", "--seed-demo"])
        let list = try cli(["agents", "list"], url)
        ok(list, "agents list")
        let rows = list.stdout.split(separator: "\n").dropFirst()
        XCTAssertFalse(rows.isEmpty)
        for row in rows {
            XCTAssertNil(row.range(of: #"\sv\d+\s"#, options: .regularExpression), "a v-number on a v2 account: \(row)")
            XCTAssertNotNil(row.range(of: #"\sr\d+\s"#, options: .regularExpression), "no r-number: \(row)")
        }
        XCTAssertTrue(list.stdout.contains(" r38 "), list.stdout)
    }

    // 7. `versions show` names the publisher, not their id.
    func testVersionsShowNamesThePublisher() throws {
        let url = try serve()
        let a = "QA Publisher"
        try twoVersions(a, url)
        let json = try cli(["versions", "list", a, "--json"], url)
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let rows = obj?["versions"] as? [[String: Any]] ?? []
        let name = try XCTUnwrap(rows.first?["publishedByName"] as? String)
        let id = try XCTUnwrap(rows.first?["publishedBy"] as? String)
        for ref in ["v1", "latest", "active"] {
            let show = try cli(["versions", "show", a, ref], url)
            ok(show, "show \(ref)")
            let line = show.stdout.split(separator: "\n").first { $0.hasPrefix("id: ") }.map(String.init) ?? ""
            XCTAssertTrue(line.hasSuffix("by \(name)"), "\(ref): \(line)")
            XCTAssertFalse(line.contains(id), "\(ref): \(line)")
        }
    }
}
