import Foundation
import AtomsModels

/// The statistics behind release health — plain functions with known answers (unit-tested against
/// hand-computed values): Wilson intervals, percentiles, the two-proportion z-test and the
/// Mann–Whitney rank test, and the per-version report built from them.
///
/// Rules that keep it from crying wolf: a version is called "significantly worse" than the version
/// that served before it only when both have at least `minimumCalls` calls and a test says so at
/// `alpha` — two tests (failure rate, turn latency) at 0.025 each (Bonferroni: 5 % overall), one-sided
/// in effect (only a worsening counts) — and the difference is large enough to matter: the failure
/// rate at least 2 percentage points higher, the median turn latency at least 10 % higher (with
/// thousands of calls a 3 % latency drift is "significant" and of no interest). Otherwise the verdict
/// is "not significantly worse" or "too few calls to tell (n = 12)".
public enum HealthStatistics {
    /// z for a two-sided 95 % interval.
    public static let z95 = 1.959963984540054
    /// Fewest calls each side needs before a comparison is claimed.
    public static let defaultMinimumCalls = 30
    /// Significance level of each of the two tests (0.05 / 2).
    public static let defaultAlpha = 0.025
    /// Smallest failure-rate increase (absolute) that is called worse.
    public static let minimumFailureRateIncrease = 0.02
    /// Smallest relative increase of the median turn latency that is called worse.
    public static let minimumLatencyIncrease = 0.10

    // MARK: - Building blocks

    /// The 95 % Wilson score interval of `successes` out of `n` (0…1; [0, 0] for n = 0).
    public static func wilson(_ successes: Int, _ n: Int, z: Double = z95) -> Interval {
        guard n > 0 else { return Interval(low: 0, high: 0) }
        let nn = Double(n), p = Double(successes) / nn, z2 = z * z
        let denominator = 1 + z2 / nn
        let center = (p + z2 / (2 * nn)) / denominator
        let half = z / denominator * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        return Interval(low: max(0, center - half), high: min(1, center + half))
    }

