import Foundation

extension AgentVersion {
    /// The v2 name of a revision: `r3` (also for migrated v1 versions, which keep their `versionNumber`),
    /// the state of one not committed yet, else `displayNumber`.
    public var revisionLabel: String {
        if let r = revisionNumber { return "r\(r)" }
        if branch != nil && status == .draft { return securityCheck?.status.isFailure == true ? "(failed)" : "(scanning)" }
        return displayNumber
    }

    /// The label people see: the version's own label, else "restored from …" for a restored
    /// revision (whose label the server leaves empty), else nil.
    public var shownLabel: String? {
        if let l = label, !l.isEmpty { return l }
        return restoredFromLabel.map { "restored from \($0)" }
    }
}
