import Foundation
import AtomsModels

/// One call of `PATCH …/versions/{versionId}/activate`, recorded whether it succeeded or not, so
/// tests can prove that nothing was activated before its security check passed.
public struct ActivationAttempt: Sendable, Hashable, Codable {
    /// The version the caller asked to activate.
    public var versionId: String
    /// When the attempt was made (simulator clock).
    public var at: Date
    /// The version's security-check status at that moment (`nil` when the version was unknown).
    public var checkStatusAtThatMoment: SecurityCheckStatus?
    /// Whether the version became (or already was) active.
    public var succeeded: Bool

    /// Builds a record.
    public init(versionId: String, at: Date, checkStatusAtThatMoment: SecurityCheckStatus?, succeeded: Bool) {
        self.versionId = versionId
        self.at = at
        self.checkStatusAtThatMoment = checkStatusAtThatMoment
        self.succeeded = succeeded
    }
}
