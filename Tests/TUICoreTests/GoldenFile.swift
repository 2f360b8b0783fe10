import Foundation
import XCTest
@testable import TUICore

/// Golden files under Tests/TUICoreTests/Golden: compared normally, rewritten with `UPDATE_GOLDENS=1`.
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The golden text of a screen: its text, then its style runs.
    static func text(of screen: Screen, styles: Bool = true) -> String {
        var out = "size \(screen.width)×\(screen.height)\n" + screen.text + "\n"
        if styles { out += "--- styles ---\n" + screen.styleText + "\n" }
        return out
    }

    /// Compares `actual` with the golden file `name`.txt, printing a readable line diff on mismatch.
    static func assert(_ actual: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try! actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden \(name).txt — run with UPDATE_GOLDENS=1 to create it\n\(actual)", file: file, line: line)
            return
        }
        guard expected != actual else { return }
        let diff = LineDiff.diff(expected.components(separatedBy: "\n"), actual.components(separatedBy: "\n"))
        var report: [String] = []
        for (i, l) in diff.enumerated() {
            switch l {
            case .same(let s):
                // Context: keep lines next to changes.
                let near = diff[max(0, i - 2)...min(diff.count - 1, i + 2)].contains { if case .same = $0 { return false }; return true }
                if near { report.append("  " + s) }
            case .added(let s): report.append("+ " + s)
            case .removed(let s): report.append("- " + s)
            }
        }
        XCTFail("\(name).txt differs (- golden, + actual; UPDATE_GOLDENS=1 rewrites):\n" + report.joined(separator: "\n"), file: file, line: line)
    }
}
