/// A focusable area of the main screen.
public enum Pane: String, Hashable, Sendable, CaseIterable {
    case agents, versions, drafts, detail

    /// The pane's title.
    public var title: String {
        switch self {
        case .agents: return "Agents"
        case .versions: return "Versions"
        case .drafts: return "Drafts"
        case .detail: return "Detail"
        }
    }

    /// The three list panes, left to right.
    public static let lists: [Pane] = [.agents, .versions, .drafts]
}
