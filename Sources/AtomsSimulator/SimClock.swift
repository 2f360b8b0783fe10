import Foundation

/// The simulator's source of time. Every rule that depends on time (security-check deadlines,
/// timestamps, rate-limit windows) reads it from here, so tests can drive time by hand.
public protocol SimClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: SimClock {
    /// Creates a wall clock.
    public init() {}
    /// The current wall-clock time.
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to: for tests (no sleeps).
public final class ManualClock: SimClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Creates a clock standing at `start` (default: 2026-08-21T10:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_787_306_400)) {
        current = start
    }

    /// The instant the clock stands at.
    public func now() -> Date {
        lock.lock(); defer { lock.unlock() }
        return current
    }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        lock.lock(); defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }

    /// Puts the clock at `date`.
    public func set(_ date: Date) {
        lock.lock(); defer { lock.unlock() }
        current = date
    }
}
