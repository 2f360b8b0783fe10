import Foundation
import TestSupport
import XCTest

/// `e` in a real terminal: the real binary on a fresh demo database, with scripted editors
/// (shell scripts the test writes) standing in for the person.
final class EditEndToEndTests: XCTestCase {
    var dataHome: URL!
    var tmp: URL!

    override func setUpWithError() throws {
        dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-edit-\(UUID().uuidString.prefix(8))")
        tmp = dataHome.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dataHome) }

    /// Writes an executable editor script into the test's directory.
    func editorScript(_ name: String, _ body: String) throws -> String {
        let url = dataHome.appendingPathComponent(name)
        try ("#!/bin/sh\nset -e\nf=\"$1\"\n" + body).write(to: url, atomically: true, encoding: .utf8)
        chmod(url.path, 0o755)
        return url.path
    }

    /// Starts the TUI with `EDITOR`, forks a draft of the first agent (🚀 Launch Line) named `name`,
    /// and leaves the cursor on it in the Drafts pane.
    func startWithFreshDraft(editor: String, name: String) throws -> TmuxSession {
        let cmd = "\(ChildProcess.binary) --demo-api v1; echo EXIT:$?; sleep 60"
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": "",
                   "EDITOR": editor, "VISUAL": "", "TMPDIR": tmp.path]
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: env)
        try t.waitFor("the first agent's versions") { $0.contains("Launch Line") && $0.contains("v2") && $0.contains("passed") }
        t.send("Tab")
        t.send("n")
        try t.waitFor("the name input") { $0.contains("Name (optional)") }
        t.type(name)
        t.send("Enter")
        try t.waitFor("the forked draft") { $0.contains("Forked draft \"\(name)\"") }
        return t
    }

    /// Temp edit files left under TMPDIR (the private directory holds none between rounds).
    func leftoverTempFiles() -> [String] {
        let dirs = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        return dirs.flatMap { d in ((try? FileManager.default.contentsOfDirectory(atPath: tmp.appendingPathComponent(d).path)) ?? []).map { d + "/" + $0 } }
    }

    func testScriptedEditorChangesFirstMessageAndPromptAndTheTUIShowsTheVerifiedRevision() throws {
        let editor = try editorScript("edit.sh", """
            sed -i 's/^firstMessage: .*/firstMessage: Edited by the e2e editor/' "$f"
            awk 'BEGIN { skip = 0 }
                 /^  prompt: \\|/ { print "  prompt: |"; print "    NEW PROMPT LINE ONE"; print "    NEW PROMPT LINE TWO"; skip = 1; next }
                 skip == 1 && (/^    / || /^$/) { next }
                 { skip = 0; print }' "$f" > "$f.new"
            cat "$f.new" > "$f"
            rm -f "$f.new"
            """)
        let t = try startWithFreshDraft(editor: editor, name: "e2e-edit")
        t.send("e")
        let screen = try t.waitFor("the verified save") { $0.contains("saved · rev") && $0.contains("verified") }
        XCTAssertFalse(screen.contains("NOT verified"), screen)
        let status = screen.split(separator: "\n").first { $0.contains("saved · rev") }.map(String.init) ?? ""
        let rev = status.components(separatedBy: "rev ").last?.split(separator: " ").first.map(String.init) ?? "?"
        // The Drafts pane shows the new revision, and the detail area the new config.
        try t.waitFor("the draft row at r\(rev)") { s in s.split(separator: "\n").contains { $0.contains("e2e-edit") && $0.contains("r\(rev)") } }
        try t.waitFor("the new prompt in the detail area") { $0.contains("NEW PROMPT LINE ONE") && $0.contains("NEW PROMPT LINE TWO") }
        XCTAssertEqual(leftoverTempFiles(), [], "the temp file is removed after the round")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [], [], "the private temp directory is removed at exit")
        // The simulator holds what the editor wrote.
        let config = try draftConfig("e2e-edit")
        XCTAssertTrue(config.contains("firstMessage: Edited by the e2e editor"), config)
        XCTAssertTrue(config.contains("NEW PROMPT LINE ONE\n") || config.contains("    NEW PROMPT LINE ONE"), config)
        XCTAssertFalse(config.contains("RSVP line for the spring product launch"), config)
    }

    /// The draft's config as the simulator holds it (through the CLI, after the TUI quit).
    func draftConfig(_ draft: String) throws -> String {
        let sim = try SimulatorProcess(database: dataHome.appendingPathComponent("atoms-tui/demo.sqlite").path)
        let r = try sim.cli(["drafts", "show", "🚀 Launch Line", draft])
        XCTAssertEqual(r.code, 0, r.stderr)
        return r.stdout
    }

    func testInvalidYAMLReopensTheEditorWithErrorsAndTheFixIsSaved() throws {
        let marker = dataHome.appendingPathComponent("first-run-done").path
        let editor = try editorScript("edit-twice.sh", """
            if [ ! -e "\(marker)" ]; then
              touch "\(marker)"
              sed -i 's/^firstMessage: .*/firstMessage: [unclosed/' "$f"
              exit 0
            fi
            grep -q '^# ERRORS' "$f" || exit 9
            sed -i 's/^firstMessage: .*/firstMessage: Fixed after the errors/' "$f"
            """)
        let t = try startWithFreshDraft(editor: editor, name: "e2e-invalid")
        t.send("e")
        let screen = try t.waitFor("the verified save") { $0.contains("verified") || $0.contains("exited with status") }
        XCTAssertTrue(screen.contains("saved · rev") && !screen.contains("NOT verified"), screen)
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the editor ran twice")
        t.send("q")
        try t.waitFor(text: "EXIT:0")
        XCTAssertTrue(try draftConfig("e2e-invalid").contains("firstMessage: Fixed after the errors"))
    }

    func testSigtermWhileTheEditorRunsRemovesTheTempFileAndKeepsTheTextForResume() throws {
        let started = dataHome.appendingPathComponent("editor-started").path
        let editor = try editorScript("slow.sh", """
            echo "# typed before SIGTERM" >> "$f"
            echo "$f" > "\(started)"
            sleep 30
            """)
        let t = try startWithFreshDraft(editor: editor, name: "e2e-sigterm")
        let tui = try XCTUnwrap(t.foregroundChildPID())
        t.send("e")
        try t.waitFor("the editor to start") { _ in FileManager.default.fileExists(atPath: started) }
        XCTAssertEqual(leftoverTempFiles().count, 1, "the edit file exists while the editor runs")
        kill(tui, SIGTERM)
        try t.waitFor(text: "EXIT:143")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [], [], "no temp file is left after SIGTERM")
        t.kill()
        // The text typed so far went to the recovery file, and the next e offers it.
        let recovery = dataHome.appendingPathComponent("state/atoms-tui/recovery")
        let kept = try FileManager.default.contentsOfDirectory(atPath: recovery.path)
        XCTAssertEqual(kept.count, 1, "\(kept)")
        let text = try String(contentsOf: recovery.appendingPathComponent(kept[0]), encoding: .utf8)
        XCTAssertTrue(text.contains("# typed before SIGTERM"), text)
        let env = ["XDG_DATA_HOME": dataHome.path, "XDG_STATE_HOME": dataHome.appendingPathComponent("state").path,
                   "XDG_CONFIG_HOME": dataHome.appendingPathComponent("config").path, "SMALLEST_API_KEY": "",
                   "EDITOR": "true", "VISUAL": "", "TMPDIR": tmp.path]
        let again = try TmuxSession(width: 120, height: 32, command: "\(ChildProcess.binary) --demo-api v1; echo EXIT:$?; sleep 60", environment: env)
        try again.waitFor("the draft") { $0.contains("e2e-sigterm") }
        again.send("Tab")
        again.send("Tab")
        again.send("e")
        try again.waitFor("the resume question") { $0.contains("Resume your unsaved edit from") && $0.contains("[y/N]") }
        again.send("Escape")
        try again.waitFor(text: "the unsaved edit stays in")
        again.send("q")
        try again.waitFor(text: "EXIT:0")
    }
}
