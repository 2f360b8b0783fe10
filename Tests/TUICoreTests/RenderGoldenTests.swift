import XCTest
import AtomsModels
@testable import TUICore

final class RenderGoldenTests: XCTestCase {
    typealias F = Fixtures
    static let sizes = [Size(width: 120, height: 32), Size(width: 80, height: 24), Size(width: 40, height: 12)]

    /// The named scenarios, as functions of the terminal size.
    static let scenarios: [(String, @Sendable (Size) -> AppState)] = [
        ("loading", { size in
            var s = AppState(isDemo: true, apiGeneration: .v1, accountLabel: "demo@atoms", now: F.now, size: size)
            _ = update(&s, .started)
            return s
        }),
        ("panes", { size in
            var s = F.loadedState(size: size)
            _ = update(&s, .configLoaded(agentId: F.agentId(0), source: .version(F.versionId(0, 5)), config: F.config))
            F.press([.tab], &s)
            return s
        }),
        ("filter", { size in
            var s = F.loadedState(size: size)
            F.press([.char("/"), .char("b")], &s)
            _ = update(&s, .agentsLoaded(page: 1, search: "b", list: F.agentList([Agent(id: F.agentId(900), name: "Bob's bakery line")])))
            return s
        }),
        ("help", { size in
            var s = F.loadedState(size: size, readOnly: true)
            F.press([.char("?")], &s)
            return s
        }),
        ("diff", { size in
            var s = F.loadedState(size: size)
            F.press([.tab, .char("d")], &s)
            _ = update(&s, .diffLoaded(agentId: F.agentId(0), from: .version(F.versionId(0, 4)), to: .version(F.versionId(0, 5)), diff: F.diff))
            if size.height < 16 { F.press([.enter], &s) }  // small terminals show the detail area on Enter
            return s
        }),
        ("confirm", { size in
            var s = F.loadedState(size: size)
            F.press([.tab, .down, .down, .char("a")], &s)
            return s
        }),
        ("error", { size in
            var s = F.loadedState(size: size)
            F.press([.down], &s)
            _ = update(&s, .failed(.loadVersions(agentId: s.selectedAgentId ?? "", skip: 0, limit: 50),
                                   EffectFailure(kind: .server, status: 503, reason: "Service Unavailable (retried 3×)")))
            return s
        }),
        ("input", { size in
            var s = F.loadedState(size: size)
            F.press([.tab, .tab, .char("n")] + F.typing("hotfix 日本"), &s)
            return s
        }),
    ]

    /// v2 scenarios at 120×32 and 80×24.
    static let v2Scenarios: [(String, @Sendable (Size) -> AppState)] = [
        ("v2-panes", { size in
            var s = BranchFixtures.loadedState(size: size)
            _ = update(&s, .configLoaded(agentId: F.agentId(0), source: .version(BranchFixtures.revisionId(0, 3)), config: F.config))
            F.press([.tab], &s)
            return s
        }),
        ("v2-drafts", { size in
            var s = BranchFixtures.loadedState(size: size)
            F.press([.tab, .tab], &s)
            return s
        }),
        ("v2-publish-confirm", { size in
            var s = BranchFixtures.loadedState(size: size)
            F.pressReviewed([.tab, .tab, .char("p")] + F.typing("greet") + [.enter], &s)
            return s
        }),
        ("v2-progress", { size in
            var s = BranchFixtures.loadedState(size: size)
            F.pressReviewed([.tab, .tab, .char("p")] + F.typing("greet") + [.enter, .char("y")], &s)
            let id = s.publish?.watchId ?? 0
            _ = update(&s, .branchPublished(watchId: id, agentId: F.agentId(0), branchId: BranchFixtures.mainId, state: "scanning",
                                            revision: BranchFixtures.scanning(), restored: false))
            _ = update(&s, .checkProgress(watchId: id, CheckUpdate(phase: .checking, elapsed: 2.5, expected: 6, status: .queued, requests: 2)))
            return s
        }),
        ("v2-make-live", { size in
            var s = BranchFixtures.loadedState(size: size)
            F.pressReviewed([.tab, .tab, .down, .char("p")] + F.typing("try") + [.enter], &s)
            let id = s.publish?.watchId ?? 0
            var row = BranchFixtures.scanning(branch: 1, n: 2, label: "try")
            _ = update(&s, .branchPublished(watchId: id, agentId: F.agentId(0), branchId: BranchFixtures.featureId, state: "scanning", revision: row, restored: false))
            row.status = .published
            row.revisionNumber = 2
            _ = update(&s, .checkProgress(watchId: id, CheckUpdate(phase: .passed, elapsed: 5.1, expected: 6, status: .passed, version: row)))
            return s
        }),
        ("v2-restore", { size in
            var s = BranchFixtures.loadedState(size: size)
            F.press([.tab, .down, .down, .char("a")], &s)
            return s
        }),
    ]

