import Foundation
import XCTest

/// Runs scripts/conformance/check.py: the built `atoms-tui sim serve`, driven through every
/// in-scope operation and error status, each answer validated against the official OpenAPI spec.
/// Fails with the checker's report when any answer drifts from the spec (beyond the known
/// deviations, each with its reason, in scripts/conformance/known-deviations.yaml).
final class SimulatorConformanceTests: XCTestCase {
    static var root: URL { SpecDocument.repositoryRoot }
    static var script: String { root.appendingPathComponent("scripts/conformance/check.py").path }
    static var requirements: String { "scripts/conformance/requirements.txt" }

    /// The built `atoms-tui` next to the test bundle (as the CLI tests use it), or `$ATOMS_TUI_BIN`.
    static var binary: String {
        if let p = ProcessInfo.processInfo.environment["ATOMS_TUI_BIN"], !p.isEmpty { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("atoms-tui").path
    }

    func testSimulatorAnswersConformToTheOfficialSpec() throws {
        guard let python = Spawn.which("python3") else {
            XCTFail("python3 is not on PATH; the spec conformance check needs it (Debian: apt-get install python3 python3-pip), "
                    + "then: python3 -m pip install -r \(Self.requirements)")
            return
        }
        let deps = try Spawn.run(python, ["-c", "import yaml, jsonschema, rfc3339_validator"], timeout: 60)
        guard deps.code == 0 else {
            XCTFail("""
                The spec conformance check needs its Python dependencies, which are not installed:
                \(deps.output.split(separator: "\n").last ?? "")
                Install them with:  python3 -m pip install -r \(Self.requirements)
                (.ci/run does this before `swift test`.)
                """)
            return
        }
        let spec = SpecDocument.defaultPath
        guard FileManager.default.fileExists(atPath: spec) else {
            XCTFail("the official OpenAPI spec is not at \(spec) (expected ../shared/reference/atoms-openapi.yaml beside the repository, or ATOMS_OPENAPI_SPEC)")
            return
        }
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            XCTFail("the simulator binary is not at \(Self.binary): build it with `swift build --product atoms-tui` (or set ATOMS_TUI_BIN)")
            return
        }
        let started = Date()
        let result = try Spawn.run(python, [Self.script, "--binary", Self.binary, "--spec", spec],
                                   environment: ["PYTHONDONTWRITEBYTECODE": "1"], timeout: 240)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.code, 0, "the simulator drifted from the official spec (check.py exit \(result.code)):\n\(result.output)")
        XCTAssertLessThan(elapsed, 120, "the conformance check must stay under two minutes")
        // The summary line proves the check ran requests at all.
        XCTAssertTrue(result.output.contains("conformance: "), result.output)
        XCTAssertFalse(result.output.contains("conformance: 0 passed"), result.output)
    }
}
