import Foundation

extension AgentVersion {
    /// The v2 name of a revision: `r3` (also for migrated v1 versions, which keep their `versionNumber`),
    /// the state of one not committed yet, else `displayNumber`.
    public var revisionLabel: String {
        if let r = revisionNumber { return "r\(r)" }
        if branch != nil && status == .draft { return securityCheck?.status.isFailure == true ? "(failed)" : "(scanning)" }
        return displayNumber
    }
}