    func testV2GoldenScreens() {
        for (name, make) in Self.v2Scenarios {
            for size in Self.sizes.prefix(2) {
                let screen = render(make(size), size)
                GoldenFile.assert(GoldenFile.text(of: screen), named: "\(name)-\(size.width)x\(size.height)")
            }
        }
    }

    func testGoldenScreens() {
        for (name, make) in Self.scenarios {
            for size in Self.sizes {
                let screen = render(make(size), size)
                GoldenFile.assert(GoldenFile.text(of: screen), named: "\(name)-\(size.width)x\(size.height)")
            }
        }
    }

    func testTooSmall() {
        for size in [Size(width: 39, height: 12), Size(width: 30, height: 8), Size(width: 20, height: 6)] {
            let screen = render(F.loadedState(size: size), size)
            XCTAssertTrue(screen.text.contains("terminal too small"), screen.text)
            XCTAssertTrue(screen.text.replacingOccurrences(of: "\n", with: " ").contains("(need 40×10)"), screen.text)
            GoldenFile.assert(GoldenFile.text(of: screen), named: "too-small-\(size.width)x\(size.height)")
        }
        XCTAssertFalse(render(F.loadedState(size: Size(width: 40, height: 10)), Size(width: 40, height: 10)).text.contains("too small"))
    }

    func testStatusLineSaysDemoAndReadOnly() {
        let s = F.loadedState(isDemo: true, readOnly: true)
        let screen = render(s, s.size)
        let status = screen.rowText(30)
        XCTAssertTrue(status.hasPrefix(" DEMO  demo@atoms · API v1"), status)
        XCTAssertTrue(status.hasSuffix("READ-ONLY"), status)
        XCTAssertEqual(screen[0, 30].style, .demo)
        let live = F.loadedState(isDemo: false)
        XCTAssertFalse(render(live, live.size).rowText(30).contains("DEMO"))
    }

    func testFirstFrameIsTheLoadingStateBeforeAnyAnswer() {
        var s = AppState(now: F.now, size: Size(width: 80, height: 24))
        _ = update(&s, .started)
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Loading agents…"), text)
        XCTAssertTrue(text.contains("loading…"), text)
    }

    func testLegendMarksDisabledKeysAndHelpExplainsThem() {
        var s = F.loadedState(readOnly: true)
        let screen = render(s, s.size)
        let legend = screen.rowText(31)
        XCTAssertTrue(legend.hasPrefix("q quit  ? help"), legend)
        let nAt = legend.range(of: "n fork").map { legend.distance(from: legend.startIndex, to: $0.lowerBound) }!
        XCTAssertEqual(screen[nAt, 31].style, .legendDisabled)
        XCTAssertEqual(screen[0, 31].style, .legendKey)
        F.press([.char("?"), .pageDown], &s)
        XCTAssertTrue(s.helpLines().contains { $0.keys == "n" && $0.disabled?.hasPrefix("read-only mode") == true })
        let help = render(s, s.size).text
        XCTAssertTrue(help.contains("Fork a new draft from the selected version or draft —"), help)
    }
}
