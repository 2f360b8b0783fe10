import Foundation
import AtomsModels

/// The flavours of a v2 `409` the client tells apart (after the SDK's order: migration, rich
/// conflict, base revision unavailable, lean conflict, anything else).
public enum V2Conflict: Sendable, Equatable {
    /// `versioning_v2_migration_required`: a v1 endpoint on a v2 account.
    case migrationRequired
    /// `expectedRevision` conflict, from the rich or the lean body.
    case draftConflict(DraftConflict)
    /// `expectedRevision` names a revision the draft never had.
    case baseRevisionUnavailable
    /// `security_check_failed`: the draft failed its scan and was not edited since.
    case securityCheckFailed
    /// `publish_in_progress`: a publish or restore is running on the branch.
    case publishInProgress
    /// Any other 409 (`branch_name_exists`, `source_scanning`, restoring the head, …).
    case other(ErrorType?)
}

extension AtomsError {
    /// The v2 409 flavour, or nil when this is not a 409.
    public var v2Conflict: V2Conflict? {
        guard kind == .http, status == 409 else { return nil }
        if isMigrationRequired { return .migrationRequired }
        if errorType == .baseRevisionUnavailable || serverErrors.contains(DraftConflict.baseRevisionUnavailable) {
            return .baseRevisionUnavailable
        }
        switch errorType {
        case .securityCheckFailed?: return .securityCheckFailed
        case .publishInProgress?: return .publishInProgress
        case .some(let t): return .other(t)
        case nil: break
        }
        if let c = DraftConflict.parse(errors: serverErrors, errorType: nil, data: body?["data"]), method == "PUT" || c.isRich {
            return .draftConflict(c)
        }
        return .other(nil)
    }

    /// The draft conflict carried by a 409 of `PUT …/draft`, if that is what this is.
    public var draftConflict: DraftConflict? {
        if case .draftConflict(let c)? = v2Conflict { return c }
        return nil
    }
}
