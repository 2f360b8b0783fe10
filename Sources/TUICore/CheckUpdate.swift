import Foundation
import AtomsModels

/// One observation of a running security check, as the Runtime reports it from the client's watch
/// (TUICore mirrors the fields it needs and stays free of the client).
public struct CheckUpdate: Hashable, Sendable {
    /// Where the watch stands.
    public enum Phase: Hashable, Sendable {
        case checking, passed, failed, timedOut
    }

    /// Where the watch stands.
    public var phase: Phase
    /// Seconds since the watch started.
    public var elapsed: TimeInterval
    /// The expected duration (median of this account's recent checks, 6 s at first).
    public var expected: TimeInterval
    /// The last `securityCheck.status` the server reported.
    public var status: SecurityCheckStatus
    /// The failure reason, when failed.
    public var reason: String?
    /// The last version row read.
    public var version: AgentVersion?
    /// Requests the watch has sent so far.
    public var requests: Int
    /// A transient problem on the last poll (the watch goes on).
    public var transientError: String?

    /// Builds an update.
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
