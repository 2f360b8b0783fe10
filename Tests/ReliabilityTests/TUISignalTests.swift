import AtomsModels
import AtomsSimulator
import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM, SIGINT and SIGHUP sent to the TUI while browsing, while the editor is open, and during a
/// publish wait: the terminal settings are restored (`stty -g` before = after), the private temp
/// files are gone, a recovery file holds the edit that was in flight, and a publish that was being
/// watched stays published and inactive. (SIGINT while the editor runs is ignored by the TUI, like
/// `system(3)` does: Ctrl-C belongs to the editor; the test checks that and then ends it with SIGTERM.)
final class TUISignalTests: XCTestCase {
    enum Moment: String, CaseIterable { case browsing, editor, publishWait }

    func testSignalsInEveryMoment() throws {
        var report: [String] = []
        for moment in Moment.allCases {
            for sig in [SIGTERM, SIGINT, SIGHUP] {
                try run(moment, sig, &report)
            }
        }
        print("TUI SIGNALS\n" + report.joined(separator: "\n"))
    }

    func run(_ moment: Moment, _ sig: Int32, _ report: inout [String]) throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-sig-\(UUID().uuidString.prefix(8))")
        let tmp = home.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let before = home.appendingPathComponent("stty-before").path, after = home.appendingPathComponent("stty-after").path
        let started = home.appendingPathComponent("editor-started").path
        let editor = home.appendingPathComponent("editor.sh")
        try "#!/bin/sh\necho '# typed before the signal' >> \"$1\"\ntouch \(started)\nsleep 20\n".write(to: editor, atomically: true, encoding: .utf8)
        chmod(editor.path, 0o700)
        let cmd = "stty -g > \(before); \(ChildProcess.binary) --demo-api v1 --demo-scan-seconds 30; echo EXIT:$?; stty -g > \(after); sleep 60"
        let env = ["XDG_DATA_HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "SMALLEST_API_KEY": "",
                   "EDITOR": editor.path, "VISUAL": "", "TMPDIR": tmp.path]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        defer { t.kill() }
        let what = "\(moment.rawValue) + signal \(sig)"
        try t.waitFor("the first agent's versions") { $0.contains("Launch Line") && $0.contains("v2") && $0.contains("passed") }
        let tui = try XCTUnwrap(t.foregroundChildPID(), "\(what): no TUI process")
        if moment != .browsing {
            t.send("Tab")
            t.send("n")
            try t.waitFor("the name input") { $0.contains("Name (optional)") }
            t.type("sig-draft")
            t.send("Enter")
            try t.waitFor("the forked draft") { $0.contains("Forked draft \"sig-draft\"") }
        }
        switch moment {
        case .browsing:
            t.send("j")
        case .editor:
            t.send("e")
            try t.waitFor("the editor") { _ in FileManager.default.fileExists(atPath: started) }
            if sig == SIGINT {
                kill(tui, SIGINT)
                usleep(500_000)
                XCTAssertEqual(kill(tui, 0), 0, "\(what): the TUI ignores SIGINT while the editor owns the terminal")
                report.append("\(what): ignored while the editor runs (Ctrl-C belongs to the editor); ended with SIGTERM")
            }
        case .publishWait:
            t.send("p")
            try t.waitFor("the review dialog") { $0.contains("Label (required") }
            t.send("Tab")
            t.type("signal test")
            t.send("Enter")
            try t.waitFor("the check wait") { $0.contains(" s / ~") }
        }
        let sent = moment == .editor && sig == SIGINT ? SIGTERM : sig
        kill(tui, sent)
        try t.waitFor("the exit", timeout: 15) { $0.contains("EXIT:\(128 + sent)") }
        try t.waitFor("stty after") { _ in ((try? String(contentsOfFile: after, encoding: .utf8)) ?? "").count > 5 }
        XCTAssertEqual(try String(contentsOfFile: before, encoding: .utf8), try String(contentsOfFile: after, encoding: .utf8),
                       "\(what): terminal settings restored")
        let leftovers = Self.files(tmp)
        XCTAssertEqual(leftovers, [], "\(what): temp files removed")
        let recovery = Self.files(home.appendingPathComponent("state")).filter { $0.path.contains("/recovery/") }
        if moment == .editor {
            XCTAssertEqual(recovery.count, 1, "\(what): the edit in flight is kept")
            let text = recovery.first.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
            XCTAssertTrue(text.contains("# typed before the signal"), "\(what): \(text.prefix(200))")
        } else {
            XCTAssertEqual(recovery, [], "\(what): no edit was in flight")
        }
        if moment == .publishWait {
            // The published version stays published and inactive; nothing was activated.
            var o = SimulatorOptions()
            o.dbPath = home.appendingPathComponent("atoms-tui/demo.sqlite").path
            let store = try SimulatorStore(options: o)
            let agent = try XCTUnwrap(try store.listAgents().agents.first { $0.name.contains("Launch Line") })
            let versions = try store.versions(agentId: agent.id, limit: 100).versions
            let newest = try XCTUnwrap(versions.max { ($0.versionNumber ?? 0) < ($1.versionNumber ?? 0) })
            XCTAssertEqual(newest.label, "sig-draft", "\(what): the label defaults to the draft name")
            XCTAssertFalse(newest.isActive, "\(what): the watched version was not activated")
            XCTAssertTrue(store.activationAttempts(agentId: agent.id).allSatisfy { $0.versionId != newest.id }, "\(what)")
        }
        if !(moment == .editor && sig == SIGINT) {
            report.append("\(what): exit \(128 + sent), stty restored, temp files gone\(moment == .editor ? ", recovery file kept" : "")")
        }
    }

    /// Ctrl-Z in an interactive shell, then `fg`: the TUI takes the terminal back in its own mode, so the
    /// next key acts at once (before the fix the terminal stayed in the shell's line mode after `fg` in
    /// most runs: keys echoed over the status line and waited for Enter). Three rounds, each checked by
    /// what a key does and by the pane's `stty`.
    func testCtrlZThenFgGivesTheKeysBackToTheTUI() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-tstp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["XDG_DATA_HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "SMALLEST_API_KEY": ""]
        let t = try TmuxSession(width: 120, height: 32, command: "bash --norc --noprofile -i", environment: env)
        defer { t.kill() }
        try t.waitFor("bash's prompt") { Self.lastLine($0).hasSuffix("#") || Self.lastLine($0).hasSuffix("$") }
        t.type("PS1='shell$ '")
        t.send("Enter")
        try t.waitFor("the test's prompt") { Self.lastLine($0).hasPrefix("shell$") }
        t.type("\(ChildProcess.binary) --demo-api v1")
        t.send("Enter")
        try t.waitFor("the first agent's versions") { $0.contains("Launch Line") && $0.contains("passed") }
        let tty = t.command("display-message", "-p", "-t", "app", "#{pane_tty}").trimmingCharacters(in: .whitespacesAndNewlines)
        func lineMode() -> String {
            let r = try? ChildProcess.spawn(executable: "stty", ["-F", tty, "-a"]).finish(timeout: 10)
            return (r?.stdout ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.hasSuffix("icanon") }.map(String.init) ?? "?"
        }
        for round in 1...3 {
            t.send("C-z")
            try t.waitFor("round \(round): the shell after Ctrl-Z") { $0.contains("Stopped") && Self.lastLine($0).hasPrefix("shell$") }
            t.type("fg")
            t.send("Enter")
            try t.waitFor("round \(round): the TUI again") { $0.contains("Launch Line") && $0.contains("q quit") }
            t.send("?")
            let help = try t.waitFor("round \(round): the help overlay, opened by one key with no Enter") { $0.contains("Help — keys") }
            XCTAssertEqual(lineMode(), "-icanon", "round \(round): the terminal is in the TUI's mode after fg\n\(help)")
            t.send("Escape")
            try t.waitFor("round \(round): the help closed") { !$0.contains("Help — keys") }
        }
        t.send("q")
        try t.waitFor("the shell after q") { Self.lastLine($0).hasPrefix("shell$") && !$0.contains("q quit") }
        t.type("echo back-$((40+2))")
        t.send("Enter")
        try t.waitFor("the shell running a command after q") { $0.contains("back-42") }
    }

    static func lastLine(_ screen: String) -> String {
        screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }

    static func files(_ dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
    }
}
