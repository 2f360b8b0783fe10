import AtomsModels
import XCTest
@testable import AtomsClient

/// The statistics against answers computed by hand (the formulas are in the comments; scipy's
/// `binomtest(...).proportion_ci("wilson")`, `numpy.quantile` and `mannwhitneyu(..., method="asymptotic")`
/// agree to the digits shown).
final class HealthStatisticsTests: XCTestCase {
    func testTimesAreWrittenLikeFoundationsISO8601FormatterWithoutIt() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var t = -2_208_988_800.0  // 1900-01-01
        for step in [0.0, 0.001, 0.999, 86_399.5, 951_782_400.25, 4_102_444_800.123, 1_000_000.0, 123_456_789.987] {
            t += step * 7.3
            let ours = CallRecord.isoTime(t), foundation = f.string(from: Date(timeIntervalSince1970: t))
            XCTAssertEqual(ours, foundation, "at \(t)")
            XCTAssertEqual(CallRecord.parseTime(ours).map { ($0 * 1000).rounded() }, (t * 1000).rounded(), "round trip at \(t)")
        }
        XCTAssertEqual(CallRecord.isoTime(1_798_740_000.5), "2026-12-31T18:00:00.500Z")
        XCTAssertEqual(CallRecord.isoTime(951_782_400), "2000-02-29T00:00:00.000Z", "a leap day")
    }

    func testWilsonIntervalKnownValues() {
        // 5/100: centre (0.05 + z²/200)/(1 + z²/100) = 0.066648, half 0.045104.
        let a = HealthStatistics.wilson(5, 100)
        XCTAssertEqual(a.low, 0.021544, accuracy: 1e-6)
        XCTAssertEqual(a.high, 0.111750, accuracy: 1e-6)
        // 0/10: the interval still has width — [0, z²/(n+z²)] = [0, 0.277533].
        let b = HealthStatistics.wilson(0, 10)
        XCTAssertEqual(b.low, 0)
        XCTAssertEqual(b.high, 0.277533, accuracy: 1e-6)
        // 12/12: [n/(n+z²), 1] = [0.757506, 1].
        let c = HealthStatistics.wilson(12, 12)
        XCTAssertEqual(c.low, 0.757506, accuracy: 1e-6)
        XCTAssertEqual(c.high, 1, accuracy: 1e-12)
        XCTAssertEqual(HealthStatistics.wilson(0, 0), Interval(low: 0, high: 0))
    }

    func testQuantilesInterpolateBetweenRanks() {
        XCTAssertEqual(HealthStatistics.quantile(sorted: [1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(HealthStatistics.quantile(sorted: [1, 2, 3, 4], 0.9)!, 3.7, accuracy: 1e-12)
        // 650 700 820 910 1500: p50 = 820, p90 = 910 + 0.6 × 590 = 1264.
        XCTAssertEqual(HealthStatistics.quantile(sorted: [650, 700, 820, 910, 1500], 0.5), 820)
        XCTAssertEqual(HealthStatistics.quantile(sorted: [650, 700, 820, 910, 1500], 0.9)!, 1264, accuracy: 1e-9)
        XCTAssertNil(HealthStatistics.quantile(sorted: [], 0.5))
    }

    func testTwoProportionZTest() throws {
        // 30/200 vs 15/200: pooled 0.1125, se = √(0.1125·0.8875·(2/200)) = 0.031598, z = 0.075/se = 2.37356.
        let t = try XCTUnwrap(HealthStatistics.twoProportionZ(30, 200, 15, 200))
        XCTAssertEqual(t.z, 2.373563, accuracy: 1e-5)
        XCTAssertEqual(t.p, 0.017617, accuracy: 1e-5)
        let small = try XCTUnwrap(HealthStatistics.twoProportionZ(3, 100, 2, 100))
        XCTAssertEqual(small.z, 0.452911, accuracy: 1e-5)
        XCTAssertEqual(small.p, 0.650613, accuracy: 1e-5)
        XCTAssertNil(HealthStatistics.twoProportionZ(0, 50, 0, 50), "no failures anywhere: no variance, no test")
        XCTAssertNil(HealthStatistics.twoProportionZ(1, 0, 1, 10))
    }

    func testMannWhitneyWithoutAndWithTies() throws {
        // [1,2,3] vs [4,5,6]: U = 0, μ = 4.5, σ² = 3·3·7/12 = 5.25, z = (0 − 4.5 + 0.5)/√5.25 = −1.74574.
        let a = try XCTUnwrap(HealthStatistics.mannWhitney([1, 2, 3], [4, 5, 6]))
        XCTAssertEqual(a.u, 0)
        XCTAssertEqual(a.z, -1.745743, accuracy: 1e-5)
        XCTAssertEqual(a.p, 0.080856, accuracy: 1e-5)
        // [1,2,2,3] vs [2,3,4,4,5]: ranks 1, 3, 3, 5.5 → R = 12.5, U = 2.5; ties (3,2,2) → Σ(t³−t) = 36,
        // σ² = 20/12 · (10 − 36/72) = 15.8333, z = (2.5 − 10 + 0.5)/√15.8333 = −1.75919.
        let b = try XCTUnwrap(HealthStatistics.mannWhitney([1, 2, 2, 3], [2, 3, 4, 4, 5]))
        XCTAssertEqual(b.u, 2.5)
        XCTAssertEqual(b.z, -1.759190, accuracy: 1e-5)
        XCTAssertEqual(b.p, 0.078546, accuracy: 1e-5)
        XCTAssertNil(HealthStatistics.mannWhitney([3, 3], [3, 3, 3]), "all tied: no variance")
        XCTAssertNil(HealthStatistics.mannWhitney([], [1]))
    }

    // MARK: Verdicts

    /// `n` calls of a version, `failed` of them failed, latencies cycling through `latencies`.
    func calls(_ version: String, _ n: Int, failed: Int, latencies: [Double], start: Double = 1_000_000) -> [CallRecord] {
        var out: [CallRecord] = []
        for i in 0..<n {
            let isFailed = i < failed
            let reason: String? = isFailed ? (i % 3 == 0 ? "tts_error" : "llm_timeout") : nil
            let cost = 0.08 + Double(i % 2) * 0.08
            out.append(CallRecord(callId: "\(version)-\(i)", time: start + Double(i) * 60, versionId: version, versionNumber: nil,
                                  failed: isFailed, failureReason: reason, disconnectionReason: isFailed ? "error" : "user_hangup",
                                  cost: cost, latency: latencies[i % latencies.count]))
        }
        return out
    }

    func testTooFewCallsToTell() {
        let c = HealthStatistics.compare(current: calls("v2", 12, failed: 6, latencies: [2000]),
                                         previous: calls("v1", 100, failed: 2, latencies: [700]),
                                         versionId: "v2", previousVersionId: "v1")
        XCTAssertEqual(c.verdict, .tooFewCalls(n: 12))
        XCTAssertEqual(c.verdict.summary, "too few calls to tell (n = 12)")
        XCTAssertNil(c.failureTest, "no test is run below the minimum sample")
    }

    func testNotSignificant() throws {
        // 3/100 vs 2/100 failures (z = 0.45) and the same latency distribution.
        let lat: [Double] = [600, 700, 800, 900]
        let c = HealthStatistics.compare(current: calls("v2", 100, failed: 3, latencies: lat),
                                         previous: calls("v1", 100, failed: 2, latencies: lat),
                                         versionId: "v2", previousVersionId: "v1")
        XCTAssertEqual(c.verdict, .notSignificant)
        XCTAssertEqual(try XCTUnwrap(c.failureTest).z, 0.452911, accuracy: 1e-5)
        XCTAssertFalse(try XCTUnwrap(c.latencyTest).worse)
    }

    func testSignificantlyWorseOnBothFigures() throws {
        // 20/100 vs 4/100: z = 3.48155, p = 0.000499 < 0.025; latencies all higher.
        let c = HealthStatistics.compare(current: calls("v2", 100, failed: 20, latencies: [1100, 1200, 1300]),
                                         previous: calls("v1", 100, failed: 4, latencies: [600, 700, 800]),
                                         versionId: "v2", previousVersionId: "v1")
        XCTAssertEqual(c.verdict, .worse(["failure rate", "turn latency"]))
        XCTAssertEqual(try XCTUnwrap(c.failureTest).p, 0.000499, accuracy: 1e-6)
    }

    func testBetterIsNotWorse() {
        let c = HealthStatistics.compare(current: calls("v2", 100, failed: 4, latencies: [600]),
                                         previous: calls("v1", 100, failed: 20, latencies: [600, 900]),
                                         versionId: "v2", previousVersionId: "v1")
        XCTAssertEqual(c.verdict, .notSignificant, "a significant improvement is not a worsening")
    }

    func testBorderlineDifferenceIsNotClaimedAtTheBonferroniLevel() throws {
        // 28/200 vs 15/200: pooled 0.1075, se 0.030975, z = 2.09847, p = 0.03586 — below 0.05 but above
        // the 0.025 each of the two tests gets.
        let c = HealthStatistics.compare(current: calls("v2", 200, failed: 28, latencies: [700]),
                                         previous: calls("v1", 200, failed: 15, latencies: [700, 710]),
                                         versionId: "v2", previousVersionId: "v1")
        XCTAssertEqual(c.verdict, .notSignificant)
        XCTAssertEqual(try XCTUnwrap(c.failureTest).p, 0.03586, accuracy: 1e-5)
    }

    func testSignificantButSmallLatencyDriftIsNotClaimed() throws {
        // 2,000 calls each, every latency 3 % higher: the rank test is certain (p ≈ 0), but 3 % is below
        // the 10 % that is called worse.
        let base = (0..<50).map { 700 + Double($0) * 4 }
        let c = HealthStatistics.compare(current: calls("v2", 2000, failed: 40, latencies: base.map { $0 * 1.03 }),
                                         previous: calls("v1", 2000, failed: 40, latencies: base),
                                         versionId: "v2", previousVersionId: "v1")
        let latency = try XCTUnwrap(c.latencyTest)
        XCTAssertLessThan(latency.p, 1e-6)
        XCTAssertFalse(latency.worse)
        XCTAssertEqual(c.verdict, .notSignificant)
        // 15 % higher is claimed.
        let d = HealthStatistics.compare(current: calls("v2", 2000, failed: 40, latencies: base.map { $0 * 1.15 }),
                                         previous: calls("v1", 2000, failed: 40, latencies: base),
                                         versionId: "v2", previousVersionId: "v1")
        XCTAssertEqual(d.verdict, .worse(["turn latency"]))
    }

    // MARK: Figures and report

    func testVersionFigures() throws {
        let h = HealthStatistics.health(versionId: "v2", calls: calls("v2", 10, failed: 3, latencies: [650, 700, 820, 910, 1500]),
                                        window: (start: 1_000_000, end: 1_000_000 + 2 * 3600))
        XCTAssertEqual(h.calls, 10)
        XCTAssertEqual(h.failures, 3)
        XCTAssertEqual(h.failureRate, 0.3)
        XCTAssertEqual(h.latencyP50, 820)
        XCTAssertEqual(h.latencyP90, 1500)  // each value twice: rank 1 + 0.9·9 = 9.1 falls between the two 1500s
        XCTAssertEqual(try XCTUnwrap(h.meanCost), 0.12, accuracy: 1e-12)
        XCTAssertEqual(h.topFailureReasons, [ReasonCount(reason: "llm_timeout", count: 2), ReasonCount(reason: "tts_error", count: 1)])
        XCTAssertEqual(h.topDisconnectionReasons.first, ReasonCount(reason: "user_hangup", count: 7))
        XCTAssertEqual(h.hourlyCalls, [10, 0])
        XCTAssertEqual(h.hourlyFailures, [3, 0])
    }

    func testReportExcludesTestCallsCountsUnattributedAndOrdersByServing() {
        var all = calls("old", 40, failed: 1, latencies: [700], start: 1_000_000)
        all += calls("new", 40, failed: 10, latencies: [1400], start: 2_000_000)
        all.append(CallRecord(callId: "t1", time: 2_000_100, versionId: "new", failed: false, isTest: true))
        all.append(CallRecord(callId: "u1", time: 2_000_200, versionId: nil, failed: true))
        all.append(CallRecord(callId: "u2", time: 2_000_300, versionId: nil, failed: false, dispositions: ["resolved": "yes"]))
        let r = HealthStatistics.report(agentId: "a", calls: all, window: nil, activeVersionId: "new")
        XCTAssertEqual(r.versions.map(\.versionId), ["new", "old"])
        XCTAssertEqual(r.versions.first?.calls, 40, "the test call is left out")
        XCTAssertEqual(r.testCallsExcluded, 1)
        XCTAssertEqual(r.unattributed?.calls, 2)
        XCTAssertEqual(r.unattributed?.dispositions, [DispositionShares(metric: "resolved", outcomes: [ReasonCount(reason: "yes", count: 1)], total: 1)])
        XCTAssertEqual(r.comparisons["new"]?.previousVersionId, "old")
        XCTAssertEqual(r.comparisons["old"]?.verdict, .noPrevious)
        XCTAssertNotNil(r.activeWorse)
        let withTests = HealthStatistics.report(agentId: "a", calls: all, window: nil, activeVersionId: "new", includeTests: true)
        XCTAssertEqual(withTests.versions.first?.calls, 41)
        XCTAssertEqual(withTests.testCallsExcluded, 0)
    }

    func testCallLogPageDecodesLenientlyAndAttributes() throws {
        // One call with odd types must not make the page unreadable; an empty versionId is unattributed.
        let json = #"""
        {"callLogs":[
          {"callId":"a","callStatus":"failed","createdAt":"2026-08-21T10:00:00.000Z","versionId":"v1","versionNumber":3,
           "callFailureReason":"llm_timeout","callCost":"free","turnLatencyMetrics":{"medianLatency":812},"isTest":false,
           "postCallAnalytics":{"dispositionMetrics":[{"identifier":"resolved","value":"no"}]}},
          {"callId":"b","callStatus":"completed","createdAt":"not a time","versionId":"","turnLatencyMetrics":"n/a","isTest":"yes",
           "dispositionMetrics":{"resolved":"yes","escalated":true}}
        ],"totalCount":2,"page":1,"offset":100}
        """#
        let page = try JSONDecoder().decode(CallLogPage.self, from: Data(json.utf8))
        XCTAssertEqual(page.totalCount, 2)
        let a = CallRecord(page.callLogs[0]), b = CallRecord(page.callLogs[1])
        XCTAssertEqual(a.versionId, "v1")
        XCTAssertEqual(a.versionNumber, 3)
        XCTAssertTrue(a.failed)
        XCTAssertNil(a.cost, "a cost that is not a number is left out")
        XCTAssertEqual(a.latency, 812)
        XCTAssertEqual(a.dispositions, ["resolved": "no"])
        XCTAssertEqual(a.time, 1_787_306_400)
        XCTAssertNil(b.versionId, "an empty versionId counts as unattributed")
        XCTAssertFalse(b.failed)
        XCTAssertFalse(b.isTest)
        XCTAssertEqual(b.time, 0)
        XCTAssertEqual(b.dispositions, ["resolved": "yes", "escalated": "true"])
    }

    func testISOTimeParsing() {
        XCTAssertEqual(CallRecord.parseTime("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(CallRecord.parseTime("2026-08-21T10:00:00.250Z"), 1_787_306_400.25)
        XCTAssertEqual(CallRecord.parseTime("2026-08-21T12:00:00+02:00"), 1_787_306_400)
        XCTAssertNil(CallRecord.parseTime("2026-08-21"))
        XCTAssertNil(CallRecord.parseTime("2026-13-21T10:00:00Z"))
        XCTAssertNil(CallRecord.parseTime("2026-08-21T10:00:00Zjunk"))
    }
}
