import Foundation
import TestSupport
import XCTest

/// `drafts diff --three-way`, `drafts rebase` and the `--allow-revert` guard of the built binary (v1 and v2).
final class CLIThreeWayTests: XCTestCase {
    var servers: [ChildProcess] = []
    var stateHome = ""

    override func setUp() {
        stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-cli-3way-\(UUID().uuidString)").path
    }

    override func tearDown() {
        for s in servers { s.terminate() }
        try? FileManager.default.removeItem(atPath: stateHome)
    }

    func serve(_ extra: [String]) throws -> String {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--key", "cli-key", "--scan-seconds", "0.3"] + extra)
        servers.append(server)
        guard let url = server.listeningURL() else {
            XCTFail("simulator did not start: \(server.stderr)")
            return ""
        }
        return url
    }

    func cli(_ args: [String], _ baseURL: String, env: [String: String] = [:]) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", baseURL],
                                       environment: ["SMALLEST_API_KEY": "cli-key", "XDG_STATE_HOME": stateHome,
                                                     "VISUAL": "", "EDITOR": "false"].merging(env) { $1 })
        return p.finish(timeout: 90)
    }

    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("3way-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func ok(_ r: CLIResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.code, 0, "\(what): \(r.stderr)\n\(r.stdout)", file: file, line: line)
    }

    func liveConfig(_ agent: String, _ url: String) throws -> [String: Any] {
        let r = try cli(["agents", "get", agent, "--json"], url)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        return obj.first { $0.key.lowercased().contains("resolvedconfig") }?.value as? [String: Any] ?? [:]
    }

    func testV1ThreeWayDiffPublishGuardAndRebase() throws {
        let url = try serve(["--branch-model", "off"])
        let a = "Three Way CLI Agent"
        ok(try cli(["agents", "create", a], url), "create")
        ok(try cli(["drafts", "fork", a, "--name", "old"], url), "fork old")
        ok(try cli(["drafts", "patch", a, "old", "--file", try file("firstMessage: Namaste!\ninterruptionBackoffTimer: 2\n")], url), "patch old")
        ok(try cli(["drafts", "fork", a, "--name", "newer"], url), "fork newer")
        ok(try cli(["drafts", "patch", a, "newer", "--file", try file("allowInterruptions: false\ninterruptionBackoffTimer: 3\n")], url), "patch newer")
        ok(try cli(["publish", a, "newer", "--label", "no barge-in", "--wait", "--activate", "--timeout", "30"], url), "publish newer")

        // The three-way review: yours first, then the marked section naming v2.
        let diff = try cli(["drafts", "diff", a, "old", "--three-way"], url)
        ok(diff, "diff --three-way")
        let out = diff.stdout
        XCTAssertTrue(out.contains("base v1") && out.contains("live v2 (active)"), out)
        let yours = try XCTUnwrap(out.range(of: "yours — the draft's own changes:"), out)
        let undo = try XCTUnwrap(out.range(of: "!! PUBLISHING THIS WOULD UNDO"), out)
        XCTAssertLessThan(yours.lowerBound, undo.lowerBound, "the draft's own changes come first")
        XCTAssertTrue(out[yours.upperBound..<undo.lowerBound].contains("→ \"Namaste!\""), out)
        XCTAssertTrue(out.contains("allowInterruptions: false → true  (introduced by v2 'no barge-in')"), out)
        XCTAssertTrue(out.contains("interruptionBackoffTimer: base 0 · live 3 · yours 2  (introduced by v2 'no barge-in')"), out)
        let json = try cli(["drafts", "diff", a, "old", "--three-way", "--json"], url)
        ok(json, "diff --json")
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        let changes = ((obj["comparison"] as? [String: Any])?["changes"] as? [[String: Any]]) ?? []
        var kinds: [String: String] = [:]
        for c in changes { kinds[c["path"] as? String ?? ""] = c["kind"] as? String }
        XCTAssertEqual(kinds, ["firstMessage": "yours", "allowInterruptions": "theirs", "interruptionBackoffTimer": "conflict"])
        XCTAssertEqual(((changes.first { $0["path"] as? String == "allowInterruptions" }?["introducedBy"] as? [[String: Any]])?.first?["name"] as? String), "v2")

        // publish refuses to revert without --allow-revert: exit 2, the fields and versions listed, nothing published.
        let refused = try cli(["publish", a, "old", "--label", "would revert"], url)
        XCTAssertEqual(refused.code, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("allowInterruptions") && refused.stderr.contains("introduced by v2"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("interruptionBackoffTimer"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-revert") && refused.stderr.contains("drafts rebase"), refused.stderr)
        let versions = try cli(["versions", "list", a], url)
        XCTAssertFalse(versions.stdout.contains("would revert"), versions.stdout)
        // …and goes ahead with it (another draft from v1; published inactive).
        ok(try cli(["drafts", "fork", a, "--from-version", "v1", "--name", "old2"], url), "fork old2")
        ok(try cli(["drafts", "patch", a, "old2", "--file", try file("firstMessage: Hallo!\n")], url), "patch old2")
        let allowed = try cli(["publish", a, "old2", "--label", "knowingly", "--allow-revert"], url)
        ok(allowed, "publish --allow-revert")
        XCTAssertTrue(allowed.stderr.contains("warning: --allow-revert") && allowed.stderr.contains("allowInterruptions"), allowed.stderr)

        // rebase: the conflict is settled in a scripted editor; the old draft is discarded once the new one verified.
        let editor = "sed -i 's/^interruptionBackoffTimer: 2$/interruptionBackoffTimer: 4/'"
        let rebase = try cli(["drafts", "rebase", a, "old"], url, env: ["VISUAL": editor, "EDITOR": editor])
        ok(rebase, "rebase")
        XCTAssertTrue(rebase.stdout.contains("Rebased \"old\" onto v2 (active) as \"old (rebased on v2)\""), rebase.stdout)
        XCTAssertTrue(rebase.stdout.contains("discarded after the new one verified"), rebase.stdout)
        XCTAssertTrue(rebase.stdout.contains("conflict interruptionBackoffTimer: edited"), rebase.stdout)
        XCTAssertTrue(rebase.stdout.contains("Verified by reading back"), rebase.stdout)
        let after = try cli(["drafts", "diff", a, "old (rebased on v2)", "--three-way"], url)
        ok(after, "diff after rebase")
        XCTAssertFalse(after.stdout.contains("WOULD UNDO"), after.stdout)
        // The rebased draft publishes without --allow-revert, and the active config keeps v2's field and has the edit.
        ok(try cli(["publish", a, "old (rebased on v2)", "--label", "rebased", "--wait", "--activate", "--timeout", "30"], url), "publish rebased")
        let live = try liveConfig(a, url)
        XCTAssertEqual(live["firstMessage"] as? String, "Namaste!")
        XCTAssertEqual(live["allowInterruptions"] as? Bool, false)
        XCTAssertEqual(live["interruptionBackoffTimer"] as? Double, 4)
        // Nothing to rebase any more for a draft forked from the active version.
        ok(try cli(["drafts", "fork", a, "--name", "fresh"], url), "fork fresh")
        let nothing = try cli(["drafts", "rebase", a, "fresh"], url)
        ok(nothing, "rebase fresh")
        XCTAssertTrue(nothing.stdout.contains("Nothing to rebase"), nothing.stdout)
    }

    func testV2ThreeWayBranchDraftAndMakeLiveGuards() throws {
        let url = try serve(["--branch-model", "on"])
        let a = "Three Way V2 Agent"
        ok(try cli(["agents", "create", a], url), "create")
        ok(try cli(["branches", "create", a, "staging", "--from", "main"], url), "branch")
        ok(try cli(["drafts", "put", a, "--branch", "staging", "--file", try file("firstMessage: Staging hello\n")], url), "put staging")
        ok(try cli(["drafts", "publish", a, "--branch", "staging", "--wait", "--timeout", "30"], url), "publish staging")
        ok(try cli(["drafts", "put", a, "--branch", "main", "--file", try file("allowInterruptions: false\n")], url), "put main")
        ok(try cli(["drafts", "publish", a, "--branch", "main", "--label", "no barge-in", "--wait", "--timeout", "30"], url), "publish main")

        // make-live over a main that moved on: refused (exit 2) naming main r2, then allowed.
        let refused = try cli(["branches", "live", a, "staging"], url)
        XCTAssertEqual(refused.code, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("allowInterruptions") && refused.stderr.contains("main r2 'no barge-in'"), refused.stderr)
        // The guard names what it guards: making the branch live, not publishing.
        XCTAssertTrue(refused.stderr.contains("Refused: making \"staging\" live would undo changes"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("publishing"), refused.stderr)
        let live = try cli(["branches", "live", a, "staging", "--allow-revert"], url)
        ok(live, "live --allow-revert")
        XCTAssertTrue(live.stderr.contains("warning: --allow-revert: going live undoes changes"), live.stderr)
        XCTAssertFalse(live.stderr.contains("this publish"), live.stderr)

        // A draft on main whose head moves under it (a restore): review, guard, rebase, publish.
        ok(try cli(["drafts", "put", a, "--branch", "main", "--file", try file("firstMessage: Namaste!\n")], url), "put main draft")
        ok(try cli(["revisions", "restore", a, "r1", "--branch", "main", "--timeout", "30"], url), "restore r1")
        let diff = try cli(["drafts", "diff", a, "--branch", "main", "--three-way"], url)
        ok(diff, "diff --branch --three-way")
        XCTAssertTrue(diff.stdout.contains("!! PUBLISHING THIS WOULD UNDO"), diff.stdout)
        let line = diff.stdout.split(separator: "\n").first { $0.contains("allowInterruptions:") }.map(String.init) ?? ""
        XCTAssertTrue(line.contains("allowInterruptions: true → false  (introduced by main r3") && line.contains("(restored r1)"), diff.stdout)
        let blocked = try cli(["drafts", "publish", a, "--branch", "main"], url)
        XCTAssertEqual(blocked.code, 2, blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("allowInterruptions"), blocked.stderr)
        let rebase = try cli(["drafts", "rebase", a, "--branch", "main"], url)
        ok(rebase, "rebase --branch")
        XCTAssertTrue(rebase.stdout.contains("Rewrote the branch draft on main r3"), rebase.stdout)
        XCTAssertTrue(rebase.stdout.contains("live values kept (no longer reverted): allowInterruptions"), rebase.stdout)
        ok(try cli(["drafts", "publish", a, "--branch", "main", "--wait", "--timeout", "30"], url), "publish after rebase")
        let show = try cli(["revisions", "show", a, "r4", "--branch", "main", "--json"], url)
        ok(show, "show r4")
        XCTAssertTrue(show.stdout.contains("Namaste!"), show.stdout)
    }

    func testHostileServerTextNeverReachesTheTerminal() throws {
        let url = try serve(["--branch-model", "off"])
        let a = "Hostile Three Way"
        ok(try cli(["agents", "create", a], url), "create")
        ok(try cli(["drafts", "fork", a, "--name", "old"], url), "fork old")
        let hostile = HostileText.clear + HostileText.osc52 + HostileText.bidi + HostileText.c1
        let json = try JSONSerialization.data(withJSONObject: ["firstMessage": hostile, "globalPrompt": HostileText.title])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("3way-\(UUID().uuidString).json").path
        try json.write(to: URL(fileURLWithPath: path))
        ok(try cli(["drafts", "patch", a, "old", "--file", path], url), "patch old")
        ok(try cli(["drafts", "fork", a, "--name", "newer"], url), "fork newer")
        ok(try cli(["drafts", "patch", a, "newer", "--file", try file("allowInterruptions: false\n")], url), "patch newer")
        ok(try cli(["publish", a, "newer", "--label", HostileText.title, "--wait", "--activate", "--timeout", "30"], url), "publish newer")
        let diff = try cli(["drafts", "diff", a, "old", "--three-way"], url)
        ok(diff, "diff")
        let refused = try cli(["publish", a, "old", "--label", "x"], url)
        XCTAssertEqual(refused.code, 2, refused.stderr)
        for text in [diff.stdout, refused.stderr] {
            for bad: Unicode.Scalar in ["\u{1B}", "\u{07}", "\u{9B}", "\u{9D}", "\u{202E}", "\u{2066}"] {
                XCTAssertFalse(text.unicodeScalars.contains(bad), "U+\(String(bad.value, radix: 16)) reached the terminal:\n\(text)")
            }
        }
        XCTAssertTrue(diff.stdout.contains("firstMessage:") && diff.stdout.contains("introduced by v2"), diff.stdout)
    }

    func testHelpDocumentsTheGuardAndRebase() throws {
        let url = try serve(["--branch-model", "off"])
        let publish = try cli(["publish", "--help"], url)
        XCTAssertTrue(publish.stdout.contains("--allow-revert") && publish.stdout.contains("would revert"), publish.stdout)
        let diff = try cli(["drafts", "diff", "--help"], url)
        XCTAssertTrue(diff.stdout.contains("--three-way"), diff.stdout)
        let rebase = try cli(["drafts", "rebase", "--help"], url)
        XCTAssertTrue(rebase.stdout.contains("--conflicts") && rebase.stdout.contains("--keep-old"), rebase.stdout)
    }

    /// QA: `drafts diff --three-way` cut both sides of a long prompt to the same first 120 characters, hiding
    /// the very change it warned about. Both sides now show where they differ (`sim serve --seed-demo`: v2 of
    /// "🚀 Launch Line" changed "under 40 words" to "under 50 words" at the end of the prompt).
    func testALongPromptShowsTheDifferingWordsOnBothSides() throws {
        let url = try serve(["--seed-demo"])
        let agent = "🚀 Launch Line"
        let fork = try cli(["drafts", "fork", agent, "--from-version", "v1", "--name", "old"], url)
        XCTAssertEqual(fork.code, 0, fork.stderr)

        let diff = try cli(["drafts", "diff", agent, "old", "--three-way"], url)
        XCTAssertEqual(diff.code, 0, diff.stderr)
        let line = try XCTUnwrap(diff.stdout.components(separatedBy: "\n").first { $0.contains("singlePromptConfig.prompt:") }, diff.stdout)
        let sides = line.components(separatedBy: " → ")
        XCTAssertEqual(sides.count, 2, line)
        XCTAssertTrue(sides[0].contains("under 50 words"), "live's side shows its words: \(line)")
        XCTAssertTrue(sides[1].contains("under 40 words"), "the draft's side shows its words: \(line)")
        XCTAssertTrue(sides[0].contains("…") && sides[1].contains("…"), "text left out is marked: \(line)")

        // The publish guard's list (`reversionLines`) shows them too.
        let publish = try cli(["publish", agent, "old", "--label", "x"], url)
        XCTAssertEqual(publish.code, 2, publish.stdout + publish.stderr)
        let refusal = try XCTUnwrap(publish.stderr.components(separatedBy: "\n").first { $0.contains("singlePromptConfig.prompt:") }, publish.stderr)
        XCTAssertTrue(refusal.contains("under 50 words") && refusal.contains("under 40 words"), refusal)
    }
}
