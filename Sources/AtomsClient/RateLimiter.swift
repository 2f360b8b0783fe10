import Foundation

/// The client-side limiter that keeps bulk work under the account's request rate: a token bucket
/// (GCRA form) whose rate and burst sit a little under the account's limit so that even a
/// fixed one-second server window never sees more than the limit: rate 0.88 × limit, burst
/// 0.1 × limit (at least 1), i.e. at most 0.98 × limit in any second — close enough to the limit
/// that bulk work takes ≤ 1.2× the minimum time the limit allows (BENCHMARKS.md, `plan` on the Free
/// plan), with a margin of a few tens of milliseconds of network jitter at the Free rate.
///
/// Without a known limit it is adaptive: it does not hold anything back until the first `429`, then
/// works under the limit the answer reveals (`rateLimit.limit`), else under the documented plan rate the
/// server was seen to accept — the requests sent in the last second minus those refused in it, snapped
/// down to Pro (100/s) or Free (10/s) — and each further refusal can only lower it. (Starting at 10/s would slow every
/// Pro account tenfold; falling back to 10/s on a Pro account would too. The first 429s cost a retry.)
/// Waiting reserves a slot, so concurrent callers queue fairly and a sleeping caller never spins.
public final class RateLimiter: @unchecked Sendable {
    /// The documented plan rates.
    public static let freeRate: Double = 10
    public static let proRate: Double = 100

    private let lock = NSLock()
    /// nil: adaptive and not throttled yet (nothing held back).
    private var limit: Double?
    /// The theoretical arrival time of the next request (seconds on `now`'s scale).
    private var tat: TimeInterval = 0
    /// Send times of the last second (for the adaptive estimate).
    private var sent: [TimeInterval] = []
    /// Times of the `429`s of the last second.
    private var refused: [TimeInterval] = []
    private let now: @Sendable () -> TimeInterval
    private let sleep: @Sendable (TimeInterval) async throws -> Void

    /// A limiter for `limit` requests per second (nil: adaptive). `now` is a monotonic clock in
    /// seconds and `sleep` waits on it (both injectable; the pacing waits are not the client's retry
    /// waits, which go through its own sleeper).
    public init(limit: Double?, now: @escaping @Sendable () -> TimeInterval = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1e9)) }) {
        self.limit = limit.map { max(1, $0) }
        self.now = now
        self.sleep = sleep
    }

    /// Waits for a slot (at once while nothing is held back).
    public func acquire() async throws {
        let wait = reserve()
        if wait > 0 { try await sleep(wait) }
    }

    /// The account limit the limiter works under (requests per second).
    public var currentLimit: Double? {
        lock.lock(); defer { lock.unlock() }
        return limit
    }

    /// How long the caller must wait before sending (0: at once); the slot is reserved.
    public func reserve() -> TimeInterval {
        lock.lock(); defer { lock.unlock() }
        let t = now()
        guard let limit else {
            record(t)
            return 0
        }
        let rate = limit * 0.88
        let interval = 1 / rate
        let burst = max(1, (limit * 0.1).rounded(.down))
        let tau = (burst - 1) * interval
        let start = max(tat, t)
        let wait = max(0, start - t - tau)
        tat = start + interval
        record(t + wait)
        return wait
    }

    /// Remembers a send time (the last second's are what the adaptive estimate counts).
    private func record(_ t: TimeInterval) {
        sent.append(t)
        if sent.count > 4096 { sent.removeAll { $0 <= t - 1 } }
    }

    /// A `429` arrived: adopt the limit it names, or (nothing named) the rate the server was seen to
    /// accept over the last second, at least the Free rate; a limit only ever goes down.
    /// Returns true when the limit changed.
    @discardableResult
    public func throttled(revealedLimit: Double?) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let target: Double
        if let revealedLimit, revealedLimit >= 1 {
            target = revealedLimit
        } else {
            // The rate the server accepted over the last second: what was sent in it, less what it refused.
            let t = now()
            refused.append(t)
            sent.removeAll { $0 <= t - 1 }
            refused.removeAll { $0 <= t - 1 }
            let sentLastSecond = sent.lazy.filter { $0 <= t }.count
            // Snapped down to a documented plan rate: a burst that straddles the boundary of the server's
            // one-second window gets up to twice the limit through, so the raw count overestimates (16
            // accepted on Free made the limiter run at 16/s and meet more 429s).
            target = Double(sentLastSecond - refused.count) >= Self.proRate ? Self.proRate : Self.freeRate
        }
        if let limit, target >= limit { return false }
        limit = target
        // Start the slower pace from now: forget the slots reserved at the old rate.
        tat = now()
        return true
    }
}
