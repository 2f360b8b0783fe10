import XCTest
import AtomsModels
@testable import TUICore

/// QA: the TUI's three-way review cut both sides of a long prompt to the same first 60 characters.
/// `threeWayLines` cuts the values of one change with one window, so the difference shows on each side.
final class ThreeWayWindowTests: XCTestCase {
    typealias F = Fixtures
    let head = String(repeating: "You run the RSVP line for the launch party. ", count: 4)

    func review() -> ThreeWayReview {
        func change(_ path: String, _ kind: ThreeWayKind, base: JSONValue?, draft: JSONValue?, live: JSONValue?) -> ThreeWayChange {
            ThreeWayChange(steps: ThreeWayComparison.parse(path), kind: kind, base: base, draft: draft, live: live, introducedBy: [])
        }
        let changes = [
            change("firstMessage", .yours, base: .string(head + "Hello there."), draft: .string(head + "Namaste!"), live: .string(head + "Hello there.")),
            change("singlePromptConfig.prompt", .theirs, base: .string(head + "under 40 words"), draft: .string(head + "under 40 words"),
                   live: .string(head + "under 50 words")),
            change("slmModel", .conflict, base: .string(head + "electron"), draft: .string(head + "proton"), live: .string(head + "neutron")),
        ]
        return ThreeWayReview(subject: "draft", agentId: F.agentId(0),
                              base: ReviewPoint(id: F.versionId(0, 1), name: "v1", document: [:]),
                              draft: ReviewPoint(id: F.draftId(0, 1), name: "draft 'old' r1", document: [:]),
                              live: ReviewPoint(id: F.versionId(0, 2), name: "v2 (active)", document: [:]),
                              history: [HistoryRef(id: F.versionId(0, 2), name: "v2", label: nil)],
                              comparison: ThreeWayComparison(changes: changes))
    }

    func line(_ path: String) throws -> String {
        let lines = AppState.threeWayLines(review()).map(\.text)
        return try XCTUnwrap(lines.first { $0.contains(path + ":") }, "\(lines)")
    }

    func testEachSideShowsWhereTheyDiffer() throws {
        let yours = try line("firstMessage")
        XCTAssertTrue(yours.contains("Hello there.") && yours.contains("Namaste!"), yours)
        let reverted = try line("singlePromptConfig.prompt")
        XCTAssertTrue(reverted.contains("live …") && reverted.contains("under 50 words\" → …") && reverted.hasSuffix("under 40 words\""), reverted)
        let conflict = try line("slmModel")
        for word in ["neutron", "proton", "electron"] { XCTAssertTrue(conflict.contains(word), conflict) }
    }
}
