import Foundation
import GRDB
import AtomsModels

/// How the calls of one version behave: the knobs the call-log generator draws from. Every version
/// has one derived from its id and the seed; the demo seed stores explicit ones (one agent's newest
/// active version is measurably worse than the version before it).
public struct CallProfile: Codable, Sendable, Equatable {
    /// Fraction of production calls that fail (0...1).
    public var failureRate: Double
    /// Typical (median) turn latency in milliseconds.
    public var medianLatencyMs: Double
    /// Minutes between production calls while the version is active.
    public var minutesBetweenCalls: Double

    public init(failureRate: Double, medianLatencyMs: Double, minutesBetweenCalls: Double) {
        self.failureRate = failureRate
        self.medianLatencyMs = medianLatencyMs
        self.minutesBetweenCalls = minutesBetweenCalls
    }
}

/// A test call made through one of the test-call operations (no call is placed; it is remembered
/// so that the call logs show it).
struct StoredTestCall: Codable, Sendable {
    var callId: String
    var versionId: String
    var mode: String
    var createdAt: String
}

extension SimulatorDatabase {
    static func createTestCallTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE test_calls (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                agentId TEXT NOT NULL,
                doc TEXT NOT NULL
            );
            CREATE INDEX test_calls_agent ON test_calls(agentId);
            """)
    }

    static func recordTestCall(_ db: Database, agentId: String, _ c: StoredTestCall) throws {
        try db.execute(sql: "INSERT INTO test_calls (agentId, doc) VALUES (?, ?)", arguments: [agentId, try encode(c)])
    }

    static func testCalls(_ db: Database, agentId: String) throws -> [StoredTestCall] {
        try String.fetchAll(db, sql: "SELECT doc FROM test_calls WHERE agentId = ? ORDER BY seq", arguments: [agentId])
            .map { try decode(StoredTestCall.self, $0) }
    }

    static func createCallProfileTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE call_profiles (
                versionId TEXT PRIMARY KEY NOT NULL,
                doc TEXT NOT NULL
            );
            """)
    }

    static func callProfile(_ db: Database, versionId: String) throws -> CallProfile? {
        guard let text = try String.fetchOne(db, sql: "SELECT doc FROM call_profiles WHERE versionId = ?", arguments: [versionId]) else {
            return nil
        }
        return try decode(CallProfile.self, text)
    }

    static func saveCallProfile(_ db: Database, versionId: String, _ p: CallProfile) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO call_profiles (versionId, doc) VALUES (?, ?)", arguments: [versionId, try encode(p)])
    }
}

/// `GET /agent/{id}/call-logs`: realistic, deterministic calls per published version, generated from
/// the version's activation window (production calls) and its publish time (test calls). Nothing is
/// stored but the profiles; the same clock and seed give the same calls.
extension SimulatorStore {
    /// Production calls kept per version (the newest ones) without `callsPerDay`.
    static let maxCallsPerVersion = 80

    /// Production calls kept per version: 80, or 8 days' worth at `callsPerDay`.
    var callsKeptPerVersion: Int {
        guard let perDay = options.callsPerDay, perDay > 0 else { return Self.maxCallsPerVersion }
        return max(Self.maxCallsPerVersion, Int(min(2_000_000, (perDay * 8).rounded(.up))))
    }
    /// Test calls made right after each publish.
    static let testCallsPerVersion = 2

    /// The profile of a version: the stored one, else one derived from its id and the seed; with
    /// `callsPerDay` its call spacing is 1440 / callsPerDay minutes.
    func callProfile(_ db: Database, versionId: String) throws -> CallProfile {
        var profile: CallProfile
        if let p = try SimulatorDatabase.callProfile(db, versionId: versionId) {
            profile = p
        } else {
            var r = SplitMix64(seed: Self.hash(versionId) ^ options.seed)
            profile = CallProfile(failureRate: 0.02 + r.nextUnit() * 0.05, medianLatencyMs: 650 + r.nextUnit() * 300,
                                  minutesBetweenCalls: 35 + r.nextUnit() * 30)
        }
        if let perDay = options.callsPerDay, perDay > 0 { profile.minutesBetweenCalls = 1440 / perDay }
        return profile
    }

