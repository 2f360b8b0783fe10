import XCTest
import AtomsModels
@testable import TUICore

/// Release health in the TUI: loaded after the versions (an effect, never before the first frame),
/// compact columns, the Health section, the status-line warning naming the roll-back key.
final class HealthTests: XCTestCase {
    typealias F = Fixtures

    static func health(_ id: String, _ n: Int, calls: Int, failures: Int, p50: Double, p90: Double, reasons: [ReasonCount]) -> VersionHealth {
        VersionHealth(versionId: id, versionNumber: n, calls: calls, failures: failures, failureRate: Double(failures) / Double(calls),
                      failureInterval: Interval(low: Double(failures) / Double(calls) * 0.75, high: Double(failures) / Double(calls) * 1.3),
                      latencyCalls: calls, latencyP50: p50, latencyP90: p90, meanCost: 0.1725,
                      topDisconnectionReasons: [ReasonCount(reason: "user_hangup", count: calls / 2), ReasonCount(reason: "error", count: failures)],
                      topFailureReasons: reasons,
                      dispositions: [DispositionShares(metric: "resolved", outcomes: [ReasonCount(reason: "yes", count: calls * 7 / 10),
                                                                                      ReasonCount(reason: "no", count: calls - calls * 7 / 10)], total: calls)],
                      hourlyCalls: (0..<48).map { $0 < 20 ? 0 : 8 + $0 % 5 }, hourlyFailures: (0..<48).map { $0 < 20 ? 0 : ($0 % 3 == 0 ? 3 : 1) })
    }

    /// The active version (`active`, number `n`) significantly worse than `previous` (`n - 1`).
    static func report(agent: String, active: String, previous: String, n: Int, worse: Bool = true) -> HealthReport {
        let a = health(active, n, calls: 312, failures: 57, p50: 1275, p90: 1900,
                       reasons: [ReasonCount(reason: "llm_timeout", count: 24), ReasonCount(reason: "tts_error", count: 19), ReasonCount(reason: "sip_error", count: 9)])
        let b = health(previous, n - 1, calls: 880, failures: 36, p50: 750, p90: 860, reasons: [ReasonCount(reason: "llm_timeout", count: 20)])
        return HealthReport(
            agentId: agent, since: F.iso(minutesAgo: 48 * 60), until: F.iso(minutesAgo: 0), versions: [a, b], unattributed: nil, testCallsExcluded: 4,
            comparisons: [active: HealthComparison(versionId: active, previousVersionId: previous,
                                                   verdict: worse ? .worse(["failure rate", "turn latency"]) : .notSignificant,
                                                   failureTest: SignificanceTest(z: 9.1, p: 1e-12, worse: worse)),
                          previous: HealthComparison(versionId: previous, previousVersionId: nil, verdict: .noPrevious)],
            activeVersionId: active)
    }

    static func v1State(size: Size, worse: Bool = true) -> AppState {
        var s = F.loadedState(size: size)
        _ = update(&s, .healthLoaded(agentId: F.agentId(0), report: report(agent: F.agentId(0), active: F.versionId(0, 4), previous: F.versionId(0, 3), n: 4, worse: worse)))
        _ = update(&s, .configLoaded(agentId: F.agentId(0), source: .version(F.versionId(0, 4)), config: F.config))
        F.press([.tab, .down], &s)  // the active v4
        return s
    }

    static func v2State(size: Size) -> AppState {
        var s = BranchFixtures.loadedState(size: size)
        _ = update(&s, .healthLoaded(agentId: F.agentId(0), report: report(agent: F.agentId(0), active: BranchFixtures.revisionId(0, 3),
                                                                            previous: BranchFixtures.revisionId(0, 2), n: 3)))
        _ = update(&s, .configLoaded(agentId: F.agentId(0), source: .version(BranchFixtures.revisionId(0, 3)), config: F.config))
        F.press([.tab], &s)  // r3, the head and live
        return s
    }

