import Foundation
import TestSupport
import XCTest

/// `versions stats` / `revisions stats` against `sim serve --seed-demo`, whose "Clínica Marta Scheduler"
/// has a newest active version that fails about four times as often and answers 70 % slower.
final class CLIStatsTests: XCTestCase {
    var cacheHome: URL!
    override func setUp() {
        cacheHome = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-stats-cache-\(UUID().uuidString)")
    }
    override func tearDown() { try? FileManager.default.removeItem(at: cacheHome) }

    private func serve(_ extra: [String] = []) throws -> (ChildProcess, String) {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--seed-demo", "--key", "stats-key"] + extra)
        let url = server.listeningURL() ?? ""
        if url.isEmpty { server.terminate() }
        XCTAssertFalse(url.isEmpty, "simulator did not start: \(server.stderr)")
        return (server, url)
    }

    private func run(_ args: [String], _ url: String) throws -> CLIResult {
        let p = try ChildProcess.spawn(args + ["--base-url", url],
                                       environment: ["SMALLEST_API_KEY": "stats-key", "XDG_CACHE_HOME": cacheHome.path])
        return p.finish(timeout: 60)
    }

    func testWorseActiveVersionExitsSixAndNamesTheRollBack() throws {
        let (server, url) = try serve()
        defer { server.terminate() }
        let r = try run(["versions", "stats", "Clínica Marta Scheduler"], url)
        XCTAssertEqual(r.code, 6, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("Release health of \"Clínica Marta Scheduler\""), r.stdout)
        let activeRow = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("v8 ●") }, r.stdout)
        XCTAssertTrue(activeRow.contains("vs v7: significantly worse: failure rate, turn latency"), String(activeRow))
        XCTAssertTrue(r.stdout.contains("failure reasons:"), r.stdout)
        XCTAssertTrue(r.stderr.contains("The active version v8 is significantly worse than v7 (failure rate, turn latency); roll back with: atoms-tui rollback \"Clínica Marta Scheduler\" v7"), r.stderr)
        // The cache: private, and a second run fetches only what is new (one request).
        let folder = cacheHome.appendingPathComponent("atoms-tui/call-logs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".calls") }
        XCTAssertEqual(files.count, 1, "one file for the agent: \(files)")
        for name in files {
            let mode = (try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.posixPermissions] as? NSNumber)?.intValue
            XCTAssertEqual(mode, 0o600)
        }
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        let json = try run(["versions", "stats", "Clínica Marta Scheduler", "--json"], url)
        XCTAssertEqual(json.code, 6, json.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual(o["activeSignificantlyWorse"] as? Bool, true)
        XCTAssertEqual(o["requests"] as? Int, 1, "warm cache: one request")
        let report = try XCTUnwrap(o["report"] as? [String: Any])
        let versions = try XCTUnwrap(report["versions"] as? [[String: Any]])
        XCTAssertEqual(versions.first?["versionNumber"] as? Int, 8)
        XCTAssertGreaterThanOrEqual(versions.first?["calls"] as? Int ?? 0, 30)
        XCTAssertNotNil((versions.first?["failureInterval"] as? [String: Any])?["low"])
    }

    func testHealthyAgentFilterAndBadInput() throws {
        let (server, url) = try serve()
        defer { server.terminate() }
        let ok = try run(["versions", "stats", "Kolkata Collections", "v5", "--since", "7d", "--no-cache"], url)
        XCTAssertEqual(ok.code, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("\nv5 ●"), ok.stdout)
        XCTAssertFalse(ok.stdout.contains("\nv4 "), "only the asked version is listed: \(ok.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cacheHome.appendingPathComponent("atoms-tui/call-logs").path), "--no-cache writes nothing")
        // The count line counts what the table counts: the test calls left out are said apart, not added in.
        let all = try run(["versions", "stats", "Kolkata Collections", "--no-cache"], url)
        let lines = all.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let said = lines.first { $0.contains(" in the window") }.flatMap { Int($0.split(separator: " ").first ?? "") }
        let table = lines.drop { !$0.hasPrefix("VERSION") }.dropFirst().prefix { !$0.isEmpty }
        let summed = table.compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst($0.contains("●") ? 2 : 1).first.flatMap { Int($0) } }.reduce(0, +)
        XCTAssertEqual(said, summed, all.stdout)

        // A cache that cannot be opened: a warning, and the figures all the same.
        try FileManager.default.createDirectory(at: cacheHome, withIntermediateDirectories: true)
        let blocker = cacheHome.appendingPathComponent("not-a-dir")
        try Data("x".utf8).write(to: blocker)
        let p = try ChildProcess.spawn(["versions", "stats", "Kolkata Collections", "--base-url", url],
                                       environment: ["SMALLEST_API_KEY": "stats-key", "XDG_CACHE_HOME": blocker.path])
        XCTAssertEqual(p.wait(timeout: 60), 0, p.stderr)
        XCTAssertTrue(p.stderr.contains("warning: the call-log cache is not usable (cannot create the call-log cache \"\(blocker.path)/atoms-tui/call-logs\": Not a directory); reading every call without it"), p.stderr)
        XCTAssertTrue(p.stdout.contains("\nv5 ●"), p.stdout)

        let badSince = try run(["versions", "stats", "Kolkata Collections", "--since", "yesterday"], url)
        XCTAssertEqual(badSince.code, 2)
        XCTAssertTrue(badSince.stderr.contains("--since takes a duration such as 24h"), badSince.stderr)
        let unknown = try run(["versions", "stats", "Kolkata Collections", "v99"], url)
        XCTAssertEqual(unknown.code, 2)
        XCTAssertTrue(unknown.stderr.contains("No version \"v99\" served calls in the window (served: v5, v4)"), unknown.stderr)
        let badCap = try run(["versions", "stats", "Kolkata Collections", "--max-calls", "0"], url)
        XCTAssertEqual(badCap.code, 2)
    }

    func testCallsPerDayIsValidated() throws {
        let bad = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--calls-per-day", "0"])
        XCTAssertEqual(bad.wait(timeout: 30), 2)
        XCTAssertTrue(bad.stderr.contains("--calls-per-day takes a number above 0 and at most 250000"), bad.stderr)
    }

    func testRevisionsStatsOnTheBranchModel() throws {
        let (server, url) = try serve(["--branch-model", "on"])
        defer { server.terminate() }
        let r = try run(["revisions", "stats", "Clínica Marta Scheduler"], url)
        XCTAssertEqual(r.code, 6, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("significantly worse: failure rate, turn latency"), r.stdout)
        XCTAssertTrue(r.stderr.contains("roll back with: atoms-tui revisions restore \"Clínica Marta Scheduler\" r7 --branch main"), r.stderr)
        // The v1 command on this account names the v2 one.
        let v1 = try run(["versions", "stats", "Kolkata Collections"], url)
        XCTAssertEqual(v1.code, 2)
        XCTAssertTrue(v1.stderr.contains("instead: atoms-tui revisions stats 'Kolkata Collections'"), v1.stderr)
    }
}