    /// Sets the call profile of a version (tests, demo data).
    public func setCallProfile(versionId: String, _ profile: CallProfile) throws {
        try database.queue.write { db in try SimulatorDatabase.saveCallProfile(db, versionId: versionId, profile) }
    }

    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// One page of an agent's calls, newest first: `{callLogs, totalCount, page, offset}`.
    public func callLogs(agentId: String, page: Int = 1, offset: Int = 10) throws -> JSONValue {
        guard page >= 1 else { throw SimulatorError.badRequest("page: Number must be greater than or equal to 1") }
        guard (1...100).contains(offset) else { throw SimulatorError.badRequest("offset: Number must be between 1 and 100") }
        let calls = try write { db, now in
            guard ObjectID.isValid(agentId), try SimulatorDatabase.agent(db, agentId) != nil else { throw SimulatorError.agentNotFound }
            return try memoizedCalls(db, agentId: agentId, now: now)
        }
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: offset)
        let slice = !overflow && start < calls.count ? Array(calls[start..<min(calls.count, start + offset)]) : []
        return ["callLogs": .array(slice), "totalCount": .number(Double(calls.count)),
                "page": .number(Double(page)), "offset": .number(Double(offset))]
    }

    /// `allCalls`, generated again only when what it depends on changed — the agent's published
    /// versions and their activation times, its test calls, the options — or when the clock reached
    /// the time the next call appears at (or went back).
    func memoizedCalls(_ db: Database, agentId: String, now: Date) throws -> [JSONValue] {
        // The key is read in SQL without decoding the versions (an agent with 10,000 versions would cost
        // seconds per page otherwise, with the store locked).
        var key = "\(options.seed)|\(options.callsPerDay ?? 0)|\(try SimulatorDatabase.testCalls(db, agentId: agentId).count)"
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, kind, deleted, json_extract(doc, '$.row.status') AS status, json_extract(doc, '$.row.activatedAt') AS activatedAt
            FROM versions WHERE agentId = ? AND kind IN ('published', 'revision') ORDER BY rowid
            """, arguments: [agentId])
        for r in rows {
            let id: String = r["id"], kind: String = r["kind"], deleted: Bool = r["deleted"]
            let status: String? = r["status"], activatedAt: String? = r["activatedAt"]
            key += "|\(id):\(kind):\(status ?? ""):\(activatedAt ?? ""):\(deleted)"
        }
        if let memo = callLogMemo.withLock({ $0[agentId] }), memo.key == key, now >= memo.at, now < memo.next { return memo.calls }
        var next = Date.distantFuture
        let calls = try allCalls(db, agentId: agentId, now: now, next: &next)
        callLogMemo.withLock { $0[agentId] = (key, now, next, calls) }
        return calls
    }

    /// Every generated call of an agent, newest first.
    func allCalls(_ db: Database, agentId: String, now: Date) throws -> [JSONValue] {
        var next = Date.distantFuture
        return try allCalls(db, agentId: agentId, now: now, next: &next)
    }

    /// `allCalls`; `next` is set to when the list will next change as the clock moves.
    func allCalls(_ db: Database, agentId: String, now: Date, next: inout Date) throws -> [JSONValue] {
        func date(_ s: String?) -> Date? { Self.parseISO(s) }
        // The published versions and revisions, read light (times in SQL, no document decoded): only those
        // that have calls — activated ones, the newest published, those with test calls — are decoded. An
        // agent with 10,000 synthetic versions took 2 s per generation otherwise, with the store locked.
        let light = try Row.fetchAll(db, sql: """
            SELECT id, json_extract(doc, '$.row.activatedAt') AS activatedAt, json_extract(doc, '$.row.publishedAt') AS publishedAt
            FROM versions WHERE agentId = ? AND deleted = 0 AND json_extract(doc, '$.row.status') = 'published'
              AND (kind = 'published' OR (kind = 'revision' AND json_extract(doc, '$.row.branch') IS NOT NULL))
            """, arguments: [agentId])
        let stored = try SimulatorDatabase.testCalls(db, agentId: agentId)
        var wanted = Set(stored.map(\.versionId))
        for r in light where (r["activatedAt"] as String?) != nil { wanted.insert(r["id"]) }
        let newest = light.compactMap { r -> (String, Date)? in date(r["publishedAt"]).map { (r["id"], $0) } }
            .sorted { $0.1 > $1.1 }.prefix(Self.versionsWithTestCalls)
        for (id, _) in newest { wanted.insert(id) }
        var versions: [String: StoredVersion] = [:]
        let ids = Array(wanted)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for doc in try String.fetchAll(db, sql: "SELECT doc FROM versions WHERE agentId = ? AND id IN (\(marks))",
                                           arguments: StatementArguments([agentId] + chunk)) {
                let v = try SimulatorDatabase.decode(StoredVersion.self, doc)
                if v.row.status == .published && !v.deleted { versions[v.row.id] = v }
            }
        }
        // Production windows: from each version's (last) activation to the next activation, or now.
        let activated = versions.values.compactMap { v in date(v.row.activatedAt).map { (v, $0) } }.sorted { $0.1 < $1.1 }
        var calls: [(Date, JSONValue)] = []
        for (i, (v, start)) in activated.enumerated() {
            let end = i + 1 < activated.count ? activated[i + 1].1 : now
            calls += try productionCalls(db, v, from: start, to: min(end, now), open: end >= now, next: &next)
        }
        // Test calls are made right after publishing: those of the newest versions only (an agent with
        // 10,000 synthetic versions would otherwise cost seconds per page, with the store locked).
        let published = versions.values.compactMap { v in date(v.row.publishedAt).map { (v, $0) } }.sorted { $0.1 > $1.1 }
        for (v, at) in published.prefix(Self.versionsWithTestCalls) {
            calls += try testCalls(db, v, after: at, now: now, next: &next)
        }
        // Test calls made through the test-call operations: completed, `isTest`, on their version.
        for (i, t) in stored.enumerated() {
            guard let v = versions[t.versionId], let at = date(t.createdAt) else { continue }
            var r = SplitMix64(seed: Self.hash(t.callId) ^ options.seed)
            var profile = try callProfile(db, versionId: v.row.id)
            profile.failureRate = 0
            guard case .object(var doc) = call(v, profile, at: at, index: 200_000 + i, test: true, rng: &r) else { continue }
            doc["callId"] = .string(t.callId)
            doc["callType"] = .string(t.mode == "telephony" ? "telephony_outbound" : "webcall")
            calls.append((at, .object(doc)))
        }
        return calls.map { ($0.0, $0.1["callId"]?.stringValue ?? "", $0.1) }
            .sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 > $1.1 }
            .map(\.2)
    }

    /// The production calls of `v` between `start` and `end`; `next` is lowered to the time the next
    /// call of the window will appear at (only a window still open at `end` grows).
    func productionCalls(_ db: Database, _ v: StoredVersion, from start: Date, to end: Date, open: Bool,
                         next: inout Date) throws -> [(Date, JSONValue)] {
        guard end > start else { return [] }
        let profile = try callProfile(db, versionId: v.row.id)
        let step = max(60, profile.minutesBetweenCalls * 60)
        let slots = Int((end.timeIntervalSince(start) / step).rounded(.down))
        let first = max(0, slots - callsKeptPerVersion + 1)
        var out: [(Date, JSONValue)] = []
        out.reserveCapacity(slots - first + 1)
        for k in stride(from: first, through: slots + 1, by: 1) {
            var r = SplitMix64(seed: Self.hash(v.row.id) ^ UInt64(k) &* 0x9E37_79B9 ^ options.seed)
            let at = start.addingTimeInterval(Double(k) * step + r.nextUnit() * step * 0.8)
            guard at < end else {
                if open { next = min(next, at) }
                continue
            }
            guard k <= slots else { continue }
            out.append((at, call(v, profile, at: at, index: k, test: false, rng: &r)))
        }
        return out
    }

    func testCalls(_ db: Database, _ v: StoredVersion, after published: Date, now: Date, next: inout Date) throws -> [(Date, JSONValue)] {
        let profile = try callProfile(db, versionId: v.row.id)
        var out: [(Date, JSONValue)] = []
        for k in 0..<Self.testCallsPerVersion {
            var r = SplitMix64(seed: Self.hash(v.row.id) ^ 0x7E57 ^ UInt64(k) ^ options.seed)
            let at = published.addingTimeInterval(20 + Double(k) * 90 + r.nextUnit() * 30)
            guard at <= now else { next = min(next, at); continue }
            out.append((at, call(v, profile, at: at, index: 100_000 + k, test: true, rng: &r)))
        }
        return out
    }

    /// How many of an agent's most recently published versions carry generated test calls.
    static let versionsWithTestCalls = 200

    static let failureReasons = ["llm_timeout", "tts_error", "transfer_failed", "sip_error", "tool_call_error"]

    /// One call document (the call-log item of the spec, plus the conversation-log fields the
    /// release-health work reads).
    func call(_ v: StoredVersion, _ p: CallProfile, at: Date, index: Int, test: Bool, rng r: inout SplitMix64) -> JSONValue {
        let failed = r.nextUnit() < p.failureRate
        let noAnswer = !test && !failed && r.nextUnit() < 0.04
        let turns = failed ? 1 + Int(r.nextUnit() * 4) : (noAnswer ? 0 : 4 + Int(r.nextUnit() * 14))
        var latencies: [Double] = []
        for _ in 0..<turns {
            // Skewed around the median: most turns near it, a few slow ones.
            let u = r.nextUnit()
            latencies.append((p.medianLatencyMs * (0.7 + 0.6 * u + (u > 0.9 ? 1.2 * (u - 0.9) * 10 : 0))).rounded())
        }
        let sorted = latencies.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let durationMs = noAnswer ? 0 : Double(turns) * (6_000 + r.nextUnit() * 9_000) + 4_000
        let minutes = (durationMs / 60_000).rounded(.up)
        let kind = test ? "webcall" : (r.nextUnit() < 0.7 ? "telephony_inbound" : "telephony_outbound")
        let caller = "+1415555" + String(format: "%04d", Int(r.nextUnit() * 10_000))
        let line = "+14155550100"
        let idTail = String(Self.hash(v.row.id + "#\(index)") & 0xFFFFFF, radix: 16)
        var doc: ConfigDocument = [
            "callId": .string("CALL-\(Int(at.timeIntervalSince1970 * 1000))-\(idTail)"),
            "callStatus": .string(failed ? "failed" : (noAnswer ? "no_answer" : "completed")),
            "callType": .string(kind),
            "fromNumber": .string(kind == "telephony_outbound" ? line : (test ? "" : caller)),
            "toNumber": .string(kind == "telephony_outbound" ? caller : (test ? "" : line)),
            "createdAt": .string(Self.iso(at)),
            "callDuration": .number(durationMs.rounded()),
            "versionId": .string(v.row.id),
            "versionNumber": .number(Double(v.row.versionNumber ?? v.row.revisionNumber ?? 0)),
            "disconnectionReason": .string(failed ? "error" : (noAnswer ? "no_answer" : (r.nextUnit() < 0.6 ? "user_hangup" : "agent_hangup"))),
            "callCost": .number((minutes * 0.08 * 10_000).rounded() / 10_000),
            "isTest": .bool(test),
        ]
        if failed { doc["callFailureReason"] = .string(Self.failureReasons[Int(r.nextUnit() * Double(Self.failureReasons.count)) % Self.failureReasons.count]) }
        if turns > 0 {
            doc["turnLatencyMetrics"] = [
                "avgLatency": .number((latencies.reduce(0, +) / Double(turns)).rounded()), "medianLatency": .number(median),
                "minLatency": .number(sorted.first ?? 0), "maxLatency": .number(sorted.last ?? 0), "turns": .number(Double(turns)),
            ]
        }
        if !noAnswer {
            let resolved = !failed && r.nextUnit() < 0.8
            doc["dispositionMetrics"] = ["resolved": .string(resolved ? "yes" : "no"), "follow_up_needed": .string(resolved ? "no" : "yes")]
            doc["postCallAnalytics"] = [
                "summary": .string(failed ? "The call ended early after an error." : (resolved ? "The caller's request was handled." : "The caller needs a follow-up.")),
                "dispositionMetrics": [
                    ["identifier": "resolved", "value": .string(resolved ? "yes" : "no"), "confidence": .number(((0.7 + r.nextUnit() * 0.3) * 100).rounded() / 100)],
                ],
            ]
        }
        return .object(doc)
    }
}