    /// The `q` quantile (0…1) of sorted values, linearly interpolated between closest ranks (numpy's
    /// default, R type 7); nil for no values.
    public static func quantile(sorted v: [Double], _ q: Double) -> Double? {
        guard !v.isEmpty else { return nil }
        let h = Double(v.count - 1) * min(1, max(0, q))
        let lo = Int(h.rounded(.down))
        let hi = min(v.count - 1, lo + 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }

    /// Two-sided p-value of a standard normal statistic.
    public static func twoSidedP(_ z: Double) -> Double {
        guard z.isFinite else { return z.isNaN ? 1 : 0 }
        return erfc(abs(z) / 2.0.squareRoot())
    }

    /// Two-proportion z-test (pooled) of x1/n1 against x2/n2: z > 0 when the first rate is higher.
    /// nil when either n is 0 or both rates are 0 or 1 (no variance).
    public static func twoProportionZ(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int) -> (z: Double, p: Double)? {
        guard n1 > 0, n2 > 0 else { return nil }
        let p1 = Double(x1) / Double(n1), p2 = Double(x2) / Double(n2)
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        guard se > 0 else { return nil }
        let z = (p1 - p2) / se
        return (z, twoSidedP(z))
    }

    /// Mann–Whitney U test of sample `a` against `b` (normal approximation with tie correction and
    /// continuity correction, as scipy's `mannwhitneyu(..., method="asymptotic")`): U is `a`'s statistic,
    /// z > 0 when `a` tends to be larger. nil when a sample is empty or every value ties.
    public static func mannWhitney(_ a: [Double], _ b: [Double]) -> (u: Double, z: Double, p: Double)? {
        mannWhitney(sorted: a.sorted(), sorted: b.sorted())
    }

    // MARK: - Per version

    /// The figures of one group of calls. `window` (start, end in seconds since 1970) adds hourly
    /// buckets of calls and failures.
    public static func health(versionId: String?, calls: [CallRecord], window: (start: Double, end: Double)? = nil) -> VersionHealth {
        summarize(versionId: versionId, calls, Array(calls.indices), window: window).health
    }

    /// What one group's figures and its comparison need: the figures, and the sorted latencies and
    /// failure count the tests read (computed once per group).
    struct Summary {
        var health: VersionHealth
        var sortedLatencies: [Double]
    }

    /// The figures of `records[indices]` (indices, not copies: 100,000 calls stay one array).
    static func summarize(versionId: String?, _ records: [CallRecord], _ indices: [Int], window: (start: Double, end: Double)?) -> Summary {
        let n = indices.count
        var failures = 0, costSum = 0.0, costN = 0
        var latencies = [Double]()
        latencies.reserveCapacity(n)
        var disconnections: [String: Int] = [:], failureReasons: [String: Int] = [:]
        var dispositions: [String: [String: Int]] = [:]
        var first = Double.infinity, last = -Double.infinity
        var number: Int?
        var hourlyCalls: [Int] = [], hourlyFailures: [Int] = []
        var buckets = 0
        if let w = window, w.end > w.start {
            buckets = min(24 * 31, max(1, Int(((w.end - w.start) / 3600).rounded(.up))))
            hourlyCalls = Array(repeating: 0, count: buckets)
            hourlyFailures = Array(repeating: 0, count: buckets)
        }
        records.withUnsafeBufferPointer { buf in
            for i in indices {
                let failed = buf[i].failed, time = buf[i].time
                if failed { failures += 1 }
                if let r = buf[i].failureReason { failureReasons[r, default: 0] += 1 }
                if let r = buf[i].disconnectionReason { disconnections[r, default: 0] += 1 }
                if let cost = buf[i].cost { costSum += cost; costN += 1 }
                if let l = buf[i].latency { latencies.append(l) }
                if !buf[i].dispositions.isEmpty {
                    for (k, v) in buf[i].dispositions { dispositions[k, default: [:]][v, default: 0] += 1 }
                }
                if time > 0 { first = min(first, time); last = max(last, time) }
                if number == nil { number = buf[i].versionNumber }
                if buckets > 0, let w = window, time >= w.start, time <= w.end {
                    let b = min(buckets - 1, Int((time - w.start) / 3600))
                    hourlyCalls[b] += 1
                    if failed { hourlyFailures[b] += 1 }
                }
            }
        }
        latencies.sort()
        let health = VersionHealth(
            versionId: versionId, versionNumber: number, calls: n, failures: failures,
            failureRate: n == 0 ? 0 : Double(failures) / Double(n), failureInterval: wilson(failures, n),
            latencyCalls: latencies.count, latencyP50: quantile(sorted: latencies, 0.5), latencyP90: quantile(sorted: latencies, 0.9),
            meanCost: costN == 0 ? nil : costSum / Double(costN),
            topDisconnectionReasons: top(disconnections, 3), topFailureReasons: top(failureReasons, 3),
            dispositions: dispositions.map { metric, outcomes in
                DispositionShares(metric: metric, outcomes: top(outcomes, Int.max), total: outcomes.values.reduce(0, +))
            }.sorted { $0.metric < $1.metric },
            hourlyCalls: hourlyCalls, hourlyFailures: hourlyFailures,
            firstCallAt: first.isFinite ? CallRecord.isoTime(first) : nil, lastCallAt: last.isFinite ? CallRecord.isoTime(last) : nil)
        return Summary(health: health, sortedLatencies: latencies)
    }

    /// The `k` most frequent keys, ties by name.
    static func top(_ counts: [String: Int], _ k: Int) -> [ReasonCount] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(k).map { ReasonCount(reason: $0.key, count: $0.value) }
    }

    /// Compares `current` with `previous` (the version that served before it).
    public static func compare(current: [CallRecord], previous: [CallRecord]?, versionId: String, previousVersionId: String?,
                               minimumCalls: Int = defaultMinimumCalls, alpha: Double = defaultAlpha) -> HealthComparison {
        guard let previous, let previousVersionId else {
            return HealthComparison(versionId: versionId, previousVersionId: nil, verdict: .noPrevious)
        }
        return compare(summarize(versionId: versionId, current, Array(current.indices), window: nil),
                       summarize(versionId: previousVersionId, previous, Array(previous.indices), window: nil),
                       minimumCalls: minimumCalls, alpha: alpha)
    }

    /// The comparison of two summarized groups.
    static func compare(_ current: Summary, _ previous: Summary, minimumCalls: Int, alpha: Double) -> HealthComparison {
        let a = current.health, b = previous.health
        let versionId = a.versionId ?? "", previousVersionId = b.versionId
        let smaller = min(a.calls, b.calls)
        guard smaller >= minimumCalls else {
            return HealthComparison(versionId: versionId, previousVersionId: previousVersionId, verdict: .tooFewCalls(n: smaller))
        }
        var worse: [String] = []
        var failureTest: SignificanceTest?
        if let t = twoProportionZ(a.failures, a.calls, b.failures, b.calls) {
            let increase = a.failureRate - b.failureRate
            let isWorse = t.z > 0 && t.p < alpha && increase >= minimumFailureRateIncrease - 1e-12
            failureTest = SignificanceTest(z: t.z, p: t.p, worse: isWorse)
            if isWorse { worse.append("failure rate") }
        }
        var latencyTest: SignificanceTest?
        let l1 = current.sortedLatencies, l2 = previous.sortedLatencies
        if min(l1.count, l2.count) >= minimumCalls, let t = mannWhitney(sorted: l1, sorted: l2) {
            let m1 = a.latencyP50 ?? 0, m2 = b.latencyP50 ?? 0
            let isWorse = t.z > 0 && t.p < alpha && m1 >= m2 * (1 + minimumLatencyIncrease)
            latencyTest = SignificanceTest(z: t.z, p: t.p, worse: isWorse)
            if isWorse { worse.append("turn latency") }
        }
        return HealthComparison(versionId: versionId, previousVersionId: previousVersionId,
                                verdict: worse.isEmpty ? .notSignificant : .worse(worse),
                                failureTest: failureTest, latencyTest: latencyTest)
    }

