/// A pulled config file (`*.atoms.yaml` in the directory the TUI started in) planned against what the
/// platform serves: the CLI's `plan` for one agent, in words. Agents with one other than `unchanged`
/// are marked in the agents pane; `D` on such an agent shows `lines` (read-only: pushing stays a CLI step).
public struct LocalConfigPlan: Hashable, Sendable {
    /// How the file, its base and the platform compare (the CLI's plan statuses).
    public enum Status: String, Hashable, Sendable {
        case unchanged, changes, drift, conflict, error

        /// The agents pane's mark.
        public var marker: String {
            switch self {
            case .unchanged: return ""
            case .changes: return "~"
            case .drift: return "≈"
            case .conflict: return "!"
            case .error: return "✗"
            }
        }

        /// In words, for the detail area.
        public var words: String {
            switch self {
            case .unchanged: return "matches what is live"
            case .changes: return "local changes to push"
            case .drift: return "the platform changed since the pull (drift)"
            case .conflict: return "CONFLICT: the file and the platform changed the same field"
            case .error: return "could not be planned"
            }
        }
    }

    /// The agent the file names.
    public var agentId: String
    /// The file's name (no directory).
    public var file: String
    /// How it compares.
    public var status: Status
    /// The plan in words (the CLI's `plan` output for this file), sanitized.
    public var lines: [String]

    /// A plan.
    public init(agentId: String, file: String, status: Status, lines: [String]) {
        self.agentId = agentId
        self.file = file
        self.status = status
        self.lines = lines
    }
}

/// A read-only text panel over the panes (`D` on an agent with a pulled file: its plan).
public struct PlanPanel: Hashable, Sendable {
    /// Title.
    public var title: String
    /// The lines (sanitized when drawn).
    public var lines: [DetailLine]
    /// First visible line.
    public var scroll = 0

    /// A panel.
    public init(title: String, lines: [DetailLine]) {
        self.title = title
        self.lines = lines
    }
}
