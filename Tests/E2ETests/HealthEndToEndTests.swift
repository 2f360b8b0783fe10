import Foundation
import TestSupport
import XCTest

/// Release health on the v1 demo in a real terminal: the demo's "Clínica Marta Scheduler" has a newest
/// active version (v8) that fails and answers measurably worse than v7. The status line flags it and
/// names the roll back; `a` on v7 + `y` rolls it back.
final class HealthEndToEndTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-health-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    func testWorseActiveVersionIsFlaggedAndRolledBackWithAThenY() throws {
        let cmd = "\(ChildProcess.binary) --demo-api v1; echo EXIT:$?; sleep 60"
        let t = try TmuxSession(width: 120, height: 32, command: cmd, environment: [
            "XDG_DATA_HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "SMALLEST_API_KEY": "",
        ])
        defer { t.kill() }
        try t.waitFor("the seeded agents") { $0.contains("Clínica Marta") }
        t.send("/")
        t.type("Clínica")
        t.send("Enter")
        let flagged = try t.waitFor("the health columns and the warning") { $0.contains("roll back: a on v7, then y") && $0.contains("Calls") }
        XCTAssertTrue(flagged.contains("v8 is significantly worse than v7"), flagged)
        let v8 = try XCTUnwrap(flagged.split(separator: "\n").first { $0.contains("●    v8") }, flagged)
        XCTAssertNotNil(v8.range(of: #"\d+ +\d+\.\d%"#, options: .regularExpression), "calls and fail % on v8's row: \(v8)")
        t.send("Tab")
        t.send("j")
        try t.waitFor("v7's Health section") { $0.contains("Config of v7") && $0.contains("Health · calls since") }
        t.send("a")
        try t.waitFor("the roll-back confirmation") { $0.contains("ROLLS BACK from v8 to the older v7") && $0.contains("[y/N]") }
        t.send("y")
        let done = try t.waitFor("v7 live") { $0.contains("is live (verified)") && $0.contains("●    v7") }
        XCTAssertTrue(done.contains("Clínica Marta Scheduler"), done)
        // The flag goes once the confirmation has gone: v7 is not worse than anything.
        let calm = try t.waitFor("the warning gone", timeout: 20) { !$0.contains("is live (verified)") }
        XCTAssertFalse(calm.contains("roll back: a on"), calm)
        XCTAssertFalse(calm.contains("is significantly worse than"), calm)
        t.send("q")
        try t.waitFor(text: "EXIT:0")
    }
}
