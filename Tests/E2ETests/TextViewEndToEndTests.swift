import Foundation
import TestSupport
import XCTest

/// The message log, search and the clipboard in a real terminal (tmux): what the screen says, and what
/// reaches tmux's clipboard buffer through OSC 52.
final class TextViewEndToEndTests: XCTestCase {
    var dataHome: URL!

    override func setUpWithError() throws {
        dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-data-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataHome, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dataHome) }

    func start(width: Int = 120, height: Int = 32, env: [String: String] = [:]) throws -> TmuxSession {
        let cmd = "\(ChildProcess.binary) --demo-api v1; echo EXIT:$?; sleep 60"
        var e = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                 "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": ""]
        for (k, v) in env { e[k] = v }
        let t = try TmuxSession(width: width, height: height, command: cmd, environment: e)
        try t.waitFor("the seeded agents") { $0.contains("Zoë — Café Concierge") && $0.contains("passed") }
        return t
    }

    func testYPutsTheAgentIdOnTmuxsClipboardThroughOSC52() throws {
        let t = try start()
        t.command("set-option", "-g", "set-clipboard", "on")
        t.send("y")
        try t.waitFor(text: "Copied the id of")
        let deadline = Date().addingTimeInterval(10)
        var buffer = ""
        while Date() < deadline {
            buffer = t.command("show-buffer")
            if !buffer.isEmpty { break }
            usleep(25_000)
        }
        XCTAssertNotNil(buffer.range(of: "^[0-9a-f]{24}$", options: .regularExpression), "tmux's buffer: \(buffer)")
        // The id in the buffer is the one the detail area shows for the selected agent.
        let screen = t.capture()
        XCTAssertTrue(screen.contains(String(buffer.prefix(12))), screen)
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testWithoutSetClipboardItSaysSoAndTheLogHoldsTheText() throws {
        let t = try start()
        t.command("set-option", "-g", "set-clipboard", "off")
        t.send("y")
        try t.waitFor(text: "the text is in the message log")
        XCTAssertEqual(t.command("show-buffer"), "", "nothing reached tmux")
        t.send("M")
        let log = try t.waitFor(text: "Messages (")
        XCTAssertTrue(log.contains("set-clipboard on"), log)
        XCTAssertNotNil(log.range(of: "[0-9a-f]{24}", options: .regularExpression), log)
        t.send("Escape")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testSearchInTheDetailAreaSaysWhichMatchOfHowMany() throws {
        let t = try start()
        t.send("Tab")
        t.send("Enter")
        // The config is loaded when the detail holds many lines (the Health section comes first and can
        // push "prompt:" below the fold).
        try t.waitFor("the config in the detail area") { $0.range(of: "─ 1/[0-9]{2,} ─", options: .regularExpression) != nil }
        t.send("/")
        t.type("the")
        let screen = try t.waitFor("a match count") { $0.range(of: "/the▏  1/[0-9]+", options: .regularExpression) != nil }
        XCTAssertTrue(screen.contains("Enter keeps"), screen)
        t.send("Enter")
        t.send("n")
        try t.waitFor("the second match") { $0.range(of: "/the  2/[0-9]+", options: .regularExpression) != nil }
        t.send("Escape")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }
}

/// `LANG=C`: the real binary draws in ASCII.
final class ASCIIEndToEndTests: XCTestCase {
    func testWithoutAUTF8LocaleTheScreenIsASCII() throws {
        let dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-data-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dataHome) }
        let cmd = "\(ChildProcess.binary) --demo-api v1; echo EXIT:$?; sleep 60"
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": "",
                   "LANG": "C", "LC_ALL": "C"]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        let screen = try t.waitFor("the versions of the first agent") { $0.contains("passed") && $0.contains("Launch Line") }
        XCTAssertTrue(screen.contains("+ Agents"), screen)
        XCTAssertFalse(screen.contains("┌") || screen.contains("│") || screen.contains("●"), screen)
        XCTAssertTrue(screen.contains("Caf? Concierge"), "accented letters become ?: \(screen)")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }
}

/// The mouse in a real terminal: raw SGR mouse sequences sent to the pane (what a terminal sends).
final class MouseEndToEndTests: XCTestCase {
    func start(extra: String = "") throws -> (TmuxSession, URL) {
        let dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-data-\(UUID().uuidString.prefix(8))")
        let cmd = "\(ChildProcess.binary) --demo-api v1 \(extra); echo EXIT:$?; sleep 60"
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": ""]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        try t.waitFor("the seeded agents") { $0.contains("Zoë — Café Concierge") && $0.contains("passed") }
        return (t, dataHome)
    }

