import XCTest
import AtomsModels
@testable import TUICore

/// Golden screens of the publish review dialog and the security-check panel.
final class PublishRenderTests: XCTestCase {
    typealias F = Fixtures
    static let sizes = [Size(width: 120, height: 32), Size(width: 80, height: 24)]

    func review(_ size: Size) -> AppState {
        var s = F.loadedState(size: size)
        F.press([.tab, .tab, .char("p")], &s)
        _ = update(&s, .diffLoaded(agentId: F.agentId(0), from: .version(F.versionId(0, 4)), to: .draft(F.draftId(0, 1)), diff: F.diff))
        F.press([.tab] + F.typing("Warmer greeting"), &s)
        return s
    }

    func checking(_ size: Size, elapsed: Double) -> AppState {
        var s = review(size)
        F.press([.enter], &s)
        var v = AgentVersion(id: F.versionId(0, 6), agent: F.agentId(0), status: .published, versionNumber: 6, label: "fix greeting")
        v.securityCheck = SecurityCheck(status: .pending)
        _ = update(&s, .published(agentId: F.agentId(0), draftId: F.draftId(0, 1), version: v))
        _ = update(&s, .checkProgress(watchId: 1, CheckUpdate(phase: .checking, elapsed: min(elapsed, 2.4), expected: 6, status: .pending, requests: 2)))
        _ = update(&s, .tick(F.now.addingTimeInterval(elapsed)))
        return s
    }

    func testReviewDialog() {
        for size in Self.sizes {
            GoldenFile.assert(GoldenFile.text(of: render(review(size), size)), named: "publish-review-\(size.width)x\(size.height)")
        }
    }

    func testProgressPanel() {
        for size in Self.sizes {
            GoldenFile.assert(GoldenFile.text(of: render(checking(size, elapsed: 2.5), size)), named: "publish-progress-\(size.width)x\(size.height)")
        }
        let late = render(checking(Size(width: 120, height: 32), elapsed: 9), Size(width: 120, height: 32)).text
        XCTAssertTrue(late.contains("Taking longer than usual"), late)
        XCTAssertFalse(late.contains("█"), "past the estimate the bar is indeterminate")
    }

    func testVersionMetaForm() {
        var s = F.loadedState()
        F.press([.tab, .char("L")], &s)
        GoldenFile.assert(GoldenFile.text(of: render(s, s.size)), named: "version-meta-120x32")
    }
}

/// The publish review at the smallest size still shows its label field and its keys.
final class SmallPublishTests: XCTestCase {
    func testAt40x12TheReviewShowsItsFieldAndKeys() {
        let size = Size(width: 40, height: 12)
        var s = Fixtures.loadedState(size: size)
        Fixtures.press([.tab, .tab, .char("p")], &s)
        _ = update(&s, .diffLoaded(agentId: Fixtures.agentId(0), from: .version(Fixtures.versionId(0, 4)), to: .draft(Fixtures.draftId(0, 1)), diff: Fixtures.diff))
        Fixtures.press([.tab] + Fixtures.typing("Warmer greeting"), &s)
        let screen = render(s, size)
        let text = screen.text
        XCTAssertTrue(text.contains("Label"), text)
        XCTAssertTrue(text.contains("fix greeting  ") || text.contains("│ fix greeting"), "the label field: \(text)")
        XCTAssertTrue(text.contains("Enter publish · Tab · Esc cancel"), "the keys: \(text)")
        XCTAssertTrue(screen.styleText.contains("input"), screen.styleText)
        GoldenFile.assert(GoldenFile.text(of: screen), named: "publish-review-40x12")
    }
}
