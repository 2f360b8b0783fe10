import Foundation

/// What may be done to a v2 branch, judged locally before anything is sent (shared by the CLI and the TUI):
/// the default branch is never renamed or archived, and the live branch is not archived.
public enum BranchRules {
    /// Why `b` cannot be renamed (`archive: false`) or archived (`archive: true`), or nil when it can.
    /// `name` is how the caller shows the branch (the TUI: `branch "main"`); `makeLiveHint`, when given, is
    /// how to make another branch live, added in parentheses (the TUI: `m`).
    ///
    /// - "<name> is the default branch: it cannot be renamed" / "… archived"
    /// - "<name> is live: make another branch live first (<makeLiveHint>)"
    public static func whyNotManageable(_ b: BranchSummary, archive: Bool, name: String, makeLiveHint: String? = nil) -> String? {
        if b.branch.isDefault { return "\(name) is the default branch: it cannot be \(archive ? "archived" : "renamed")" }
        if archive && b.isLive {
            return "\(name) is live: make another branch live first" + (makeLiveHint.map { " (\($0))" } ?? "")
        }
        return nil
    }
}
