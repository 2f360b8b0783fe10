import Foundation
import TestSupport
import XCTest

/// The TUI on a v2 (branch model) demo with a 2 s scan, in a real terminal: History shows main's
/// revisions with the live marker, e edits main's draft through a scripted EDITOR, p publishes on the
/// live branch after y, the bar runs, the new head is Active — and the simulator agrees.
final class BranchEndToEndTests: XCTestCase {
    var dataHome: URL!

    override func setUpWithError() throws {
        dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-v2-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataHome, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dataHome) }

    var database: String { dataHome.appendingPathComponent("atoms-tui/demo-v2.sqlite").path }

    func testEditAndPublishOnTheLiveBranchWithY() throws {
        let editor = dataHome.appendingPathComponent("edit.sh")
        try "#!/bin/sh\nsed -i 's/^firstMessage: .*/firstMessage: Hello from the v2 e2e test/' \"$1\"\n"
            .write(to: editor, atomically: true, encoding: .utf8)
        chmod(editor.path, 0o755)
        let cmd = "\(ChildProcess.binary) --demo-branch-model --demo-scan-seconds 2; echo EXIT:$?; sleep 60"
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": "",
                   "EDITOR": editor.path, "VISUAL": ""]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        defer { t.kill() }
        let first = try t.waitFor("main's history with the live marker") { s in
            s.contains("History · main ● live") && s.split(separator: "\n").contains { $0.contains("●") && $0.contains(" r2 ") }
        }
        XCTAssertTrue(first.contains("API v2 (branches)"), first)
        XCTAssertTrue(first.contains("+ new draft on main…"), first)
        // e on the "new draft on main" row opens main's draft in the editor; saved with expectedRevision and verified.
        t.send("Tab")
        t.send("Tab")
        t.send("e")
        try t.waitFor("the verified save") { $0.contains("the draft of branch \"main\" saved · rev") && $0.contains("verified") }
        // The Drafts pane's own row (the History title also says "main ● live"): the pane's part of a row.
        try t.waitFor("main's draft row") { s in
            s.split(separator: "\n").contains { CellColumns.rightPane($0).map { $0.contains("main") && $0.contains("● live") } == true }
        }
        t.send("Up")
        t.send("p")
        let review = try t.waitFor("the review") { $0.contains("Label (required") }
        XCTAssertTrue(review.contains("is LIVE"), review)
        t.type("e2e v2")
        t.send("Enter")
        try t.waitFor("the production question") { $0.contains("Publish to production") && $0.contains("[y/N]") }
        t.send("y")
        var bars: [String] = []
        let deadline = Date().addingTimeInterval(20)
        var screen = ""
        while Date() < deadline {
            screen = t.capture()
            if screen.contains("is live (verified)") { break }
            if let bar = screen.split(separator: "\n").first(where: { $0.contains(" s / ~") }).map(String.init), bars.last != bar { bars.append(bar) }
            usleep(25_000)
        }
        XCTAssertTrue(screen.contains("r3 \"e2e v2\" of \"🚀 Launch Line\" on branch \"main\" is live (verified)"), screen)
        XCTAssertGreaterThanOrEqual(Set(bars.map { $0.filter { $0 == "█" }.count }).count, 2, "the bar moved: \(bars)")
        // The agent's live revision is r3 (History may now follow another branch's Drafts row).
        try t.waitFor("r3 live in the Agents pane") { s in s.split(separator: "\n").contains { $0.contains("🚀 Launch Line") && $0.contains(" r3") } }
        t.send("q")
        try t.waitFor(text: "EXIT:0")

        // The simulator agrees: r3 is main's head, committed, with the edit, and the agent's active revision.
        let sim = try SimulatorProcess(database: database, arguments: ["--branch-model", "on"])
        let r = try sim.cli(["revisions", "list", "🚀 Launch Line", "--branch", "main", "--json"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let revisions = obj?["revisions"] as? [[String: Any]] ?? []
        let head = revisions.first
        XCTAssertEqual(head?["revisionNumber"] as? Int, 3, r.stdout)
        XCTAssertEqual(head?["label"] as? String, "e2e v2")
        XCTAssertEqual(head?["status"] as? String, "published")
        let agent = try sim.cli(["agents", "get", "🚀 Launch Line", "--json"])
        XCTAssertTrue(agent.stdout.contains(head?["_id"] as? String ?? "?"), "activeVersionId is the new head: \(agent.stdout)")
    }
}
