import Foundation
import TestSupport
import XCTest

/// QA: `drafts diff --three-way` cut both sides of a long prompt to the same first 120 characters, hiding
/// the very change it warned about. Both sides now show where they differ (`sim serve --seed-demo`: v2 of
/// "🚀 Launch Line" changed "under 40 words" to "under 50 words" at the end of the prompt).
final class CLIThreeWayWindowTests: XCTestCase {
    var servers: [ChildProcess] = []
    var stateHome = ""

    override func setUp() {
        stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-cli-3way-window-\(UUID().uuidString)").path
    }

    override func tearDown() {
        for s in servers { s.terminate() }
        try? FileManager.default.removeItem(atPath: stateHome)
    }

    func cli(_ args: [String], _ baseURL: String) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", baseURL],
                                       environment: ["SMALLEST_API_KEY": "k", "XDG_STATE_HOME": stateHome, "VISUAL": "", "EDITOR": "false"])
        return p.finish(timeout: 90)
    }

    func testALongPromptShowsTheDifferingWordsOnBothSides() throws {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--key", "k", "--seed-demo"])
        servers.append(server)
        let url = try XCTUnwrap(server.listeningURL(), "simulator did not start: \(server.stderr)")
        let agent = "🚀 Launch Line"
        let fork = try cli(["drafts", "fork", agent, "--from-version", "v1", "--name", "old"], url)
        XCTAssertEqual(fork.code, 0, fork.stderr)

        let diff = try cli(["drafts", "diff", agent, "old", "--three-way"], url)
        XCTAssertEqual(diff.code, 0, diff.stderr)
        let line = try XCTUnwrap(diff.stdout.components(separatedBy: "\n").first { $0.contains("singlePromptConfig.prompt:") }, diff.stdout)
        let sides = line.components(separatedBy: " → ")
        XCTAssertEqual(sides.count, 2, line)
        XCTAssertTrue(sides[0].contains("under 50 words"), "live's side shows its words: \(line)")
        XCTAssertTrue(sides[1].contains("under 40 words"), "the draft's side shows its words: \(line)")
        XCTAssertTrue(sides[0].contains("…") && sides[1].contains("…"), "text left out is marked: \(line)")

        // The publish guard's list (`reversionLines`) shows them too.
        let publish = try cli(["publish", agent, "old", "--label", "x"], url)
        XCTAssertEqual(publish.code, 2, publish.stdout + publish.stderr)
        let refusal = try XCTUnwrap(publish.stderr.components(separatedBy: "\n").first { $0.contains("singlePromptConfig.prompt:") }, publish.stderr)
        XCTAssertTrue(refusal.contains("under 50 words") && refusal.contains("under 40 words"), refusal)
    }
}
