import Foundation

/// A reason and how many calls gave it.
public struct ReasonCount: Codable, Sendable, Hashable {
    public var reason: String
    public var count: Int
    /// Builds a count.
    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}

/// One disposition metric's outcomes: value → calls, most frequent first.
public struct DispositionShares: Codable, Sendable, Hashable {
    public var metric: String
    public var outcomes: [ReasonCount]
    /// Calls that reported this metric.
    public var total: Int
    /// Builds the shares.
    public init(metric: String, outcomes: [ReasonCount], total: Int) {
        self.metric = metric
        self.outcomes = outcomes
        self.total = total
    }
}

/// An interval (e.g. the 95 % Wilson interval of a rate).
public struct Interval: Codable, Sendable, Hashable {
    public var low: Double
    public var high: Double
    /// Builds an interval.
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// The release-health figures of one version (or of the unattributed calls) over a window.
public struct VersionHealth: Codable, Sendable, Hashable {
    /// The version/revision id; nil for the calls without one ("unattributed").
    public var versionId: String?
    public var versionNumber: Int?
    /// Calls counted (test calls only when asked for).
    public var calls: Int
    public var failures: Int
    /// failures / calls (0 without calls).
    public var failureRate: Double
    /// 95 % Wilson score interval of the failure rate.
    public var failureInterval: Interval
    /// Calls that reported turn latency (the latency figures' sample size).
    public var latencyCalls: Int
    /// Median and 90th percentile of the calls' median turn latency (ms).
    public var latencyP50: Double?
    public var latencyP90: Double?
    /// Mean `callCost` over the calls that reported one.
    public var meanCost: Double?
    /// The three most frequent disconnection reasons.
    public var topDisconnectionReasons: [ReasonCount]
    /// The three most frequent failure reasons (`callFailureReason`).
    public var topFailureReasons: [ReasonCount]
    /// Each disposition metric's outcome shares.
    public var dispositions: [DispositionShares]
    /// Calls and failures per hour over the window, oldest first (empty when no window was given).
    public var hourlyCalls: [Int]
    public var hourlyFailures: [Int]
    /// The first and last call's time (ISO-8601).
    public var firstCallAt: String?
    public var lastCallAt: String?

    /// Builds the figures.
    public init(versionId: String?, versionNumber: Int?, calls: Int, failures: Int, failureRate: Double,
                failureInterval: Interval, latencyCalls: Int, latencyP50: Double?, latencyP90: Double?, meanCost: Double?,
                topDisconnectionReasons: [ReasonCount], topFailureReasons: [ReasonCount], dispositions: [DispositionShares],
                hourlyCalls: [Int] = [], hourlyFailures: [Int] = [], firstCallAt: String? = nil, lastCallAt: String? = nil) {
        self.versionId = versionId
        self.versionNumber = versionNumber
        self.calls = calls
        self.failures = failures
        self.failureRate = failureRate
        self.failureInterval = failureInterval
        self.latencyCalls = latencyCalls
        self.latencyP50 = latencyP50
        self.latencyP90 = latencyP90
        self.meanCost = meanCost
        self.topDisconnectionReasons = topDisconnectionReasons
        self.topFailureReasons = topFailureReasons
        self.dispositions = dispositions
        self.hourlyCalls = hourlyCalls
        self.hourlyFailures = hourlyFailures
        self.firstCallAt = firstCallAt
        self.lastCallAt = lastCallAt
    }
}

/// The result of one significance test.
public struct SignificanceTest: Codable, Sendable, Hashable {
    /// The test statistic (z).
    public var z: Double
    /// Two-sided p-value.
    public var p: Double
    /// Significant at the level in force and in the "worse" direction.
    public var worse: Bool
    /// Builds a result.
    public init(z: Double, p: Double, worse: Bool) {
        self.z = z
        self.p = p
        self.worse = worse
    }
}

/// What the comparison of a version with the one that served before it says.
public enum HealthVerdict: Codable, Sendable, Hashable {
    /// Significantly worse: which figures (`failure rate`, `turn latency`).
    case worse([String])
    /// Enough calls on both sides, and no significant worsening.
    case notSignificant
    /// One side has fewer calls than the minimum: `n` is the smaller count.
    case tooFewCalls(n: Int)
    /// No version served before it in the window.
    case noPrevious

    /// One line: "significantly worse: failure rate, turn latency", "too few calls to tell (n = 12)", …
    public var summary: String {
        switch self {
        case .worse(let what): return "significantly worse: " + what.joined(separator: ", ")
        case .notSignificant: return "not significantly worse"
        case .tooFewCalls(let n): return "too few calls to tell (n = \(n))"
        case .noPrevious: return "no earlier version served calls in the window"
        }
    }

    /// True for `.worse`.
    public var isWorse: Bool { if case .worse = self { return true }; return false }
}

/// A version compared with the version that served before it.
public struct HealthComparison: Codable, Sendable, Hashable {
    public var versionId: String
    public var previousVersionId: String?
    public var verdict: HealthVerdict
    /// Two-proportion z-test of the failure rates (nil when not run).
    public var failureTest: SignificanceTest?
    /// Mann–Whitney rank test of the calls' turn latency (nil when not run).
    public var latencyTest: SignificanceTest?
    /// Builds a comparison.
    public init(versionId: String, previousVersionId: String?, verdict: HealthVerdict,
                failureTest: SignificanceTest? = nil, latencyTest: SignificanceTest? = nil) {
        self.versionId = versionId
        self.previousVersionId = previousVersionId
        self.verdict = verdict
        self.failureTest = failureTest
        self.latencyTest = latencyTest
    }
}

/// Release health of an agent over a window: figures per version (newest-served first), the
/// unattributed calls, and each version compared with the one that served before it.
public struct HealthReport: Codable, Sendable, Hashable {
    public var agentId: String
    /// Window start and end (ISO-8601).
    public var since: String?
    public var until: String?
    /// Per version, in the order they served (most recent first).
    public var versions: [VersionHealth]
    /// Calls without a version id.
    public var unattributed: VersionHealth?
    /// Test calls left out (0 when included).
    public var testCallsExcluded: Int
    /// Keyed by version id.
    public var comparisons: [String: HealthComparison]
    /// The active version, when known.
    public var activeVersionId: String?

    /// Builds a report.
    public init(agentId: String, since: String?, until: String?, versions: [VersionHealth], unattributed: VersionHealth?,
                testCallsExcluded: Int, comparisons: [String: HealthComparison], activeVersionId: String?) {
        self.agentId = agentId
        self.since = since
        self.until = until
        self.versions = versions
        self.unattributed = unattributed
        self.testCallsExcluded = testCallsExcluded
        self.comparisons = comparisons
        self.activeVersionId = activeVersionId
    }

    /// The figures of one version.
    public func health(of versionId: String) -> VersionHealth? { versions.first { $0.versionId == versionId } }

    /// The active version's comparison when it is significantly worse.
    public var activeWorse: HealthComparison? {
        guard let a = activeVersionId, let c = comparisons[a], c.verdict.isWorse else { return nil }
        return c
    }
}
