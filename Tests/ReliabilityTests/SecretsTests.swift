import AtomsClient
import AtomsSimulator
import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A canary key goes through every path that could leak it — config file, environment, flag; logs,
/// errors, `--json`, temp and recovery files, the TUI's screens captured through tmux — and is found
/// nowhere the tool writes. Files holding a key must be private; http:// to a non-loopback host is
/// refused without --insecure; nothing turns certificate checks off.
final class SecretsTests: XCTestCase {
    let canary = "sk-canary-\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24))"
    var home: URL!
    var tmp: URL!
    var sim: ChildProcess!
    var baseURL = ""

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-secrets-\(UUID().uuidString.prefix(8))")
        tmp = home.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        sim = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--scan-seconds", "0.3", "--seed-demo", "--key", canary])
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, baseURL.isEmpty {
            if let line = sim.stdout.split(separator: "\n").first(where: { $0.contains("listening on") }) { baseURL = String(line.split(separator: " ").last!) }
            usleep(20_000)
        }
        XCTAssertFalse(baseURL.isEmpty, sim.stderr)
    }

    override func tearDown() {
        sim?.terminate()
        try? FileManager.default.removeItem(at: home)
    }

    var env: [String: String] {
        ["XDG_STATE_HOME": home.appendingPathComponent("state").path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
         "XDG_DATA_HOME": home.appendingPathComponent("data").path, "TMPDIR": tmp.path, "SMALLEST_API_KEY": ""]
    }

    var outputs: [String] = []

    @discardableResult
    func cli(_ args: [String], extraEnv: [String: String] = [:], timeout: TimeInterval = 60) throws -> CLIResult {
        let p = try ChildProcess.spawn(args, environment: env.merging(extraEnv) { $1 })
        let code = p.wait(timeout: timeout)
        outputs.append(p.stdout)
        outputs.append(p.stderr)
        return CLIResult(code: code, stdout: p.stdout, stderr: p.stderr)
    }

    func writeConfig(mode: mode_t) throws -> URL {
        let dir = home.appendingPathComponent("config/atoms-tui")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("config.yaml")
        try "defaultProfile: sim\nprofiles:\n  sim:\n    apiKey: \(canary)\n    baseURL: \(baseURL)\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, mode)
        return file
    }

    /// Every regular file under `dir`.
    static func files(_ dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
    }

    func testTheCanaryKeyIsWrittenNowhere() throws {
        let config = try writeConfig(mode: 0o600)
        let log = home.appendingPathComponent("debug.log").path
        // Lists, JSON, a whole lifecycle with an edit, an edit that fails (recovery file), errors.
        try cli(["agents", "list", "--log-file", log])
        try cli(["agents", "list", "--json", "--log-file", log])
        let fork = try cli(["drafts", "fork", "🚀 Launch Line", "--name", "canary-draft", "--log-file", log])
        XCTAssertEqual(fork.code, 0, fork.stderr)
        let editor = home.appendingPathComponent("editor.sh")
        try "#!/bin/sh\ncp \"$1\" \"\(home.path)/seen-temp-file\"\nsed -i 's/^firstMessage: .*/firstMessage: canary edit/' \"$1\"\n"
            .write(to: editor, atomically: true, encoding: .utf8)
        chmod(editor.path, 0o700)
        let edit = try cli(["drafts", "edit", "🚀 Launch Line", "canary-draft", "--log-file", log], extraEnv: ["EDITOR": editor.path, "VISUAL": ""])
        XCTAssertEqual(edit.code, 0, edit.stderr)
        let publish = try cli(["publish", "🚀 Launch Line", "canary-draft", "--label", "canary", "--wait", "--activate", "--json", "--log-file", log])
        XCTAssertEqual(publish.code, 0, publish.stderr)
        // Errors: a wrong key through the flag, an unreachable server, a refused plain-http host.
        let wrong = try cli(["agents", "list", "--api-key", canary + "x", "--base-url", baseURL, "--log-file", log])
        XCTAssertEqual(wrong.code, 1)
        XCTAssertTrue(wrong.stderr.contains("401"), wrong.stderr)
        try cli(["agents", "list", "--api-key", canary, "--base-url", "http://127.0.0.1:9/atoms/v1", "--request-timeout", "2", "--log-file", log])
        try cli(["agents", "list", "--api-key", canary, "--base-url", "http://example.invalid/atoms/v1"])
        // An edit whose save fails: the server is stopped while the editor runs → recovery file.
        _ = try cli(["drafts", "fork", "🚀 Launch Line", "--name", "canary-lost"])
        let killer = home.appendingPathComponent("killer.sh")
        try "#!/bin/sh\nsed -i 's/^firstMessage: .*/firstMessage: kept/' \"$1\"\nkill -9 \(sim.pid)\nsleep 0.2\n".write(to: killer, atomically: true, encoding: .utf8)
        chmod(killer.path, 0o700)
        let lost = try cli(["drafts", "edit", "🚀 Launch Line", "canary-lost", "--log-file", log], extraEnv: ["EDITOR": killer.path, "VISUAL": ""])
        XCTAssertEqual(lost.code, 1, lost.stderr)
        XCTAssertTrue(lost.stderr.contains("your edit is in"), lost.stderr)

        // The TUI on the same account (a new simulator on the same key), its screens captured through tmux.
        sim.terminate()
        sim = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--scan-seconds", "0.3", "--seed-demo", "--key", canary])
        baseURL = ""
        for _ in 0..<1500 where baseURL.isEmpty {
            if let line = sim.stdout.split(separator: "\n").first(where: { $0.contains("listening on") }) { baseURL = String(line.split(separator: " ").last!) }
            usleep(20_000)
        }
        _ = try writeConfig(mode: 0o600)
        var screens: [String] = []
        let t = try TmuxSession(width: 120, height: 32, command: "\(ChildProcess.binary) --demo-api v1 --log-file \(log); echo EXIT:$?; sleep 60",
                                environment: env.merging(["SMALLEST_API_KEY": ""]) { $1 })
        defer { t.kill() }
        screens.append(try t.waitFor("the agents") { $0.contains("Launch Line") })
        for keys in [["j"], ["Tab"], ["Enter"], ["?"], ["Escape"], ["Tab"], ["q"]] {
            keys.forEach { t.send($0) }
            usleep(150_000)
            screens.append(t.capture())
        }
        screens.append(try t.waitFor(text: "EXIT:"))

        // Nowhere: outputs, screens, the log, the state directory (recovery files, history), temp files.
        var written: [(String, String)] = outputs.enumerated().map { ("output \($0.offset)", $0.element) }
        written += screens.enumerated().map { ("screen \($0.offset)", $0.element) }
        for dir in [home.appendingPathComponent("state"), home.appendingPathComponent("data"), tmp!] {
            for f in Self.files(dir) { written.append((f.path, (try? String(contentsOf: f, encoding: .utf8)) ?? "")) }
        }
        written.append(("log", (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
        written.append(("editor's view of the temp file", (try? String(contentsOfFile: home.appendingPathComponent("seen-temp-file").path, encoding: .utf8)) ?? ""))
        XCTAssertTrue(written.contains { $0.0.contains("/recovery/") }, "the failed edit left a recovery file to search")
        XCTAssertFalse((written.first { $0.0 == "log" }?.1 ?? "").isEmpty, "the debug log was written")
        for (what, text) in written {
            XCTAssertFalse(text.contains(canary), "the canary key leaked into \(what)")
            XCTAssertFalse(text.contains(String(canary.suffix(12))), "part of the canary key leaked into \(what)")
        }
        // Files the tool writes are private.
        for f in Self.files(home.appendingPathComponent("state")) + [URL(fileURLWithPath: log)] {
            var st = stat()
            XCTAssertEqual(stat(f.path, &st), 0)
            XCTAssertEqual(st.st_mode & 0o077, 0, "\(f.path) is mode \(String(st.st_mode & 0o777, radix: 8))")
        }
        XCTAssertEqual(Self.files(tmp).count, 0, "temp files are removed: \(Self.files(tmp))")
        _ = config
    }

    func testConfigHoldingAKeyMustBePrivate() throws {
        for mode: mode_t in [0o644, 0o640, 0o604] {
            let file = try writeConfig(mode: mode)
            let r = try cli(["agents", "list"])
            XCTAssertEqual(r.code, 2, "mode \(String(mode, radix: 8)): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("readable by others") && r.stderr.contains("chmod 600"), r.stderr)
            XCTAssertFalse(r.stderr.contains(canary))
            _ = file
        }
        _ = try writeConfig(mode: 0o600)
        XCTAssertEqual(try cli(["agents", "list"]).code, 0)
        // The tool's own writer creates 0600 files.
        let out = home.appendingPathComponent("written/config.yaml")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ConfigFile(defaultProfile: "p", profiles: ["p": Profile(apiKey: canary)]).save(to: out)
        var st = stat()
        XCTAssertEqual(stat(out.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    func testPlainHTTPToANonLoopbackHostNeedsInsecure() throws {
        let refused = try cli(["agents", "list", "--api-key", canary, "--base-url", "http://api.example.invalid/atoms/v1"])
        XCTAssertEqual(refused.code, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.lowercased().contains("refusing to send the api key over plain http") && refused.stderr.contains("--insecure"), refused.stderr)
        // With --insecure it is allowed (it then fails to resolve: a network error, not a refusal).
        let allowed = try cli(["agents", "list", "--api-key", canary, "--insecure", "--request-timeout", "3",
                               "--base-url", "http://api.example.invalid/atoms/v1"])
        XCTAssertNotEqual(allowed.code, 2, allowed.stderr)
        XCTAssertFalse(allowed.stderr.lowercased().contains("refusing"), allowed.stderr)
        // Loopback is fine without it.
        XCTAssertEqual(try cli(["agents", "list", "--api-key", canary, "--base-url", baseURL]).code, 0)
        for o in outputs { XCTAssertFalse(o.contains(canary)) }
    }

    /// Certificate checks are never turned off: no trust override anywhere in the sources.
    func testNoCertificateCheckBypassInTheSources() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let forbidden = ["serverTrust", "SecTrust", "allowsInvalidCertificates", "CURLOPT_SSL_VERIFY", "didReceive challenge",
                         "performDefaultHandling", "useCredential", "NSAllowsArbitraryLoads"]
        var checked = 0
        for f in Self.files(sources) where f.pathExtension == "swift" {
            let text = try String(contentsOf: f, encoding: .utf8)
            checked += 1
            for word in forbidden { XCTAssertFalse(text.contains(word), "\(f.lastPathComponent) mentions \(word)") }
        }
        XCTAssertGreaterThan(checked, 50)
    }
}
