import Foundation

/// v2 `Revision`: the same document as a v1 `AgentVersion`, with `branch`, `revisionNumber`,
/// `restoredFrom…` and `pendingPublish` set.
public typealias Revision = AgentVersion

/// `PublishResult.state`. Open.
public enum PublishState: Sendable, Hashable, Codable, CustomStringConvertible {
    /// HTTP 202: the security scan runs; poll the branch's revisions.
    case scanning
    /// HTTP 200: the revision is committed (`revision` is set).
    case committed
    case unknown(String)

    /// The wire string.
    public var rawValue: String {
        switch self {
        case .scanning: return "scanning"
        case .committed: return "committed"
        case .unknown(let s): return s
        }
    }
    /// Parses a wire string.
    public init(rawValue: String) {
        switch rawValue {
        case "scanning": self = .scanning
        case "committed": self = .committed
        default: self = .unknown(rawValue)
        }
    }
    public init(from decoder: Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
    public var description: String { rawValue }
}

/// The answer of a v2 publish or restore: `{state, revision?}`.
public struct PublishResult: Codable, Sendable, Hashable {
    public var state: PublishState
    /// The committed revision (only with `committed`; absent with `scanning`).
    public var revision: Revision?

    /// Builds a result.
    public init(state: PublishState, revision: Revision? = nil) {
        self.state = state
        self.revision = revision
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(revision, forKey: .revision)
    }
}

/// `POST /agent/{id}/branches/{branchId}/draft/publish` body.
public struct PublishBranchDraftRequest: Codable, Sendable, Equatable {
    /// Saved on the committed revision (≤ 200 characters).
    public var label: String?
    /// Builds a request (a nil label is omitted: the API rejects explicit nulls on some fields).
    public init(label: String? = nil) { self.label = label }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(label, forKey: .label)
    }
}

/// `POST …/draft/publish/cancel` data: `{cancelled: true}`.
public struct CancelPublishResult: Codable, Sendable, Equatable {
    public var cancelled: Bool
    /// Builds a result.
    public init(cancelled: Bool = true) { self.cancelled = cancelled }
}

/// `DELETE …/branches/{branchId}/draft` data: `{discarded: true}`.
public struct DiscardDraftResult: Codable, Sendable, Equatable {
    public var discarded: Bool
    /// Builds a result.
    public init(discarded: Bool = true) { self.discarded = discarded }
}
