import Foundation

/// Shared by the client's watcher (which produces it) and the TUI core (which draws it).
/// One observation of a running security check.
public struct CheckProgress: Sendable, Hashable {
    /// Where the watch stands.
    public enum Phase: Sendable, Hashable {
        case checking
        case passed
        case failed
        case timedOut
    }
    public var phase: Phase
    /// Seconds since the watch started.
    public var elapsed: TimeInterval
    /// The expected duration used for the schedule.
    public var expected: TimeInterval
    /// The last status the server reported.
    public var status: SecurityCheckStatus
    /// The failure reason, when failed.
    public var reason: String?
    /// The last version row read.
    public var version: AgentVersion?
    /// Requests sent by this watch so far.
    public var requests: Int
    /// A transient problem seen on the last poll (the watch goes on).
    public var transientError: String?

    /// Builds an observation.
    public init(phase: Phase, elapsed: TimeInterval, expected: TimeInterval, status: SecurityCheckStatus, reason: String? = nil,
                version: AgentVersion? = nil, requests: Int = 0, transientError: String? = nil) {
        self.phase = phase
        self.elapsed = elapsed
        self.expected = expected
        self.status = status
        self.reason = reason
        self.version = version
        self.requests = requests
        self.transientError = transientError
    }
}
