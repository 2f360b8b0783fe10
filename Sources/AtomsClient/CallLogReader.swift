import Foundation
import AtomsModels

/// Which calls the release-health figures look at.
public struct CallLogWindow: Sendable, Equatable {
    /// The default caps: the last 7 days, at most 5,000 calls.
    public static let defaultMaxAge: TimeInterval = 7 * 86_400
    public static let defaultMaxCalls = 5_000

    /// Start of the window (default: when the version before the active one went live); nil: only the caps.
    public var since: Date?
    /// Never older than this many seconds before now.
    public var maxAge: TimeInterval
    /// Never more than this many calls (the newest).
    public var maxCalls: Int

    /// Builds a window.
    public init(since: Date? = nil, maxAge: TimeInterval = defaultMaxAge, maxCalls: Int = defaultMaxCalls) {
        self.since = since
        self.maxAge = maxAge
        self.maxCalls = maxCalls
    }

    /// The start in force at `now`: the later of `since` and `now - maxAge`.
    public func start(now: Date) -> Date {
        let capped = now.addingTimeInterval(-maxAge)
        guard let since else { return capped }
        return max(since, capped)
    }

    /// The default start: when the version that served before the active one went live — the
    /// activation before the active version's (by `activatedAt`), else nil (only the caps apply).
    public static func defaultSince(versions: [AgentVersion], activeVersionId: String?) -> Date? {
        let times = versions.compactMap { v -> (String, Double)? in
            guard let at = v.activatedAt.flatMap(CallRecord.parseTime) else { return nil }
            return (v.id, at)
        }.sorted { $0.1 > $1.1 }
        guard let activeId = activeVersionId, let activeAt = times.first(where: { $0.0 == activeId })?.1 else {
            return times.count >= 2 ? Date(timeIntervalSince1970: times[1].1) : nil
        }
        return times.first { $0.1 < activeAt && $0.0 != activeId }.map { Date(timeIntervalSince1970: $0.1) }
    }
}

/// What a read found and cost.
public struct CallLogRead: Sendable {
    /// The calls in the window, newest first (test calls included: the report decides).
    public var records: [CallRecord]
    /// Window start and end (seconds since 1970).
    public var start: Double
    public var end: Double
    /// Requests sent and calls that were new to the cache.
    public var requests: Int
    public var newCalls: Int
    /// The window was cut by `maxCalls` (the oldest calls of the window were not read).
    public var truncated: Bool
}

/// Reads an agent's call logs newest first, page by page (the largest page the API serves), until
/// the window is covered: the window's start, `maxCalls`, or the calls already cached — so a refresh
/// with nothing new costs one request. Requests go through the client, hence its rate limiter.
public struct CallLogReader: Sendable {
    public let client: AtomsClient
    /// nil: nothing kept between reads.
    public let cache: CallLogCache?
    public let pageSize: Int
    let now: @Sendable () -> Date

    /// Builds a reader.
    public init(client: AtomsClient, cache: CallLogCache?, pageSize: Int = AtomsClient.callLogsMaxPageSize,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.cache = cache
        self.pageSize = max(1, min(AtomsClient.callLogsMaxPageSize, pageSize))
        self.now = now
    }

    /// Reads the calls of `agentId` in `window`.
    public func read(agentId: String, window: CallLogWindow = CallLogWindow()) async throws -> CallLogRead {
        guard window.maxCalls >= 1 else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["the window must hold at least 1 call"])
        }
        let end = now().timeIntervalSince1970
        let start = window.start(now: now()).timeIntervalSince1970
        let scope = cache.map { _ in CallLogCache.scope(client) } ?? ""
        let coveredFrom = try cache?.coveredFrom(scope: scope, agentId: agentId)
        let known = try cache?.callIds(scope: scope, agentId: agentId, since: coveredFrom ?? .infinity) ?? []
        // Calls the cache already holds inside the window (what a stop at the cache can count on).
        let cachedInWindow = try cache.map { try $0.count(scope: scope, agentId: agentId, since: start) } ?? 0

        var fresh: [CallRecord] = []
        var seen = Set<String>()
        var inWindow = 0
        var lowest = Double.infinity
        var requests = 0
        var page = 1
        var reachedCache = false, endOfData = false, truncated = false
        // A server that ignored `page` would answer the same full page forever: stop at a page with
        // nothing unseen on it, and never ask for more pages than the cap could need (plus slack for
        // calls arriving meanwhile).
        let maxPages = (window.maxCalls + pageSize - 1) / pageSize + 10
        loop: while true {
            try Task.checkCancellation()
            let answer = try await client.callLogs(agentId, page: page, pageSize: pageSize)
            requests += 1
            var unseen = 0
            for item in answer.callLogs {
                guard seen.insert(item.callId).inserted else { continue }  // shifted by calls that arrived meanwhile
                unseen += 1
                let r = CallRecord(item)
                lowest = min(lowest, r.time)
                if r.time < start { break loop }
                inWindow += 1
                if known.contains(r.callId) {
                    // The cached copy is complete from here down to `coveredFrom`.
                    if let c = coveredFrom, c <= start || inWindow + cachedInWindow >= window.maxCalls {
                        reachedCache = true
                        break loop
                    }
                } else {
                    fresh.append(r)
                }
                if inWindow >= window.maxCalls { truncated = true; break loop }
            }
            let total = answer.totalCount ?? Int.max
            if answer.callLogs.count < pageSize || page * pageSize >= total { endOfData = true; break }
            if unseen == 0 || page >= maxPages { truncated = true; break }
            page += 1
        }
        var records: [CallRecord]
        if let cache {
            let newCoverage: Double
            if reachedCache, let c = coveredFrom {
                newCoverage = min(c, lowest)
            } else if endOfData {
                newCoverage = 0
            } else {
                newCoverage = lowest.isFinite ? lowest : start
            }
            try cache.store(fresh, scope: scope, agentId: agentId, coveredFrom: newCoverage, fetchedAt: end)
            records = try cache.records(scope: scope, agentId: agentId, since: start, limit: window.maxCalls)
            truncated = truncated || (records.count >= window.maxCalls && !endOfData)
        } else {
            records = fresh.filter { $0.time >= start }.sorted { $0.time != $1.time ? $0.time > $1.time : $0.callId > $1.callId }
            if records.count > window.maxCalls { records.removeLast(records.count - window.maxCalls) }
        }
        return CallLogRead(records: records, start: start, end: end, requests: requests, newCalls: fresh.count, truncated: truncated)
    }
}
