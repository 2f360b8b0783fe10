import Foundation
import TestSupport
import XCTest

/// The real binary in a real terminal (tmux), on a fresh demo database per test.
final class TUIEndToEndTests: XCTestCase {
    var dataHome: URL!

    override func setUpWithError() throws {
        dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-data-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataHome, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dataHome) }

    func start(width: Int = 120, height: Int = 32, extra: String = "", env: [String: String] = [:]) throws -> TmuxSession {
        let cmd = "\(ChildProcess.binary) --demo-api v1 \(extra); echo EXIT:$?; sleep 60"
        var e = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                 "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": ""]
        for (k, v) in env { e[k] = v }
        let t = try TmuxSession(width: width, height: height, command: cmd, environment: e)
        try t.waitFor("the seeded agents") { $0.contains("Zoë — Café Concierge") && $0.contains("Launch Line") }
        return t
    }

    func testFirstScreenShowsThreePanesWithSeededNames() throws {
        let t = try start()
        let screen = try t.waitFor("versions of the first agent") { $0.contains("passed") }
        XCTAssertTrue(screen.contains("Agents"), screen)
        XCTAssertTrue(screen.contains("Versions"), screen)
        XCTAssertTrue(screen.contains("Drafts"), screen)
        XCTAssertTrue(screen.contains("DEMO"), screen)
        XCTAssertTrue(screen.contains("Kolkata Collections"), screen)
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testNavigateAndFilter() throws {
        let t = try start()
        t.send("j")
        try t.waitFor("second agent's versions") { $0.contains("Kolkata") && $0.contains("passed") }
        t.send("/")
        t.type("Clínica")
        let filtered = try t.waitFor("the filter") { !$0.contains("Kolkata Collections") && $0.contains("Clínica Marta") }
        XCTAssertFalse(filtered.contains("Launch Line"), filtered)
        t.send("Escape")
        try t.waitFor("filter cleared") { $0.contains("Kolkata Collections") }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testForkADraftAndSeeItAppear() throws {
        let t = try start()
        try t.waitFor("versions") { $0.contains("passed") }
        t.send("Tab")
        t.send("n")
        try t.waitFor("the name input") { $0.lowercased().contains("name") }
        t.type("e2e-fork")
        t.send("Enter")
        // The name dialog waits for the server's answer; then the new draft is a row of the Drafts pane.
        try t.waitFor("the forked draft's row") { $0.contains("Forked draft \"e2e-fork\"") }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testActivateAnOlderVersionWithYMovesTheActiveMarkerAndTheSimulatorAgrees() throws {
        let t = try start()
        // The first agent (🚀 Launch Line) has v2 active and v1 older.
        try t.waitFor("versions") { $0.contains("v2") && $0.contains("v1") }
        t.send("Tab")
        t.send("j")
        t.send("a")
        let dialog = try t.waitFor("the confirmation") { $0.contains("[y/N]") || $0.contains("y/N") }
        XCTAssertTrue(dialog.contains("v1"), dialog)
        t.send("Enter")   // Enter alone never confirms
        usleep(300_000)
        XCTAssertFalse(t.capture().contains("activated"), "Enter must not confirm")
        if !t.capture().contains("y/N") { t.send("a") }
        try t.waitFor("the confirmation again") { $0.contains("y/N") }
        t.send("y")
        try t.waitFor("the Active marker on v1") { screen in
            screen.split(separator: "\n").contains { $0.contains("●") && $0.contains(" v1 ") }
        }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        // The simulator agrees: open the same demo database and ask through the CLI.
        let db = dataHome.appendingPathComponent("atoms-tui/demo.sqlite").path
        let sim = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--db", db])
        defer { sim.terminate() }
        var url = ""
        for _ in 0..<400 where url.isEmpty {
            if let line = sim.stdout.split(separator: "\n").first(where: { $0.contains("listening on") }) { url = String(line.split(separator: " ").last!) }
            usleep(25_000)
        }
        XCTAssertFalse(url.isEmpty, sim.stderr)
        let list = try ChildProcess.spawn(["versions", "list", "🚀 Launch Line", "--json", "--base-url", url], environment: ["SMALLEST_API_KEY": "k"])
        XCTAssertEqual(list.wait(), 0, list.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        let versions = obj?["versions"] as? [[String: Any]] ?? []
        let active = versions.filter { ($0["isActive"] as? Bool) == true }.compactMap { $0["versionNumber"] as? Int }
        XCTAssertEqual(active, [1], list.stdout)
    }

    func testResizeRedrawsAndTinySizesSaySo() throws {
        let t = try start()
        t.resize(width: 80, height: 24)
        try t.waitFor("80 columns") { $0.split(separator: "\n").allSatisfy { $0.count <= 80 } && $0.contains("Agents") }
        t.resize(width: 18, height: 5)
        try t.waitFor(text: "too small")
        t.resize(width: 120, height: 32)
        try t.waitFor("full layout") { $0.contains("Drafts") && $0.contains("Versions") }
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testNoColorLeavesNoColourAttributes() throws {
        let t = try start(env: ["NO_COLOR": "1"])
        try t.waitFor("versions") { $0.contains("passed") }
        let colored = t.capture(colors: true)
        let sgr = try NSRegularExpression(pattern: "\u{1B}\\[([0-9;]*)m")
        let codes = sgr.matches(in: colored, range: NSRange(colored.startIndex..., in: colored)).compactMap {
            Range($0.range(at: 1), in: colored).map { String(colored[$0]) }
        }
        let colourCodes = codes.flatMap { $0.split(separator: ";") }.filter { c in
            guard let n = Int(c) else { return false }
            return (30...49).contains(n) && n != 39 && n != 49 || (90...107).contains(n)
        }
        XCTAssertTrue(colourCodes.isEmpty, "colour SGR codes under NO_COLOR: \(Set(colourCodes))")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }

    func testQuitRestoresTerminalSettings() throws {
        let before = dataHome.appendingPathComponent("stty-before").path, after = dataHome.appendingPathComponent("stty-after").path
        let cmd = "stty -g > \(before); \(ChildProcess.binary) --demo-api v1; stty -g > \(after); echo EXIT:$?; sleep 60"
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: ["XDG_DATA_HOME": dataHome.path, "SMALLEST_API_KEY": ""])
        try t.waitFor(text: "Launch Line")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        XCTAssertEqual(try String(contentsOfFile: before, encoding: .utf8), try String(contentsOfFile: after, encoding: .utf8))
    }

    func testSignalsRestoreTerminalSettings() throws {
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            let before = dataHome.appendingPathComponent("stty-before-\(sig)").path, after = dataHome.appendingPathComponent("stty-after-\(sig)").path
            let cmd = "stty -g > \(before); \(ChildProcess.binary) --demo-api v1; echo EXIT:$?; stty -g > \(after); sleep 60"
            let t = try TmuxSession(width: 100, height: 30, command: cmd, environment: ["XDG_DATA_HOME": dataHome.path, "SMALLEST_API_KEY": ""])
            try t.waitFor(text: "Launch Line")
            let child = try XCTUnwrap(t.foregroundChildPID(), "no TUI process found")
            kill(child, sig)
            try t.waitFor(text: "EXIT:\(128 + sig)")
            try t.waitFor("stty after") { _ in FileManager.default.fileExists(atPath: after) && ((try? String(contentsOfFile: after, encoding: .utf8)) ?? "").count > 5 }
            XCTAssertEqual(try String(contentsOfFile: before, encoding: .utf8), try String(contentsOfFile: after, encoding: .utf8), "signal \(sig)")
            t.kill()
        }
    }
}