    /// SGR (1006) mouse report, 1-based column and row.
    func sgr(button: Int, x: Int, y: Int) -> String { "\u{1B}[<\(button);\(x + 1);\(y + 1)M" }

    func testAClickSelectsARowAndFocusesItsPane() throws {
        let (t, home) = try start()
        defer { try? FileManager.default.removeItem(at: home) }
        // The second version row of the Versions pane (x 36..<84; rows from y 2).
        t.type(sgr(button: 0, x: 50, y: 3))
        let screen = try t.waitFor("the clicked version's config") { $0.contains("Config of v") }
        let row = screen.components(separatedBy: "\n")[3]
        // The wheel over the Agents pane moves its cursor by three: another agent's versions show.
        t.type(sgr(button: 65, x: 5, y: 5))
        try t.waitFor("the agent three rows down") { $0 != screen && $0.contains("Agent") }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        XCTAssertFalse(row.isEmpty)
    }

    func testAClickOnAKeyNameInADialogActsLikeTheKey() throws {
        let (t, home) = try start()
        defer { try? FileManager.default.removeItem(at: home) }
        // Tab ↓ a: the roll-back question on v1, whose footer says "Press y to confirm · n, Esc or Enter cancels".
        t.send("Tab", "Down", "a")
        let asked = try t.waitFor("the activation question") { $0.contains("Press y to confirm") }
        let rows = asked.components(separatedBy: "\n")
        let y = try XCTUnwrap(rows.firstIndex { $0.contains("Press y to confirm") })
        let col = try XCTUnwrap(CellColumns.column(of: "Esc or Enter", in: rows[y]))
        t.type(sgr(button: 0, x: col, y: y))
        let closed = try t.waitFor("the question closed by its Esc") { !$0.contains("Press y to confirm") && $0.contains("Versions 2/2") }
        XCTAssertTrue(closed.contains("●    v2"), "Esc cancels: v2 stays active\n\(closed)")
        // The legend's "? help" opens the help.
        let main = try t.waitFor("the legend") { $0.contains("? help") }
        let lines = main.components(separatedBy: "\n")
        let ly = try XCTUnwrap(lines.lastIndex { $0.contains("? help") })
        let lx = try XCTUnwrap(CellColumns.column(of: "? help", in: lines[ly]))
        t.type(sgr(button: 0, x: lx, y: ly))
        try t.waitFor("the help") { $0.contains("Esc closes") }
        t.send("Escape")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testNoMouseLeavesTheSequenceAlone() throws {
        // tmux knows whether the program asked for mouse reports.
        let (on, home1) = try start()
        defer { try? FileManager.default.removeItem(at: home1) }
        XCTAssertEqual(on.command("display-message", "-p", "-t", "app", "#{mouse_any_flag}").trimmingCharacters(in: .whitespacesAndNewlines), "1")
        on.send("q")
        try on.waitFor(text: "EXIT:0")
        let (off, home2) = try start(extra: "--no-mouse")
        defer { try? FileManager.default.removeItem(at: home2) }
        XCTAssertEqual(off.command("display-message", "-p", "-t", "app", "#{mouse_any_flag}").trimmingCharacters(in: .whitespacesAndNewlines), "0")
        off.send("q")
        try off.waitFor(text: "EXIT:0")
    }
}

/// Live refresh: the status line says when the lists were read; `--no-watch` turns it off.
final class WatchEndToEndTests: XCTestCase {
    func run(_ extra: String, _ check: (TmuxSession) throws -> Void) throws {
        let dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-data-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dataHome) }
        let cmd = "\(ChildProcess.binary) --demo-api v1 \(extra); echo EXIT:$?; sleep 60"
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": ""]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        try t.waitFor("the seeded agents") { $0.contains("Zoë — Café Concierge") && $0.contains("passed") }
        try check(t)
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testTheStatusLineSaysWhenTheListsWereRead() throws {
        try run("") { t in
            let screen = try t.waitFor("the age of the lists") { $0.range(of: "updated [0-9]+ s ago", options: .regularExpression) != nil }
            XCTAssertTrue(screen.contains("updated"), screen)
        }
        try run("--no-watch") { t in
            let screen = t.capture()
            XCTAssertNil(screen.range(of: "updated [0-9]+ s ago", options: .regularExpression), screen)
        }
    }
}
