import Foundation

/// The success envelope every Atoms endpoint answers with: `{"status": true, "data": …}`.
public struct APIEnvelope<T: Codable & Sendable>: Codable, Sendable {
    /// Always `true` on success.
    public var status: Bool
    /// The payload.
    public var data: T

    /// Wraps a payload.
    public init(data: T) { self.status = true; self.data = data }
}

/// The error envelope: `{"status": false, "errors": [...], "error_type"?: …, "data"?: …}`.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    /// Always `false`.
    public var status: Bool
    /// The server's messages.
    public var errors: [String]
    /// The typed discriminator some 409/423 answers carry.
    public var errorType: ErrorType?
    /// Extra payload (the v2 draft-conflict body puts `conflict` here).
    public var data: JSONValue?
    /// Some gateways answer `message` instead of `errors`.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case status, errors, data, message
        case errorType = "error_type"
    }

    /// Builds an error body.
    public init(errors: [String], errorType: ErrorType? = nil, data: JSONValue? = nil) {
        self.status = false
        self.errors = errors
        self.errorType = errorType
        self.data = data
        self.message = nil
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = (try? c.decode(Bool.self, forKey: .status)) ?? false
        if let list = try? c.decode([String].self, forKey: .errors) {
            errors = list
        } else if let one = try? c.decode(String.self, forKey: .errors) {
            errors = [one]
        } else {
            errors = []
        }
        errorType = try? c.decodeIfPresent(ErrorType.self, forKey: .errorType)
        data = try? c.decodeIfPresent(JSONValue.self, forKey: .data)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
        if errors.isEmpty, let m = message { errors = [m] }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(errors, forKey: .errors)
        try c.encodeIfPresent(errorType, forKey: .errorType)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encodeIfPresent(message, forKey: .message)
    }
}

/// `error_type` values. Open: unknown values decode to `.unknown`.
public enum ErrorType: Sendable, Hashable, Codable, CustomStringConvertible {
    case versioningV2MigrationRequired
    case configFreezeActive
    case branchNameExists
    case sourceHasNoCommit
    case sourceScanning
    case publishInProgress
    case noCommittedRevision
    case securityCheckFailed
    case baseRevisionUnavailable
    case unknown(String)

    /// The wire string.
    public var rawValue: String {
        switch self {
        case .versioningV2MigrationRequired: return "versioning_v2_migration_required"
        case .configFreezeActive: return "config_freeze_active"
        case .branchNameExists: return "branch_name_exists"
        case .sourceHasNoCommit: return "source_has_no_commit"
        case .sourceScanning: return "source_scanning"
        case .publishInProgress: return "publish_in_progress"
        case .noCommittedRevision: return "no_committed_revision"
        case .securityCheckFailed: return "security_check_failed"
        case .baseRevisionUnavailable: return "base_revision_unavailable"
        case .unknown(let s): return s
        }
    }

    /// Parses a wire string.
    public init(rawValue: String) {
        switch rawValue {
        case "versioning_v2_migration_required": self = .versioningV2MigrationRequired
        case "config_freeze_active": self = .configFreezeActive
        case "branch_name_exists": self = .branchNameExists
        case "source_has_no_commit": self = .sourceHasNoCommit
        case "source_scanning": self = .sourceScanning
        case "publish_in_progress": self = .publishInProgress
        case "no_committed_revision": self = .noCommittedRevision
        case "security_check_failed": self = .securityCheckFailed
        case "base_revision_unavailable": self = .baseRevisionUnavailable
        default: self = .unknown(rawValue)
        }
    }

    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// The exact message the live API sends with `409 versioning_v2_migration_required`.
public let migrationRequiredMessage = "This endpoint is deprecated under the branch model. Use the /agents/:id/branches APIs — publish, make-live and config edits now happen on branches. If you are calling this via the MCP server, update the MCP tool to its branch-model version as well."
