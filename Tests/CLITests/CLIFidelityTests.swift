import Foundation
import TestSupport
import XCTest

/// Issue 13 through the built binary: `sim serve` prints both URL forms and validates its new knobs;
/// the CLI meets the plan's agent limit with the server's words, what to do and the x-request-id, and
/// refuses to edit a Playbooks agent.
final class CLIFidelityTests: XCTestCase {
    func serve(_ args: [String]) throws -> (ChildProcess, base: String, host: String) {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--scan-seconds", "0.2", "--key", "k"] + args)
        var base = "", host = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && (base.isEmpty || host.isEmpty) {
            let lines = server.stdout.split(separator: "\n")
            if let l = lines.first(where: { $0.contains("listening on") }) { base = String(l.split(separator: " ").last!) }
            if let l = lines.first(where: { $0.contains("host (for tools") }) { host = String(l.split(separator: " ").last!) }
            usleep(20_000)
        }
        XCTAssertFalse(base.isEmpty, server.stderr)
        return (server, base, host)
    }

    func cli(_ args: [String], _ base: String) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", base], environment: ["SMALLEST_API_KEY": "k"])
        return p.finish(timeout: 60)
    }

    func testServePrintsBothURLFormsAndValidatesTheKnobs() throws {
        let (server, base, host) = try serve(["--read-lag", "1", "--list-lag", "1", "--rate-limit-shape", "docs"])
        defer { server.terminate() }
        XCTAssertTrue(base.hasSuffix("/atoms/v1"), base)
        XCTAssertEqual(host + "/atoms/v1", base)
        for bad in [["--plan", "gold"], ["--rate-limit-shape", "xml"], ["--read-lag", "-1"], ["--list-lag", "x"]] {
            let p = try ChildProcess.spawn(["sim", "serve", "--port", "0"] + bad)
            let code = p.wait(timeout: 30)
            XCTAssertNotEqual(code, 0, "\(bad) must be refused")
            XCTAssertFalse(p.stderr.isEmpty, "\(bad)")
        }
    }

    func testPlanLimitErrorSaysWhatToDoAndQuotesTheRequestId() throws {
        let (server, base, _) = try serve(["--plan", "free"])
        defer { server.terminate() }
        for i in 1...3 { XCTAssertEqual(try cli(["agents", "create", "Agent \(i)"], base).code, 0) }
        let fourth = try cli(["agents", "create", "Agent 4"], base)
        XCTAssertNotEqual(fourth.code, 0)
        XCTAssertTrue(fourth.stderr.contains("upgrade your plan"), fourth.stderr)
        XCTAssertTrue(fourth.stderr.contains("archive agents you no longer need"), fourth.stderr)
        XCTAssertTrue(fourth.stderr.contains("x-request-id req-"), fourth.stderr)
    }

    func testPlaybooksAgentIsListedShownAndNotEdited() throws {
        let (server, base, _) = try serve(["--seed-demo"])
        defer { server.terminate() }
        let list = try cli(["agents", "list", "--json"], base)
        XCTAssertEqual(list.code, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("Playbooks Desk"), list.stdout)
        let name = "Orbit Travel — Playbooks Desk"
        let show = try cli(["agents", "get", name, "--json"], base)
        XCTAssertEqual(show.code, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("multi_agents"), show.stdout)
        let fork = try cli(["drafts", "fork", name, "--name", "pb"], base)
        XCTAssertEqual(fork.code, 0, fork.stderr)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pb-\(UUID().uuidString.prefix(8)).yaml")
        try "firstMessage: Hi\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let patch = try cli(["drafts", "patch", name, "pb", "--file", file.path], base)
        XCTAssertNotEqual(patch.code, 0)
        XCTAssertTrue(patch.stderr.contains("multi_agents (Playbooks)"), patch.stderr)
    }
}
