import Foundation
import TestSupport
import XCTest

/// The defects the TUI-core redesign fixed, in the built binary in a real terminal: the editor
/// hand-off does not hang against a slow server with a 4 MB prompt; v2 confirmations promise the
/// revision number the server then creates (migrated agent, new branch, restore); list changes show
/// element by element in the publish review.
final class RedesignEndToEndTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-redesign-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    func environment(editor: URL?, extra: [String: String] = [:]) -> [String: String] {
        var env = ["XDG_DATA_HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "SMALLEST_API_KEY": "", "VISUAL": ""]
        if let editor { env["EDITOR"] = editor.path }
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// The v2 demo (the default) in a 120×32 terminal, its exit code echoed, once `name` is listed.
    func v2Demo(_ arguments: String = "", editor: URL? = nil, showing name: String) throws -> TmuxSession {
        let t = try TmuxSession(width: 120, height: 32, command: "\(ChildProcess.binary) \(arguments); echo EXIT:$?; sleep 60",
                                environment: environment(editor: editor))
        try t.waitFor("the v2 demo") { $0.contains("API v2 (branches)") && $0.contains(name) }
        return t
    }

    func script(_ name: String, _ body: String) throws -> URL {
        let url = home.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        chmod(url.path, 0o755)
        return url
    }

    /// `e` on a draft with a ~4 MB prompt against a server that answers every request 300 ms late:
    /// the editor opens, the save is verified, and nothing waits for another key press.
    func testEditOfAHugePromptAgainstASlowServerNeverWaitsForAKey() throws {
        let sim = try SimulatorProcess(database: home.appendingPathComponent("slow.sqlite").path,
                                       arguments: ["--seed-demo", "--latency", "300", "--scan-seconds", "0"])
        let fork = try sim.cli(["drafts", "fork", "🚀 Launch Line", "--name", "huge prompt"])
        XCTAssertEqual(fork.code, 0, fork.stderr)
        let line = "You are the Launch Line assistant; answer logistics questions politely and briefly, every time. "
        let prompt = String(repeating: line, count: 4 * 1024 * 1024 / line.utf8.count)
        let patchFile = home.appendingPathComponent("huge.json")
        try JSONSerialization.data(withJSONObject: ["singlePromptConfig": ["prompt": prompt]]).write(to: patchFile)
        let patched = try sim.cli(["drafts", "patch", "🚀 Launch Line", "huge prompt", "--file", patchFile.path])
        XCTAssertEqual(patched.code, 0, patched.stderr)

        let editor = try script("edit.sh", "sed -i 's/^firstMessage: .*/firstMessage: Saved through a slow server/' \"$1\"")
        let env = environment(editor: editor, extra: ["SMALLEST_API_KEY": "k", "ATOMS_BASE_URL": sim.baseURL])
        let t = try TmuxSession(width: 120, height: 32, command: "\(ChildProcess.binary) --api v1; echo EXIT:$?; sleep 60", environment: env)
        defer { t.kill() }
        try t.waitFor("the huge draft", timeout: 30) { $0.contains("huge prompt") }
        t.send("Tab")
        t.send("Tab")
        try t.waitFor("the drafts pane focused on the huge draft", timeout: 30) { s in
            s.contains("Config of draft \"huge prompt\"") || s.contains("draft \"huge prompt\"")
        }
        t.send("e")
        // No key after `e`: the loop must come back from the editor and finish the save by itself.
        let done = try t.waitFor("the verified save without another key", timeout: 90) { $0.contains("saved · rev") }
        XCTAssertTrue(done.contains("verified"), done)
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        let shown = try sim.cli(["drafts", "show", "🚀 Launch Line", "huge prompt", "--json"])
        XCTAssertTrue(shown.stdout.contains("Saved through a slow server"), String(shown.stdout.prefix(300)))
    }

    /// `--request-timeout` reaches the TUI's client (it used the 20 s default): against a server that answers
    /// 2.5 s late, a 1 s timeout fails the agent list and says how long it waited.
    func testTheTUIHonoursTheRequestTimeout() throws {
        let sim = try SimulatorProcess(database: home.appendingPathComponent("late.sqlite").path, arguments: ["--seed-demo", "--latency", "2500"])
        let env = environment(editor: nil, extra: ["SMALLEST_API_KEY": "k", "ATOMS_BASE_URL": sim.baseURL])
        let t = try TmuxSession(width: 120, height: 32, command: "\(ChildProcess.binary) --api v1 --request-timeout 1; echo EXIT:$?; sleep 60", environment: env)
        defer { t.kill() }
        let screen = try t.waitFor("the agent list failing on the 1 s timeout", timeout: 40) { $0.contains("no answer within 1 s") }
        XCTAssertTrue(screen.contains("tries"), "how many tries it waited: \(screen)")
        XCTAssertFalse(screen.contains("Launch Line"), screen)
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    /// Walking रीना Support's history redraws the detail's Devanagari prompt line by line in part: every frame
    /// must read as drawn — no letter dropped ("You hlp"), no stray glyph left ("singlePromptConfig:क").
    func testDevanagariDetailStaysIntactWhileWalkingTheHistory() throws {
        let t = try v2Demo(showing: "रीना")
        defer { t.kill() }
        t.send("G")
        t.send("Enter")
        try t.waitFor("रीना's history and prompt") { $0.contains("You help broadband customers") }
        func title(_ screen: String) -> String {
            screen.split(separator: "\n").first { $0.contains("┌ Config of ") }.map(String.init) ?? ""
        }
        var last = try t.waitFor("r40's config") { title($0).contains("Config of r40") && $0.contains("prompt: |-") }
        // Each move shows another revision's config (r38's health section pushes its prompt off screen):
        // wait for its title and its loaded head line, then read every line.
        for (i, key) in ["j", "j", "k", "j", "j", "j", "k", "k", "k", "j", "k", "k"].enumerated() {
            t.send(key)
            let was = title(last)
            let screen = try t.waitFor("after key \(i + 1) (\(key)): another revision's config") { s in
                title(s) != was && !title(s).isEmpty && s.contains("check passed") && !s.contains("loading")
            }
            for line in screen.split(separator: "\n") {
                let devanagari = line.unicodeScalars.contains { (0x900...0x97F).contains($0.value) }
                XCTAssertFalse(devanagari && (line.contains("singlePromptConfig:") || line.contains("prompt: |") || line.contains("Config of")),
                               "key \(i + 1) (\(key)): a stray Devanagari glyph: \(line)\n\(screen)")
                if line.contains("You h") || line.contains("broadband customers") {
                    XCTAssertTrue(line.contains("You help broadband customers with outages"), "key \(i + 1) (\(key)): \(line)\n\(screen)")
                }
            }
            last = screen
        }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    /// The question after a publish off the live branch names what going live would undo: Zoë's holiday
    /// branch goes live, then staging (forked from main before it) is published — "Make branch live?" must
    /// list the live greeting and the `hi` language it would drop, as `m` does, and `n` keeps it off live.
    func testMakeLiveAfterAPublishWarnsWhatItWouldUndo() throws {
        let t = try v2Demo("--demo-scan-seconds 1", showing: "Zoë")
        defer { t.kill() }
        t.send("/")
        t.type("Zoë")
        t.send("Enter")
        try t.waitFor("Zoë's branch drafts") { $0.contains("feature/holida") && $0.contains("History · main") }
        t.send("3")
        t.send("j")
        try t.waitFor("the holiday branch's draft") { $0.contains("Config of the draft of branch \"feature/holiday-menu\"") }
        t.send("p")
        try t.waitFor("the review of the holiday draft") { $0.contains("Label (required") }
        t.type("Holiday")
        t.send("Enter")
        try t.waitFor("the make-live question for the holiday branch", timeout: 20) { s in
            s.contains("Make branch live?") && s.contains("feature/holiday-menu") && !s.contains("Checking what making it live")
        }
        t.send("y")
        // What the screen shows of it, not the status line's words (cut to the line's width, and transient).
        try t.waitFor("the holiday branch live", timeout: 20) { s in
            s.contains("History · feature/holiday-menu ● live") && !s.contains("Make branch live?") && !s.contains("reading the agent back")
        }
        t.send("3")
        t.send("g")
        try t.waitFor("staging's draft selected") { $0.contains("Config of the draft of branch \"staging\"") || $0.contains("branch \"staging\"") }
        t.send("p")
        try t.waitFor("the review of staging's draft") { $0.contains("Label (required") }
        t.type("Slower voice")
        t.send("Enter")
        let question = try t.waitFor("the make-live question for staging, with its review", timeout: 20) { s in
            s.contains("Make branch live?") && s.contains("branch \"staging\"") && !s.contains("Checking what making it live")
        }
        XCTAssertTrue(question.contains("Making it live would undo"), question)
        XCTAssertTrue(question.contains("language.supported[2]: live \"hi\" → (absent)"), question)
        XCTAssertTrue(question.contains("firstMessage: conflict"), question)
        t.send("n")
        try t.waitFor("staging kept off live") { $0.contains("which is not live") }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    /// On the v2 demo (the default): a new branch's first publish is promised and made as r1 with the
    /// list change visible; main (a migrated agent with r12 above its head r11) is promised r13 and
    /// gets r13; restoring r9 is promised r14 and gets r14 — and the simulator agrees.
    func testV2ConfirmationsPromiseTheRevisionTheServerCreates() throws {
        let editor = try script("edit.sh", "sed -i 's/^firstMessage: .*/firstMessage: Hello from the redesign e2e test/' \"$1\"")
        let t = try v2Demo("--demo-scan-seconds 1", editor: editor, showing: "Zoë")
        defer { t.kill() }
        t.send("/")
        t.type("Zoë")
        t.send("Enter")
        t.send("Tab")

        let history = try t.waitFor("Zoë's main history") { s in
            s.contains("History · main ● live") && s.split(separator: "\n").contains { $0.contains("●") && $0.contains(" r11 ") }
        }
        XCTAssertTrue(history.split(separator: "\n").contains { $0.contains("↑") && $0.contains(" r12 ") },
                      "r12 above the head is marked: \(history)")

        // A new branch: r1, and the list change element by element.
        t.send("Tab")
        try t.waitFor("the branch drafts") { $0.contains("feature/holida") }
        t.send("Down")
        t.send("p")

        let review = try t.waitFor("the review of the feature branch") { $0.contains("Label (required") && $0.contains("language.supported") }
        XCTAssertTrue(review.contains("as r1."), review)
        XCTAssertTrue(review.contains("+ - hi"), "the added list element is shown: \(review)")
        XCTAssertFalse(review.contains("− []"), review)
        t.type("holiday greeting")
        t.send("Enter")

        let committed = try t.waitFor("r1 committed on the feature branch", timeout: 20) { s in
            s.contains("r1 \"holiday greeting\" is the head of branch \"feature/holiday-menu\"")
        }
        XCTAssertTrue(committed.contains("Make branch live?"), committed)
        t.send("n")  // keep it off live traffic

        // main: edit its draft (the "+ new draft on main" row, last), then publish: promised r13 (not r12,
        // which exists), made r13.
        t.send("G")
        t.send("e")
        try t.waitFor("main's draft saved", timeout: 20) { $0.contains("the draft of branch \"main\" saved") && $0.contains("verified") }
        // The Drafts pane's own row (the History title also says "main ● live").
        try t.waitFor("main's draft row") { s in
            s.split(separator: "\n").contains { CellColumns.rightPane($0).map { $0.contains("main") && $0.contains("● live") } == true }
        }
        t.send("g")
        var screen = t.capture()
        for _ in 0..<4 {
            screen = t.capture()
            if screen.contains("Config of the draft of branch \"main\"") && !screen.contains("· loading") { break }
            if !screen.contains("of branch \"main\"") { t.send("Down") }
            usleep(300_000)
        }
        XCTAssertTrue(screen.contains("the draft of branch \"main\""), screen)
        t.send("p")

        let mainReview = try t.waitFor("main's review") { $0.contains("Label (required") }
        XCTAssertTrue(mainReview.contains("as r13."), mainReview)
        t.type("e2e r13")
        t.send("Enter")

        let question = try t.waitFor("the production question") { $0.contains("[y/N]") }
        XCTAssertTrue(question.contains("r13 serves live traffic"), question)
        t.send("y")
        try t.waitFor("r13 live", timeout: 20) { s in
            // The publish panel has closed and History shows r13 live (the status line's words are cut to its width).
            !s.contains("Security scan") && !s.contains("reading the agent back")
                && s.split(separator: "\n").contains { $0.contains("●") && $0.contains(" r13 ") && $0.contains("e2e r13") }
        }

        // Restore r9: promised r14, made r14.
        t.send("BTab")
        try t.waitFor("main's history with r13 live") { s in s.split(separator: "\n").contains { $0.contains("●") && $0.contains(" r13 ") } }
        t.send("g")
        for _ in 0..<4 { t.send("Down") }  // r13 r12 r11 r10 r9 → r9 (r1 of the feature branch is not in main's history)
        try t.waitFor("r9 selected") { $0.contains("Config of r9") }
        t.send("a")

        let restore = try t.waitFor("the restore question") { $0.contains("Restore revision") }
        XCTAssertTrue(restore.contains("r14 is a copy of r9"), restore)
        t.send("y")
        try t.waitFor("r14 the new head", timeout: 20) { s in s.split(separator: "\n").contains { $0.contains("●") && $0.contains(" r14 ") } }
        let restored = t.capture()
        // The label may be cut in the list ("restored …") where the health columns take room.
        XCTAssertTrue(restored.split(separator: "\n").contains { $0.contains(" r14 ") && $0.contains("restored") }, restored)
        t.send("q")
        try t.waitFor(text: "EXIT:0")

        let sim = try SimulatorProcess(database: home.appendingPathComponent("atoms-tui/demo-v2.sqlite").path, arguments: ["--branch-model", "on"])
        let r = try sim.cli(["revisions", "list", "Zoë — Café Concierge", "--branch", "main", "--json"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let numbers = (obj?["revisions"] as? [[String: Any]] ?? []).compactMap { $0["revisionNumber"] as? Int }
        XCTAssertEqual(numbers.prefix(3), [14, 13, 12], r.stdout)
        let r14 = (obj?["revisions"] as? [[String: Any]] ?? []).first { $0["revisionNumber"] as? Int == 14 }
        XCTAssertNotNil(r14?["restoredFromRevisionId"], "r14 says what it restores (the TUI labels it \"restored from …\"): \(r14 ?? [:])")
        let feature = try sim.cli(["revisions", "list", "Zoë — Café Concierge", "--branch", "feature/holiday-menu", "--json"])
        XCTAssertTrue(feature.stdout.contains("\"revisionNumber\" : 1") || feature.stdout.contains("\"revisionNumber\":1"), feature.stdout)
    }
}

/// Configs as code in the TUI: a pulled file edited locally marks its agent, and `D` shows the plan.
final class LocalConfigEndToEndTests: XCTestCase {
    func testAPulledFileWithALocalChangeMarksTheAgentAndDShowsThePlan() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-configs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let sim = try SimulatorProcess(database: home.appendingPathComponent("sim.sqlite").path, arguments: ["--seed-demo", "--scan-seconds", "0"])
        let dir = home.appendingPathComponent("agents")
        let pulled = try sim.cli(["pull", "🚀 Launch Line", "--dir", dir.path])
        XCTAssertEqual(pulled.code, 0, pulled.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".atoms.yaml") }
        let file = try XCTUnwrap(files.first, "pull wrote no file")
        let path = dir.appendingPathComponent(file)
        var text = try String(contentsOf: path, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let i = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("firstMessage:") }, text)
        text = (lines[..<i] + ["firstMessage: Changed in git"] + lines[(i + 1)...]).joined(separator: "\n")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let plan = try sim.cli(["plan", "--dir", dir.path])
        XCTAssertEqual(plan.code, 2, "the CLI sees the change too: \(plan.stdout) \(plan.stderr)")

        let env = ["XDG_DATA_HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "SMALLEST_API_KEY": "k", "ATOMS_BASE_URL": sim.baseURL]
        let t = try TmuxSession(width: 120, height: 32, command: "\(ChildProcess.binary) --api v1 --config-dir \(dir.path); echo EXIT:$?; sleep 60", environment: env)
        defer { t.kill() }
        // The list's marker and the detail's line come from the same answer; wait for both (the
        // failure then shows which one is missing).
        try t.waitFor("the agent marked as having local changes, and the detail saying so", timeout: 30) { s in
            s.contains("~ 🚀 Launch Line") && s.contains("local changes to push — D shows the plan")
        }
        t.send("D")
        try t.waitFor("the plan panel naming the changed field and its new value", timeout: 15) { s in
            s.contains("Plan of \(file)") && s.contains("firstMessage") && s.contains("Changed in git")
        }
        t.send("Escape")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }
}
