import Foundation

/// `securityCheck.status`. Open: unknown values decode to `.unknown` and count as still running.
public enum SecurityCheckStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case pending, queued, passed, failed, errored
    case unknown(String)

    /// The wire string.
    public var rawValue: String {
        switch self {
        case .pending: return "pending"
        case .queued: return "queued"
        case .passed: return "passed"
        case .failed: return "failed"
        case .errored: return "errored"
        case .unknown(let s): return s
        }
    }

    /// Parses a wire string (case-insensitive; the docs also write `FAILED`).
    public init(rawValue: String) {
        switch rawValue.lowercased() {
        case "pending": self = .pending
        case "queued": self = .queued
        case "passed": self = .passed
        case "failed": self = .failed
        case "errored": self = .errored
        default: self = .unknown(rawValue)
        }
    }

    public init(from decoder: Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
    public var description: String { rawValue }

    /// `passed`: the version may be activated.
    public var isPassed: Bool { self == .passed }
    /// `failed` or `errored`: final, the version can never be activated.
    public var isFailure: Bool { self == .failed || self == .errored }
    /// Anything not final (pending, queued, unknown values) counts as still running.
    public var isRunning: Bool { !isPassed && !isFailure }
}

/// The `securityCheck` object on a version or revision.
public struct SecurityCheck: Codable, Sendable, Hashable {
    /// The check's state.
    public var status: SecurityCheckStatus
    /// Why it failed, when it did.
    public var reason: String?
    /// When it started (ISO 8601).
    public var triggeredAt: String?
    /// When it finished (ISO 8601).
    public var completedAt: String?

    /// Builds a check record.
    public init(status: SecurityCheckStatus, reason: String? = nil, triggeredAt: String? = nil, completedAt: String? = nil) {
        self.status = status
        self.reason = reason
        self.triggeredAt = triggeredAt
        self.completedAt = completedAt
    }
}
