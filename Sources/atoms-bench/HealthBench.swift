// `atoms-bench health`: release-health statistics over 100,000 cached calls (load from the
// cache, compute the report; time and RSS). `atoms-bench call-fetch BASE_URL KEY AGENT_ID RATE`: a cold
// read of an agent's call logs (the default window: ≤ 5,000 calls) under a client rate limit, then a
// warm refresh; counts requests and 429s. Both print one JSON line each; scripts/bench.py runs them.
import AtomsClient
import AtomsModels
import Foundation

/// Resident set size and its peak (KiB) from /proc/self/status.
func memoryKiB() -> (rss: Int, peak: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
    }
    return (field("VmRSS"), field("VmHWM"))
}

/// glibc's `malloc_trim`: hands freed heap memory back to the system.
@_silgen_name("malloc_trim") func releaseFreedMemory(_ pad: Int) -> Int32

/// Resets the peak RSS (Linux: writing 5 to clear_refs).
func resetPeak() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }

struct HealthFigures: Codable {
    var scenario: String
    var calls: Int
    var versions: Int
    var loadMillisMedian: Double
    var statsMillisMedian: Double
    var statsMillisMax: Double
    var statsRuns: Int
    var rssBeforeMiB: Double
    var rssDeltaLoadMiB: Double
    var peakDeltaStatsMiB: Double
    var verdict: String
}

func benchHealthStatistics(calls total: Int, runs: Int) throws -> HealthFigures {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-bench-health-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = try CallLogCache(url: dir.appendingPathComponent("call-logs"))
    let scope = "bench", agentId = "6a18ba2f5e0000010000013f"
    let versions = ["6a18ba2f5e00000100000140", "6a18ba2f5e00000100000141", "6a18ba2f5e00000100000142"]
    let end = 1_787_306_400.0
    do {
        // Three versions served in turn over 7 days, plus some unattributed and test calls.
        var r = SystemRandomNumberGenerator()
        var records: [CallRecord] = []
        records.reserveCapacity(total)
        for i in 0..<total {
            let t = end - Double(total - i) * (7 * 86_400 / Double(total))
            let k = i * 3 / total
            let v: String? = i % 50 == 0 ? nil : versions[k]
            let failRate = k == 2 ? 0.12 : 0.04
            let failed = Double.random(in: 0..<1, using: &r) < failRate
            let reasons = ["llm_timeout", "tts_error", "sip_error", "tool_call_error"]
            records.append(CallRecord(
                callId: "CALL-\(i)", time: t, versionId: v, versionNumber: v == nil ? nil : k + 1, failed: failed,
                failureReason: failed ? reasons[i % reasons.count] : nil,
                disconnectionReason: failed ? "error" : (i % 3 == 0 ? "agent_hangup" : "user_hangup"),
                cost: 0.08 * Double(1 + i % 4), latency: (k == 2 ? 1100 : 750) * Double.random(in: 0.7...1.6, using: &r),
                isTest: i % 97 == 0, dispositions: ["resolved": failed || i % 5 == 0 ? "no" : "yes"]))
        }
        try cache.store(records, scope: scope, agentId: agentId, coveredFrom: 0, fetchedAt: end)
    }
    // What writing the cache freed goes back to the system first: "RSS after load" counts the loaded calls only.
    _ = releaseFreedMemory(0)
    let before = memoryKiB()
    var loadTimes: [Double] = []
    var records: [CallRecord] = []
    for _ in 0..<3 {
        records = []
        let t0 = now()
        records = try cache.records(scope: scope, agentId: agentId, since: 0)
        loadTimes.append(Double(now() - t0) / 1e6)
    }
    let afterLoad = memoryKiB()
    resetPeak()
    let baseline = memoryKiB()
    var statTimes: [Double] = []
    var verdict = ""
    for _ in 0..<runs {
        let t0 = now()
        let report = HealthStatistics.report(agentId: agentId, calls: records, window: (end - 7 * 86_400, end), activeVersionId: versions[2])
        statTimes.append(Double(now() - t0) / 1e6)
        verdict = report.comparisons[versions[2]]?.verdict.summary ?? "?"
    }
    let afterStats = memoryKiB()
    return HealthFigures(scenario: "release-health statistics over cached calls", calls: records.count, versions: versions.count,
                         loadMillisMedian: percentile(loadTimes, 0.5), statsMillisMedian: percentile(statTimes, 0.5),
                         statsMillisMax: statTimes.max() ?? 0, statsRuns: runs, rssBeforeMiB: Double(before.rss) / 1024,
                         rssDeltaLoadMiB: Double(afterLoad.rss - before.rss) / 1024,
                         peakDeltaStatsMiB: Double(afterStats.peak - baseline.rss) / 1024, verdict: verdict)
}

/// Counts answers by status (and requests) on the way through.
final class CountingTransport: HTTPTransport, @unchecked Sendable {
    let inner: any HTTPTransport
    private let lock = NSLock()
    private var statuses: [Int: Int] = [:]
    init(_ inner: any HTTPTransport) { self.inner = inner }
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let r = try await inner.send(request)
        lock.withLock { statuses[r.status, default: 0] += 1 }
        return r
    }
    var counts: [Int: Int] { lock.withLock { statuses } }
}

struct FetchFigures: Codable {
    var scenario: String
    var rate: Double
    var calls: Int
    var requests: Int
    var answers429: Int
    var seconds: Double
    var permittedSeconds: Double
    var warmRequests: Int
    var warmSeconds: Double
}

func benchCallFetch(baseURL: URL, key: String, agentId: String, rate: Double) async throws -> FetchFigures {
    let transport = CountingTransport(URLSessionTransport())
    let client = AtomsClient(configuration: ClientConfiguration(baseURL: baseURL, apiKey: key, requestsPerSecond: rate), transport: transport)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-bench-fetch-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = try CallLogCache(url: dir.appendingPathComponent("call-logs"))
    let loader = ReleaseHealthLoader(reader: CallLogReader(client: client, cache: cache))
    let versions = try await client.listVersions(agentId, limit: 100).versions
    let agent = try await client.getAgent(agentId)
    // Fresh pacing for the timed part: the two set-up requests above do not count.
    try await Task.sleep(nanoseconds: 1_000_000_000)
    let before = transport.counts
    let t0 = now()
    let cold = try await loader.load(agentId: agentId, activeVersionId: agent.activeVersionId, versions: versions)
    let coldSeconds = Double(now() - t0) / 1e9
    let t1 = now()
    let warm = try await loader.load(agentId: agentId, activeVersionId: agent.activeVersionId, versions: versions)
    let warmSeconds = Double(now() - t1) / 1e9
    let after = transport.counts
    return FetchFigures(scenario: "cold fetch of the default window, then a warm refresh", rate: rate, calls: cold.read.records.count,
                        requests: cold.read.requests, answers429: (after[429] ?? 0) - (before[429] ?? 0), seconds: coldSeconds,
                        permittedSeconds: Double(cold.read.requests) / rate, warmRequests: warm.read.requests, warmSeconds: warmSeconds)
}
