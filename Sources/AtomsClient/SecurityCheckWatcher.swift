import Foundation
import AtomsModels

/// A monotonic clock the watcher reads and sleeps on; injectable so tests run without waiting.
public protocol WatchClock: Sendable {
    /// Seconds on a monotonic scale.
    func now() -> TimeInterval
    /// Sleeps (cancellable).
    func sleep(_ seconds: TimeInterval) async throws
}

/// The real clock.
public struct SystemWatchClock: WatchClock {
    /// Builds the system clock.
    public init() {}
    public func now() -> TimeInterval { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    public func sleep(_ seconds: TimeInterval) async throws {
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
    }
}

/// When to poll a security check: sparse early, dense (every `denseInterval`) around the expected
/// end, backing off after it, never past `timeout`.
public struct PollSchedule: Sendable, Equatable {
    /// The expected check duration (seconds).
    public var expected: TimeInterval
    /// The overall cap (seconds from the publish).
    public var timeout: TimeInterval
    /// Spacing in the dense window.
    public var denseInterval: TimeInterval = 0.22
    /// Longest spacing after the dense window.
    public var maxInterval: TimeInterval = 5

    /// Builds a schedule.
    public init(expected: TimeInterval, timeout: TimeInterval) {
        self.expected = max(0.5, expected)
        self.timeout = timeout
    }

    /// The dense window: from 85 % to 125 % of the expected duration.
    public var denseStart: TimeInterval { expected * 0.85 }
    public var denseEnd: TimeInterval { expected * 1.25 }

    /// How long to wait before the next poll when `elapsed` seconds have passed since publishing.
    public func delay(afterElapsed elapsed: TimeInterval) -> TimeInterval {
        let d: TimeInterval
        if elapsed < denseStart {
            // At most two sparse polls before the dense window.
            let step = denseStart / 2.5
            d = min(max(step, denseInterval), denseStart - elapsed)
        } else if elapsed < denseEnd {
            d = denseInterval
        } else {
            let over = elapsed - denseEnd
            d = min(maxInterval, max(0.5, over * 0.6))
        }
        return max(0.05, min(d, max(0.05, timeout - elapsed)))
    }
}

/// Watches a v1 version's security check with the adaptive schedule, as an `AsyncSequence`.
public struct SecurityCheckWatcher: Sendable {
    let client: AtomsClient
    let clock: any WatchClock

    /// Builds a watcher.
    public init(client: AtomsClient, clock: any WatchClock = SystemWatchClock()) {
        self.client = client
        self.clock = clock
    }

    /// Polls `GET /agent/{id}/versions/{versionId}` until the check passes, fails, or `timeout` passes.
    /// The stream ends after a `.passed`, `.failed` or `.timedOut` element. Transient errors
    /// (network, 5xx, 429) are reported in `transientError` and do not end the watch; other errors do.
    public func watch(agentId: String, versionId: String, expected: TimeInterval, timeout: TimeInterval,
                      initial: AgentVersion? = nil) -> AsyncThrowingStream<CheckProgress, Error> {
        let schedule = PollSchedule(expected: expected, timeout: timeout)
        return watch(schedule: schedule, initial: initial) {
            try await client.getVersion(agentId, versionId).version
        }
    }

    /// The generic loop: `read` fetches the current row. Shared by v1 versions and future v2 revisions.
    public func watch(schedule: PollSchedule, initial: AgentVersion?,
                      read: @escaping @Sendable () async throws -> AgentVersion) -> AsyncThrowingStream<CheckProgress, Error> {
        let clock = self.clock
        return AsyncThrowingStream { continuation in
            let task = Task {
                let start = clock.now()
                var requests = 0
                var last = initial
                var status = initial?.securityCheck?.status ?? .pending
                func emit(_ phase: CheckProgress.Phase, transient: String? = nil) {
                    continuation.yield(CheckProgress(phase: phase, elapsed: clock.now() - start, expected: schedule.expected,
                                                     status: status, reason: last?.securityCheck?.reason, version: last,
                                                     requests: requests, transientError: transient))
                }
                do {
                    if let s = initial?.securityCheck?.status, !s.isRunning {
                        emit(s.isPassed ? .passed : .failed)
                        continuation.finish()
                        return
                    }
                    if initial?.securityCheck == nil && initial != nil {
                        // workflow_graph / pre-feature versions carry no check: nothing to wait for.
                        status = .passed
                        emit(.passed)
                        continuation.finish()
                        return
                    }
                    emit(.checking)
                    while true {
                        let elapsed = clock.now() - start
                        if elapsed >= schedule.timeout {
                            emit(.timedOut)
                            break
                        }
                        try await clock.sleep(schedule.delay(afterElapsed: elapsed))
                        try Task.checkCancellation()
                        requests += 1
                        do {
                            let row = try await read()
                            last = row
                            guard let check = row.securityCheck else {
                                status = .passed
                                emit(.passed)
                                break
                            }
                            status = check.status
                            if check.status.isPassed { emit(.passed); break }
                            if check.status.isFailure { emit(.failed); break }
                            emit(.checking)
                        } catch let e as AtomsError where e.retryable {
                            emit(.checking, transient: e.description)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
