import AtomsModels
import XCTest
@testable import AtomsClient

/// A clock that advances only when the watcher sleeps: no real waiting.
final class FakeClock: WatchClock, @unchecked Sendable {
    private let lock = NSLock()
    private var t: TimeInterval = 0
    private(set) var sleeps: [TimeInterval] = []
    func now() -> TimeInterval { lock.lock(); defer { lock.unlock() }; return t }
    func sleep(_ seconds: TimeInterval) async throws {
        try Task.checkCancellation()
        advance(seconds)
    }
    private func advance(_ seconds: TimeInterval) { lock.lock(); t += seconds; sleeps.append(seconds); lock.unlock() }
}

final class WatcherTests: XCTestCase {
    func row(_ status: SecurityCheckStatus, reason: String? = nil) -> AgentVersion {
        var v = AgentVersion(id: "0123456789abcdef01234567", agent: "a", status: .published, versionNumber: 2)
        v.securityCheck = SecurityCheck(status: status, reason: reason)
        return v
    }

    /// A check that passes at `passAt` seconds on the fake clock.
    func run(passAt: TimeInterval, expected: TimeInterval, timeout: TimeInterval = 120,
             failWith: String? = nil) async throws -> (events: [CheckProgress], clock: FakeClock) {
        let clock = FakeClock()
        let watcher = SecurityCheckWatcher(client: AtomsClient(configuration: ClientConfiguration(apiKey: "k")), clock: clock)
        let pending = row(.pending)
        let done = failWith == nil ? row(.passed) : row(.failed, reason: failWith)
        var events: [CheckProgress] = []
        let stream = watcher.watch(schedule: PollSchedule(expected: expected, timeout: timeout), initial: pending) {
            clock.now() >= passAt ? done : pending
        }
        for try await e in stream { events.append(e) }
        return (events, clock)
    }

    func testSixSecondCheckIsSeenWithinAQuarterSecondInFewRequests() async throws {
        let (events, clock) = try await run(passAt: 6.0, expected: 6.0)
        let last = try XCTUnwrap(events.last)
        XCTAssertEqual(last.phase, .passed)
        XCTAssertLessThanOrEqual(last.elapsed - 6.0, 0.25, "seen \(last.elapsed - 6.0) s after the pass")
        XCTAssertLessThanOrEqual(last.requests, 12, "requests: \(last.requests)")
        // Dense polling (≤ 250 ms) around the expected end; sparse before.
        XCTAssertTrue(clock.sleeps.first! >= 1.0, "first poll should be sparse: \(clock.sleeps)")
        XCTAssertTrue(clock.sleeps.suffix(3).allSatisfy { $0 <= 0.25 }, "dense near the end: \(clock.sleeps)")
    }

    func testSlowCheckBacksOffAfterTheDenseWindow() async throws {
        let (events, clock) = try await run(passAt: 30, expected: 6.0)
        XCTAssertEqual(events.last?.phase, .passed)
        XCTAssertLessThanOrEqual(events.last!.requests, 30)
        XCTAssertTrue(clock.sleeps.contains { $0 >= 2 }, "backs off after the estimate: \(clock.sleeps)")
    }

    func testTimeoutEndsWithTimedOut() async throws {
        let (events, _) = try await run(passAt: 1000, expected: 6, timeout: 20)
        XCTAssertEqual(events.last?.phase, .timedOut)
        XCTAssertLessThanOrEqual(events.last!.elapsed, 20.0001)
    }

    func testFailureCarriesReason() async throws {
        let (events, _) = try await run(passAt: 3, expected: 6, failWith: "prompt matched 'ignore previous instructions'")
        XCTAssertEqual(events.last?.phase, .failed)
        XCTAssertEqual(events.last?.reason, "prompt matched 'ignore previous instructions'")
    }

    func testTransientErrorsDoNotEndTheWatch() async throws {
        let clock = FakeClock()
        let watcher = SecurityCheckWatcher(client: AtomsClient(configuration: ClientConfiguration(apiKey: "k")), clock: clock)
        let counter = Counter()
        let passed = row(.passed)
        let stream = watcher.watch(schedule: PollSchedule(expected: 2, timeout: 60), initial: row(.pending)) {
            if counter.next() < 3 { throw AtomsError(kind: .http, status: 429, retryable: true) }
            return passed
        }
        var events: [CheckProgress] = []
        for try await e in stream { events.append(e) }
        XCTAssertEqual(events.last?.phase, .passed)
        XCTAssertEqual(events.filter { $0.transientError != nil }.count, 3)
    }

    func testCancellationStopsPolling() async throws {
        let clock = FakeClock()
        let watcher = SecurityCheckWatcher(client: AtomsClient(configuration: ClientConfiguration(apiKey: "k")), clock: clock)
        let counter = Counter()
        let pending = row(.pending)
        let task = Task {
            for try await _ in watcher.watch(schedule: PollSchedule(expected: 6, timeout: 1e9), initial: pending, read: { _ = counter.next(); return pending }) {
                if counter.value >= 5 { break }
            }
        }
        _ = try await task.value
        let after = counter.value
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertLessThanOrEqual(counter.value, after + 1, "no polling after the consumer left")
    }

    func testScheduleNeverPassesTimeout() {
        let s = PollSchedule(expected: 6, timeout: 10)
        var t: TimeInterval = 0
        var n = 0
        while t < 10 && n < 1000 { t += s.delay(afterElapsed: t); n += 1 }
        XCTAssertLessThanOrEqual(t, 10.0001)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func next() -> Int { lock.lock(); defer { lock.unlock() }; let v = n; n += 1; return v }
}
