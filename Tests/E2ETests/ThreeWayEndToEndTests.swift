import Foundation
import TestSupport
import XCTest

/// The three-way review in a real terminal on the v1 demo: a draft forked from the older v1 of
/// 🚀 Launch Line (v2 is active and changed the prompt) with one scripted edit; `p` names the field it
/// would undo and the version that introduced it; Enter asks first; `R` rebases onto v2 (the new draft is
/// selected, the old one kept); publishing the rebased draft carries only the edit — the simulator's
/// active config keeps v2's prompt and has the edit.
final class ThreeWayEndToEndTests: XCTestCase {
    var dataHome: URL!

    override func setUpWithError() throws {
        dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-3way-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataHome, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dataHome) }

    func testForkFromAnOlderVersionSeeWhatWouldBeUndoneRebaseAndPublishOnlyTheEdit() throws {
        let editor = dataHome.appendingPathComponent("edit.sh")
        try "#!/bin/sh\nset -e\nsed -i 's/^firstMessage: .*/firstMessage: Rebased edit from the e2e test/' \"$1\"\n"
            .write(to: editor, atomically: true, encoding: .utf8)
        chmod(editor.path, 0o755)
        let cmd = "\(ChildProcess.binary) --demo-api v1 --demo-scan-seconds 2; echo EXIT:$?; sleep 60"
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": "",
                   "EDITOR": editor.path, "VISUAL": ""]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        try t.waitFor("the first agent's versions") { $0.contains("Launch Line") && $0.contains("v2") && $0.contains("passed") }
        // Fork from v1 (the older version; v2 is active).
        t.send("Tab")
        t.send("Down")
        t.send("n")
        try t.waitFor("the name input") { $0.contains("Name (optional)") }
        t.type("e2e-rebase")
        t.send("Enter")
        try t.waitFor("the forked draft") { $0.contains("Forked draft \"e2e-rebase\"") }
        try t.waitFor("the behind mark on the draft row") { s in s.split(separator: "\n").contains { $0.contains("e2e-rebase") && $0.contains("v1 ↓1") } }
        t.send("e")
        try t.waitFor("the verified save") { $0.contains("saved · rev") && $0.contains("verified") }
        // The review names what publishing would undo and the version that introduced it.
        t.send("p")
        let review = try t.waitFor("the would-undo section") { $0.contains("Publishing this would undo") && $0.contains("introduced by v2") }
        XCTAssertTrue(review.contains("singlePromptConfig.prompt"), review)
        XCTAssertTrue(review.contains("firstMessage:"), "the draft's own change is listed first: \(review)")
        t.send("Enter")
        try t.waitFor("the extra confirmation") { $0.contains("Publishing would undo live changes") && $0.contains("R rebase (recommended)") }
        t.send("R")
        let rebased = try t.waitFor("the rebase") { $0.contains("Rebased 'e2e-rebase' onto v2 (active) as 'e2e-rebase (rebased on v2)'") }
        XCTAssertFalse(rebased.contains("NOT verified"), rebased)
        // The new draft is selected; its review undoes nothing and Enter publishes at once.
        t.send("p")
        let second = try t.waitFor("the review of the rebased draft") { $0.contains("Publish — draft \"e2e-rebase (rebased on v2)\"") && $0.contains("Label (required") }
        XCTAssertFalse(second.contains("would undo"), second)
        // Let the three-way review arrive before Enter (it answers with the diff).
        try t.waitFor("the diff") { $0.contains("firstMessage") }
        t.send("Enter")
        try t.waitFor("the activation question") { $0.contains("Activate v3") && $0.contains("[y/N]") }
        t.send("y")
        try t.waitFor("v3 live") { $0.contains("is live (verified)") }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        // The simulator's active config: v2's prompt kept, the edit in.
        let sim = try SimulatorProcess(database: dataHome.appendingPathComponent("atoms-tui/demo.sqlite").path)
        let r = try sim.cli(["versions", "show", "🚀 Launch Line", "active"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("v3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("firstMessage: Rebased edit from the e2e test"), r.stdout)
        XCTAssertTrue(r.stdout.contains("under 50 words"), "v2's prompt is kept: \(r.stdout)")
        XCTAssertFalse(r.stdout.contains("under 40 words"), "v1's prompt is not brought back: \(r.stdout)")
        // Both drafts: the old one is kept.
        let drafts = try sim.cli(["drafts", "list", "🚀 Launch Line"])
        XCTAssertTrue(drafts.stdout.contains("e2e-rebase"), drafts.stdout)
    }
}
