import Foundation
import TestSupport
import XCTest

/// `atoms-tui --version` and the completion scripts (README "Install"; scripts/check-release.sh checks the
/// same on the release binary).
final class CLIVersionTests: XCTestCase {
    private func run(_ args: [String], environment: [String: String] = [:]) throws -> CLIResult {
        let p = try ChildProcess.spawn(args, environment: environment)
        return p.finish(timeout: 60)
    }

    func testVersionPrintsOneLineWithGenerationsAndSpecDate() throws {
        let r = try run(["--version"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 2, "expected one line: \(r.stdout)")
        let line = String(lines[0])
        XCTAssertTrue(line.hasPrefix("atoms-tui "), line)
        XCTAssertTrue(line.contains("(API v1 drafts+versions, v2 branches+revisions; spec "), line)
        XCTAssertNotNil(line.range(of: #" of \d{4}-\d{2}-\d{2}\)$"#, options: .regularExpression), line)
        // It never opens the TUI or needs a key, even with one in the environment.
        let withKey = try run(["--version"], environment: ["SMALLEST_API_KEY": "k", "ATOMS_BASE_URL": "http://127.0.0.1:9/atoms/v1"])
        XCTAssertEqual(withKey.code, 0, withKey.stderr)
        XCTAssertEqual(withKey.stdout, r.stdout)
    }

    func testHelpListsVersion() throws {
        let r = try run(["--help"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("--version"), r.stdout)
    }

    /// The root `--version` must not shadow a subcommand's own `--version VALUE` option.
    func testSubcommandVersionOptionStillWorks() throws {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--seed-demo", "--key", "v-key"])
        defer { server.terminate() }
        let baseURL = server.listeningURL() ?? ""
        XCTAssertFalse(baseURL.isEmpty, "simulator did not start: \(server.stderr)")
        let env = ["SMALLEST_API_KEY": "v-key"]
        let list = try run(["agents", "list", "--json", "--base-url", baseURL], environment: env)
        XCTAssertEqual(list.code, 0, list.stderr)
        let agents = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["agents"] as? [[String: Any]])
        let active = try XCTUnwrap(agents.first { ($0["activeVersionId"] as? String) != nil }, "no demo agent has an active version")
        let id = try XCTUnwrap(active["id"] as? String ?? active["_id"] as? String)
        let get = try run(["agents", "get", id, "--version", "active", "--json", "--base-url", baseURL], environment: env)
        XCTAssertEqual(get.code, 0, get.stderr)
        XCTAssertFalse(get.stdout.hasPrefix("atoms-tui "), "--version VALUE printed the tool's version: \(get.stdout)")
        XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(get.stdout.utf8)), get.stdout)
    }

    func testCompletionScripts() throws {
        let bash = try run(["--generate-completion-script", "bash"])
        XCTAssertEqual(bash.code, 0, bash.stderr)
        XCTAssertTrue(bash.stdout.contains("complete -o filenames -F"), bash.stdout)
        XCTAssertTrue(bash.stdout.contains("atoms-tui"))
        let zsh = try run(["--generate-completion-script", "zsh"])
        XCTAssertEqual(zsh.code, 0, zsh.stderr)
        XCTAssertTrue(zsh.stdout.hasPrefix("#compdef atoms-tui"), String(zsh.stdout.prefix(80)))
        let fish = try run(["--generate-completion-script", "fish"])
        XCTAssertEqual(fish.code, 0, fish.stderr)
        XCTAssertTrue(fish.stdout.contains("complete -c 'atoms-tui'") || fish.stdout.contains("complete -c atoms-tui"), String(fish.stdout.prefix(400)))
        let bad = try run(["--generate-completion-script", "tcsh"])
        XCTAssertNotEqual(bad.code, 0)
    }
}