    func testHealthLoadsAfterTheVersionsNotBefore() {
        var s = AppState(isDemo: true, apiGeneration: .v1, accountLabel: "demo@atoms", now: F.now, size: Size(width: 120, height: 32))
        _ = update(&s, .resized(width: 120, height: 32))
        XCTAssertFalse(update(&s, .started).contains { if case .loadHealth = $0 { return true }; return false }, "the first frame waits for nothing")
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents())))
        XCTAssertEqual(update(&s, .versionsLoaded(agentId: F.agentId(0), skip: 0, list: VersionList(versions: F.versions(), total: 5))), [])
        XCTAssertTrue(s.wantsFrequentTicks, "the health read waits for the agent to stay selected")
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(0.1))), [])
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(AppState.healthDebounce + 0.01))), [.loadHealth(agentId: F.agentId(0))])
        XCTAssertEqual(s.health[F.agentId(0)]?.loading, true)
        // Walking on before it is due reads nothing for the agent passed over.
        _ = update(&s, .versionsLoaded(agentId: F.agentId(0), skip: 0, list: VersionList(versions: F.versions(), total: 5)))
        F.press([.down], &s)
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(2))).filter { if case .loadHealth = $0 { return true }; return false }, [],
                       "agent 0 is no longer selected")
        XCTAssertEqual(update(&s, .versionsLoaded(agentId: F.agentId(0), skip: 5, list: VersionList(versions: [], total: 5))), [], "paging does not reload health")
        XCTAssertEqual(Effect.loadHealth(agentId: "a").key, EffectKey.health)
        XCTAssertFalse(Effect.loadHealth(agentId: "a").isWrite, "read-only mode still shows health")
    }

    func testV2LoadsHealthForTheLiveBranchOnly() {
        var s = BranchFixtures.loadedState()
        XCTAssertEqual(s.health[F.agentId(0)]?.loading, true)
        XCTAssertEqual(update(&s, .revisionsLoaded(agentId: F.agentId(0), branchId: BranchFixtures.mainId, skip: 0, list: BranchFixtures.revisions())), [])
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(1))), [.loadHealth(agentId: F.agentId(0), generation: .v2)])
    }

    func testFailureIsQuietAndShownInTheDetail() {
        var s = F.loadedState()
        _ = update(&s, .failed(.loadHealth(agentId: F.agentId(0)), EffectFailure(kind: .server, status: 503, reason: "Service Unavailable")))
        XCTAssertNil(s.status, "a health failure does not take the status line")
        XCTAssertEqual(s.health[F.agentId(0)]?.loading, false)
        _ = update(&s, .configLoaded(agentId: F.agentId(0), source: .version(F.versionId(0, 5)), config: F.config))
        F.press([.tab], &s)
        XCTAssertTrue(s.detailContent().lines.contains { $0.text.hasPrefix("Health: could not read the call logs: ") }, "\(s.detailContent().lines.map(\.text))")
    }

    func testStatusLineNamesTheRollBackKeyOnlyWhenSignificantlyWorse() {
        let s = Self.v1State(size: Size(width: 120, height: 32))
        let screen = render(s, s.size)
        let status = screen.rowText(30)
        XCTAssertTrue(status.contains("│ ⚠ roll back: a on v3, then y — v4 is significantly worse than v3 ("), status)
        XCTAssertTrue(s.healthAlert?.hasSuffix("(failure rate, turn latency)") == true, s.healthAlert ?? "")
        let calm = Self.v1State(size: Size(width: 120, height: 32), worse: false)
        XCTAssertFalse(render(calm, calm.size).rowText(30).contains("significantly worse"))
        // The roll back itself is the usual one: a on v3 asks for y.
        var r = s
        let effects = F.press([.down, .char("a")], &r)
        XCTAssertFalse(effects.contains { if case .activate = $0 { return true }; return false }, "a alone never activates")
        guard case .confirm? = r.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(F.press([.char("y")], &r).filter { if case .activate = $0 { return true }; return false },
                       [.activate(agentId: F.agentId(0), versionId: F.versionId(0, 3))])
        // Once v3 is live the warning goes, before health is read again.
        _ = update(&r, .activated(agentId: F.agentId(0), versionId: F.versionId(0, 3), verified: true))
        XCTAssertNil(r.healthAlert)
    }

    func testColumnsAndHealthSection() {
        let s = Self.v1State(size: Size(width: 120, height: 32))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Calls  Fail   p50"), text)
        XCTAssertTrue(text.contains("  312 18.3%  1.3s"), text)
        XCTAssertTrue(text.contains("  880  4.1% 750ms"), text)
        let lines = s.detailContent().lines.map(\.text)
        XCTAssertTrue(lines.contains("v4     312 calls  fail 18.3% [13.7–23.8]  p50 1275 ms p90 1900 ms  $0.17/call"), "\(lines)")
        XCTAssertTrue(lines.contains("vs v3: significantly worse: failure rate, turn latency"), "\(lines)")
        XCTAssertTrue(lines.contains("failure reasons: llm_timeout 24 · tts_error 19 · sip_error 9"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("calls/h    ") && $0.contains("█") }, "\(lines)")
    }

    func testGoldenScreens() {
        for size in [Size(width: 120, height: 32), Size(width: 80, height: 24)] {
            GoldenFile.assert(GoldenFile.text(of: render(Self.v1State(size: size), size)), named: "health-\(size.width)x\(size.height)")
            GoldenFile.assert(GoldenFile.text(of: render(Self.v2State(size: size), size)), named: "v2-health-\(size.width)x\(size.height)")
        }
    }

    func testSparkline() {
        XCTAssertEqual(HealthFormat.sparkline([0, 1, 2, 4, 8], width: 10), " ▂▃▅█")
        XCTAssertEqual(HealthFormat.sparkline([1, 1, 1, 1], width: 2), "██", "summed in pairs to fit")
        XCTAssertEqual(HealthFormat.sparkline([0, 1], width: 5, scaleTo: [4, 8]), " ▂", "failures on the scale of calls")
        XCTAssertEqual(HealthFormat.sparkline([], width: 5), "")
    }
}
