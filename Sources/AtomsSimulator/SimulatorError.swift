import Foundation
import AtomsModels

/// An error answer of the simulated API: HTTP status, the `{"status":false,…}` body and any
/// extra headers (`Deprecation`, `Retry-After`).
public struct SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code.
    public var status: Int
    /// The body.
    public var body: ErrorEnvelope
    /// Extra response headers.
    public var headers: [String: String]

    /// Builds an error answer.
    public init(status: Int, errors: [String], errorType: ErrorType? = nil, headers: [String: String] = [:]) {
        self.status = status
        self.body = ErrorEnvelope(errors: errors, errorType: errorType)
        self.headers = headers
    }

    /// The messages of the body.
    public var errors: [String] { body.errors }

    /// One line: status and messages.
    public var description: String { "\(status) \(body.errors.joined(separator: "; "))" }

    static func badRequest(_ message: String) -> SimulatorError { .init(status: 400, errors: [message]) }
    static func notFound(_ message: String) -> SimulatorError { .init(status: 404, errors: [message]) }
    static func conflict(_ message: String) -> SimulatorError { .init(status: 409, errors: [message]) }

    /// `409 versioning_v2_migration_required` + `Deprecation: true`.
    static let migrationRequired = SimulatorError(
        status: 409, errors: [migrationRequiredMessage], errorType: .versioningV2MigrationRequired,
        headers: ["Deprecation": "true"])

    /// `423 config_freeze_active`.
    static let frozen = SimulatorError(
        status: 423, errors: ["Agent config changes are frozen for a maintenance window"], errorType: .configFreezeActive)

    static let agentNotFound = SimulatorError.notFound("Agent not found")
}

/// The simulator could not start with the given options (for example an invalid deny pattern).
public struct SimulatorConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Builds the error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
