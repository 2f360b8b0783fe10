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

    static func files(_ dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
    }
}
