import Foundation

/// Which versioning API an account is on.
public enum APIGeneration: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Drafts + versions (publish, then activate).
    case v1
    /// Branches + revisions (`ENABLE_BRANCH_MODEL`).
    case v2

    /// `v1` or `v2`.
    public var description: String { rawValue }
    /// A longer name for messages.
    public var title: String { self == .v1 ? "v1 (drafts + versions)" : "v2 (branches + revisions)" }
}
