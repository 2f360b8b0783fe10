import Foundation
import XCTest
@testable import AtomsModels

/// The version line names the spec copy in `spec/` exactly, and stays one printable ASCII line
/// (the release recipe rewrites `version`; the TUI's help overlay shows `line`).
final class ToolVersionTests: XCTestCase {
    private let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func read(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    func testLineNamesVersionGenerationsAndSpec() {
        let line = AtomsToolVersion.line
        XCTAssertTrue(line.hasPrefix("atoms-tui \(AtomsToolVersion.version) "), line)
        XCTAssertTrue(line.contains("v1 drafts+versions"), line)
        XCTAssertTrue(line.contains("v2 branches+revisions"), line)
        XCTAssertTrue(line.contains("spec \(AtomsToolVersion.specVersion) of \(AtomsToolVersion.specDate)"), line)
        XCTAssertTrue(line.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "not one printable ASCII line: \(line)")
        XCTAssertFalse(AtomsToolVersion.version.isEmpty)
        XCTAssertFalse(AtomsToolVersion.version.contains(" "))
    }

    func testSpecFieldsMatchTheSpecCopy() throws {
        let spec = try read("spec/atoms-openapi.yaml")
        // info.version: the first `  version:` line after `info:`.
        let lines = spec.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let info = try XCTUnwrap(lines.firstIndex(of: "info:"), "spec has no info: block")
        let versionLine = try XCTUnwrap(lines[(info + 1)...].prefix { $0.hasPrefix(" ") || $0.isEmpty }
            .first { $0.hasPrefix("  version:") }, "spec info: has no version")
        let specVersion = versionLine.dropFirst("  version:".count).trimmingCharacters(in: .whitespaces)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        XCTAssertEqual(specVersion, AtomsToolVersion.specVersion)

        let readme = try read("spec/README.md")
        XCTAssertTrue(readme.contains("`\(AtomsToolVersion.specCommit)`, \(AtomsToolVersion.specDate)"),
                      "spec/README.md does not name commit \(AtomsToolVersion.specCommit) of \(AtomsToolVersion.specDate)")
    }

    /// scripts/release.sh rewrites exactly one `public static let version = "…"` line; keep it findable.
    func testReleaseRecipeCanStampTheVersion() throws {
        let source = try read("Sources/AtomsModels/ToolVersion.swift")
        let stampable = source.split(separator: "\n").filter { $0.hasPrefix("    public static let version = \"") }
        XCTAssertEqual(stampable.count, 1)
        let script = try read("scripts/release.sh")
        XCTAssertTrue(script.contains("Sources/AtomsModels/ToolVersion.swift"))
    }
}
