import AtomsModels
import AtomsSimulator
import Foundation
import XCTest
@testable import AtomsClient

/// The call-log reader and its cache against the in-process simulator (real HTTP, a manual clock:
/// calls "arrive" when the clock is moved).
final class CallLogReaderTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = FileManager.default.temporaryDirectory.appendingPathComponent("calllogs-\(UUID().uuidString)") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    struct Setup {
        let sim: EmbeddedSimulator
        let client: AtomsClient
        let clock: ManualClock
        let agentId: String
        let versionId: String
    }

    /// A simulator at 480 calls a day (one every 3 minutes) with one agent live for 24 hours.
    func start(callsPerDay: Double = 480) async throws -> Setup {
        let clock = ManualClock()
        var o = SimulatorOptions()
        o.apiKey = "k-calls"
        o.scanSeconds = 0
        o.callsPerDay = callsPerDay
        let sim = try await EmbeddedSimulator.start(o, clock: clock)
        let client = AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: "k-calls", requestTimeout: 10, baseBackoff: 0.01))
        let id = try await client.createAgent([
            "name": "Call Log Agent", "singlePromptConfig": ["prompt": "Be brief.", "tools": []], "firstMessage": "Hello!",
            "language": ["default": "en", "supported": ["en"], "switching": ["isEnabled": false]],
        ])
        let agent = try await client.getAgent(id)
        clock.advance(by: 24 * 3600)
        return Setup(sim: sim, client: client, clock: clock, agentId: id, versionId: try XCTUnwrap(agent.activeVersionId))
    }

    func reader(_ s: Setup, _ cache: CallLogCache?) -> CallLogReader {
        CallLogReader(client: s.client, cache: cache, now: { [clock = s.clock] in clock.now() })
    }

    func testColdReadThenWarmRefreshFetchesOnlyWhatIsNew() async throws {
        let s = try await start()
        defer { Task { await s.sim.stop() } }
        let first = try await s.client.callLogs(s.agentId, page: 1, pageSize: 1)
        let total = try XCTUnwrap(first.totalCount)
        XCTAssertGreaterThan(total, 400, "480 calls a day for 24 h")
        let cache = try CallLogCache(url: dir.appendingPathComponent("call-logs"))
        let r = reader(s, cache)

        let cold = try await r.read(agentId: s.agentId)
        XCTAssertEqual(cold.records.count, total)
        XCTAssertEqual(cold.requests, (total + 99) / 100, "the largest page: one request per 100 calls")
        XCTAssertEqual(cold.newCalls, total)
        XCTAssertEqual(Set(cold.records.map(\.versionId)), [s.versionId])
        XCTAssertEqual(cold.records.map(\.time), cold.records.map(\.time).sorted(by: >), "newest first")

        let warm = try await r.read(agentId: s.agentId)
        XCTAssertEqual(warm.requests, 1, "nothing new costs one request")
        XCTAssertEqual(warm.newCalls, 0)
        XCTAssertEqual(warm.records.count, total)

        s.clock.advance(by: 3600)  // about 20 more calls
        let later = try await s.client.callLogs(s.agentId, page: 1, pageSize: 1).totalCount ?? 0
        let refreshed = try await r.read(agentId: s.agentId)
        XCTAssertEqual(refreshed.requests, 1)
        XCTAssertEqual(refreshed.newCalls, later - total)
        XCTAssertGreaterThan(refreshed.newCalls, 10)
        XCTAssertEqual(refreshed.records.count, later)

        // A second process opening the same file sees the same calls without fetching them again.
        let again = try await reader(s, try CallLogCache(url: dir.appendingPathComponent("call-logs"))).read(agentId: s.agentId)
        XCTAssertEqual(again.requests, 1)
        XCTAssertEqual(again.records.count, later)
    }

    func testWindowStartAndCallCapStopThePaging() async throws {
        let s = try await start()
        defer { Task { await s.sim.stop() } }
        let r = reader(s, try CallLogCache(url: nil))
        let capped = try await r.read(agentId: s.agentId, window: CallLogWindow(maxCalls: 150))
        XCTAssertEqual(capped.records.count, 150)
        XCTAssertEqual(capped.requests, 2)
        XCTAssertTrue(capped.truncated)

        let since = s.clock.now().addingTimeInterval(-2 * 3600)
        let recent = try await reader(s, try CallLogCache(url: nil)).read(agentId: s.agentId, window: CallLogWindow(since: since))
        XCTAssertEqual(recent.requests, 1, "two hours of calls fit one page")
        XCTAssertTrue(recent.records.allSatisfy { $0.time >= since.timeIntervalSince1970 })
        XCTAssertGreaterThan(recent.records.count, 30)
        XCTAssertLessThan(recent.records.count, 50)

        // Without a cache: the same calls, nothing kept.
        let plain = try await reader(s, nil).read(agentId: s.agentId, window: CallLogWindow(since: since))
        XCTAssertEqual(plain.records.map(\.callId), recent.records.map(\.callId))
    }

    /// A server that ignores `page` (always the same full page, no `totalCount`).
    struct SamePageTransport: HTTPTransport {
        let counter = Counter()
        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var n = 0
            func bump() { lock.lock(); n += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return n }
        }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            counter.bump()
            let calls = (0..<100).map { i in
                #"{"callId":"c\#(i)","callStatus":"completed","createdAt":"2026-08-21T09:\#(String(format: "%02d", 59 - i % 60)):00Z","versionId":"v1"}"#
            }
            let body = #"{"status":true,"success":true,"data":{"callLogs":[\#(calls.joined(separator: ","))]}}"#
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
        }
    }

    func testAServerThatIgnoresThePageDoesNotLoopForever() async throws {
        let transport = SamePageTransport()
        let client = AtomsClient(configuration: ClientConfiguration(baseURL: URL(string: "http://127.0.0.1:9/atoms/v1")!, apiKey: "k"),
                                 transport: transport)
        let now = Date(timeIntervalSince1970: CallRecord.parseTime("2026-08-21T10:00:00Z")!)
        let read = try await CallLogReader(client: client, cache: try CallLogCache(url: nil), now: { now }).read(agentId: "a")
        XCTAssertEqual(read.requests, 2, "the second page held nothing new: stop")
        XCTAssertEqual(transport.counter.value, 2)
        XCTAssertEqual(read.records.count, 100)
        XCTAssertTrue(read.truncated)
    }

    func testCacheFileIsPrivate() throws {
        let url = dir.appendingPathComponent("sub/call-logs")
        let cache = try CallLogCache(url: url)
        try cache.store([CallRecord(callId: "c", time: 1, versionId: nil, failed: false)], scope: "s", agentId: "a", coveredFrom: 0, fetchedAt: 1)
        let folder = try FileManager.default.attributesOfItem(atPath: url.path)
        XCTAssertEqual((folder[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(CallLogCache.fileName("s", "a")).path)
        XCTAssertEqual((file[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testUnreadableCacheIsAClearError() {
        let url = URL(fileURLWithPath: "/proc/atoms-no-such-dir/call-logs")
        XCTAssertThrowsError(try CallLogCache(url: url))
    }

    func testDefaultWindowStartsWhenThePreviousVersionWentLive() {
        func v(_ id: String, _ at: String?) -> AgentVersion {
            var row = AgentVersion(id: id, agent: "a", status: .published, versionNumber: 1, label: nil, isActive: false)
            row.activatedAt = at
            return row
        }
        let versions = [v("v3", "2026-08-20T10:00:00Z"), v("v2", "2026-08-18T10:00:00Z"), v("v1", "2026-08-01T10:00:00Z"), v("v0", nil)]
        XCTAssertEqual(CallLogWindow.defaultSince(versions: versions, activeVersionId: "v3"), Date(timeIntervalSince1970: CallRecord.parseTime("2026-08-18T10:00:00Z")!))
        // Rolled back to v2: the version before it is v1.
        XCTAssertEqual(CallLogWindow.defaultSince(versions: versions, activeVersionId: "v2"), Date(timeIntervalSince1970: CallRecord.parseTime("2026-08-01T10:00:00Z")!))
        XCTAssertNil(CallLogWindow.defaultSince(versions: [v("v1", "2026-08-01T10:00:00Z")], activeVersionId: "v1"))
        // The 7-day cap still applies.
        let now = Date(timeIntervalSince1970: CallRecord.parseTime("2026-08-21T10:00:00Z")!)
        let w = CallLogWindow(since: Date(timeIntervalSince1970: CallRecord.parseTime("2026-08-01T10:00:00Z")!))
        XCTAssertEqual(w.start(now: now), now.addingTimeInterval(-7 * 86_400))
    }
}
