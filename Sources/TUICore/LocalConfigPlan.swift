/// A pulled config file (`*.atoms.yaml` in the directory the TUI started in) planned against what the
/// platform serves: the CLI's `plan` for one agent, in words. Agents with one other than `unchanged`
/// are marked in the agents pane; `D` on such an agent shows `lines` (read-only: pushing stays a CLI step).
public struct LocalConfigPlan: Hashable, Sendable {
    /// How the file, its base and the platform compare (the CLI's plan statuses; new and missing files
    /// do not name an agent here and count as `error`).
    public enum Status: String, Hashable, Sendable {
        case unchanged, changes, drift, conflict, error
    }

    /// The agent the file names.
    public var agentId: String
    /// The file's name (no directory).
    public var file: String
    /// How it compares.
    public var status: Status
    /// The plan's mark for it (`≈`, `~`, `!`, …) and its state in words, as `atoms-tui plan` prints them.
    public var marker: String
    public var title: String
    /// The plan in words (the CLI's `plan` output for this file), sanitized.
    public var lines: [String]

    /// A plan.
    public init(agentId: String, file: String, status: Status, marker: String, title: String, lines: [String]) {
        self.agentId = agentId
        self.file = file
        self.status = status
        self.marker = marker
        self.title = title
        self.lines = lines
    }
}