    /// `mannWhitney` for two samples already sorted: the pooled ranks come from a merge (no sort).
    static func mannWhitney(sorted a: [Double], sorted b: [Double]) -> (u: Double, z: Double, p: Double)? {
        let n1 = a.count, n2 = b.count
        guard n1 > 0, n2 > 0 else { return nil }
        var i = 0, j = 0, rank = 0
        var rankSumA = 0.0, tieTerm = 0.0
        while i < n1 || j < n2 {
            // The next smallest value and how many of it each side holds.
            let v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j]
            var ca = 0, cb = 0
            while i < n1 && a[i] == v { ca += 1; i += 1 }
            while j < n2 && b[j] == v { cb += 1; j += 1 }
            let t = ca + cb
            let average = Double(2 * rank + t + 1) / 2  // ranks rank+1 … rank+t
            rankSumA += average * Double(ca)
            let td = Double(t)
            tieTerm += td * td * td - td
            rank += t
        }
        return mannWhitneyResult(rankSumA: rankSumA, n1: n1, n2: n2, tieTerm: tieTerm)
    }

    static func mannWhitneyResult(rankSumA: Double, n1: Int, n2: Int, tieTerm: Double) -> (u: Double, z: Double, p: Double)? {
        let nA = Double(n1), nB = Double(n2), n = nA + nB
        let u = rankSumA - nA * (nA + 1) / 2
        let mu = nA * nB / 2
        let variance = nA * nB / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return nil }
        let d = u - mu
        let corrected = d == 0 ? 0 : (abs(d) - 0.5) * (d > 0 ? 1 : -1)
        let z = corrected / variance.squareRoot()
        return (u, z, twoSidedP(z))
    }

    // MARK: - Report

    /// The report of an agent's calls: test calls dropped unless `includeTests`; calls grouped by
    /// version (unattributed apart); versions ordered by when they served (latest first call first);
    /// each compared with the version whose first call came before its own.
    public static func report(agentId: String, calls: [CallRecord], window: (start: Double, end: Double)?,
                              activeVersionId: String?, includeTests: Bool = false,
                              minimumCalls: Int = defaultMinimumCalls, alpha: Double = defaultAlpha) -> HealthReport {
        var byVersion: [String: [Int]] = [:]
        var firstCall: [String: Double] = [:]
        var unattributed: [Int] = []
        var excluded = 0
        for (i, c) in calls.enumerated() {
            if let w = window, c.time < w.start || c.time > w.end { continue }
            if c.isTest && !includeTests { excluded += 1; continue }
            if let v = c.versionId {
                byVersion[v, default: []].append(i)
                firstCall[v] = min(firstCall[v] ?? .infinity, c.time)
            } else {
                unattributed.append(i)
            }
        }
        // Served order: by each version's first call.
        let order = byVersion.keys.sorted { firstCall[$0]! != firstCall[$1]! ? firstCall[$0]! > firstCall[$1]! : $0 > $1 }
        let summaries = order.map { summarize(versionId: $0, calls, byVersion[$0]!, window: window) }
        var comparisons: [String: HealthComparison] = [:]
        for (i, v) in order.enumerated() {
            comparisons[v] = i + 1 < order.count
                ? compare(summaries[i], summaries[i + 1], minimumCalls: minimumCalls, alpha: alpha)
                : HealthComparison(versionId: v, previousVersionId: nil, verdict: .noPrevious)
        }
        return HealthReport(
            agentId: agentId, since: window.map { CallRecord.isoTime($0.start) }, until: window.map { CallRecord.isoTime($0.end) },
            versions: summaries.map(\.health),
            unattributed: unattributed.isEmpty ? nil : summarize(versionId: nil, calls, unattributed, window: window).health,
            testCallsExcluded: excluded, comparisons: comparisons, activeVersionId: activeVersionId)
    }
}
