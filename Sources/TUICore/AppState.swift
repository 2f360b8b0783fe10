import Foundation
import AtomsModels

/// Everything the TUI shows, as plain values. Changed only by `update`; drawn by `render`.
public struct AppState: Sendable {
    // MARK: Session
    /// Running against the in-process demo simulator (the status line says DEMO).
    public var isDemo: Bool
    /// The History/Drafts area of the API generation in use (v1 versions and drafts, or v2
    /// branches and revisions); `apiGeneration`, `versions`, `drafts` and `branches` read it.
    public var area: LifecycleArea
    /// Who is signed in (an account or key label); shown on the status line.
    public var accountLabel: String
    /// `--read-only`: every write key is disabled and says why.
    public var readOnly: Bool
    /// The clock, moved by `.tick`; ages are computed against it.
    public var now: Date
    /// The terminal size, from `.resized`.
    public var size: Size
    /// Rows per page of the agents list.
    public var agentPageSize: Int
    /// Rows per page of the versions list.
    public var versionPageSize: Int

    // MARK: Focus and panes
    /// The focused pane.
    public var focus: Pane = .agents
    /// The list pane the detail area follows (the last focused list).
    public var detailOwner: Pane = .agents
    /// Cursor and scroll of each list pane.
    public var positions: [Pane: ListPosition] = [:]
    /// The Agents pane's order (`s`).
    public var agentSort: AgentSort = .server
    /// The Versions (History) pane's order (`s`).
    public var versionSort: VersionSort = .number
    /// The filter text of each list pane (empty = no filter).
    public var filters: [Pane: String] = [:]
    /// The pane whose filter is being typed, with its editor.
    public var filterEditor: (pane: Pane, editor: LineEditor)?

    // MARK: Agents
    /// Agents loaded so far through the plain list (in server order).
    public var agents: [Agent] = []
    /// Pages of the plain list loaded so far.
    public var agentPagesLoaded: Int = 0
    /// The plain list has more pages.
    public var agentsHasMore: Bool = true
    /// The server's total agent count, once known.
    public var agentsTotal: Int?
    /// A page of the plain list is loading.
    public var agentsLoading: Bool = false
    /// Why the agents list could not be loaded (shown in the pane instead of "No agents").
    public var agentsError: EffectFailure?
    /// The server search's results for `agentSearchQuery`.
    public var agentSearchResults: [Agent] = []
    /// The query the search results belong to (the agents filter when they were asked for).
    public var agentSearchQuery: String?
    /// A server search is running.
    public var agentSearchLoading: Bool = false
    /// The agent whose versions and drafts are shown.
    public var selectedAgentId: String?
    /// Draft counts and active version numbers learned per agent.
    public var stats: [String: AgentStats] = [:]
    /// Release health per agent (the call logs' figures per version; loaded after its versions).
    public var health: [String: HealthLoad] = [:]

    // MARK: Versions, drafts, branches
    // In `area` (see LifecycleArea.swift): `versions`, `drafts`, `branches`, `selectedBranchIds`.
    /// Agents whose versions/drafts are cached, most recent last (the cache keeps a few, so memory
    /// follows what was looked at lately, not everything ever visited).
    public var recentAgents: [String] = []

    // MARK: Configs as code
    /// The directory whose `*.atoms.yaml` files are planned against the platform (the one the TUI
    /// started in); nil: none.
    public var localConfigDir: String?
    /// The plans of those files, by agent id.
    public var localPlans: [String: LocalConfigPlan] = [:]
    /// v2: a branch whose draft row the Drafts cursor moves to when the branches next arrive (a new branch
    /// draft was just saved).
    public var branchDraftToSelect: String?

    // MARK: Detail
    /// Prepared config lines per version or draft.
    public var configs: [ConfigRef: LoadState<[DetailLine]>] = [:]
    /// The config being loaded.
    public var configInFlight: ConfigRef?
    /// A config wanted by the cursor, loaded once the cursor rests (debounced by `.tick`).
    public var configWanted: (ref: ConfigRef, since: Date)?
    /// The agent whose release health is wanted, read once it has stayed selected for `healthDebounce`
    /// (walking down the agents list reads no call logs for the agents passed over).
    public var healthWanted: (agentId: String, since: Date)?
    /// The diff on display, if any (Esc closes it).
    public var diff: DiffView?
    /// The item marked with `D`.
    public var mark: Mark?
    /// First visible line of the detail area.
    public var detailScroll: Int = 0
    /// The last config the detail area showed in full: kept on screen (its title says what is loading)
    /// while the next item's config loads, so one cursor move redraws the list rows, not the detail.
    public var detailHeld: HeldDetail?

    // MARK: Overlays and status
    /// The modal layer, if any.
    public var overlay: Overlay?
    /// The status line message.
    public var status: StatusMessage?
    /// What the write in flight is doing (one at a time), shown on the status line.
    public var writeInFlight: String?
    /// The draft edit in flight (from `e` until its outcome is on the status line).
    public var editing: EditTarget?
    /// The Runtime's session of that edit (opaque: what the last `.edit` event brought), handed back in
    /// `.editDraft`, `.saveEdit` and `.abandonEdit`. Nil until `.begun` and once the edit is over.
    public var editSession: Carried?
    /// The publish flow on screen (review, progress panel, activation question), if any.
    public var publish: PublishFlow?
    /// Security-check watches being followed (foreground and background), by watch id.
    public var watches: [Int: WatchedCheck] = [:]
    /// The last watch id handed out.
    public var lastWatchId: Int = 0
    /// v2: branches whose scan the person asked to cancel (a watch ending meanwhile is not a failure).
    public var cancellingScans: Set<String> = []
    /// Versions and revisions published from this session (the server's answer names the publisher by
    /// id only; the detail says "you" for these).
    public var publishedHere: Set<String> = []
    /// Set by `q`; the Runtime stops after the `.quit` effect.
    public var quitting: Bool = false

    // MARK: Message log and search
    /// Every status message and error of the session, in full (`M`).
    public var messageLog = MessageLog()
    /// Details for the log entry of the status message being set (a failure's whole reason, a copied text);
    /// taken by `update` when it logs the message.
    public var logDetails: [String]?
    /// The offset from UTC, in seconds, of the message log's clock times (the Runtime sets the local one at
    /// start). An offset rather than a `TimeZone`: Foundation's time zones load ICU's data into memory.
    public var utcOffsetSeconds: Int = 0
    /// The terminal has no UTF-8 locale (`LANG=C`): borders, marks and emoji are drawn in ASCII (set by the Runtime
    /// from what the Terminal layer found).
    public var asciiOnly: Bool = false
    /// Live refresh: seconds between background reads (nil: off, `--no-watch`).
    public var watchInterval: TimeInterval?
    /// When the lists on screen were last read (the status line says "updated 12 s ago").
    public var lastRefreshed: Date?
    /// Rows that appeared when an already shown list was read again (made elsewhere), until when they are
    /// marked as new.
    public var freshRows: [String: Date] = [:]
    /// The search inside the detail area (`/` with the detail area focused), if any.
    public var detailSearch: TextSearch?

    /// A fresh state: nothing loaded, the first frame shows the loading state.
    public init(isDemo: Bool = false, apiGeneration: APIGeneration = .v1, accountLabel: String = "", readOnly: Bool = false,
                now: Date = Date(timeIntervalSince1970: 0), size: Size = Size(width: 80, height: 24),
                agentPageSize: Int = 50, versionPageSize: Int = 50) {
        self.isDemo = isDemo
        self.area = LifecycleArea(apiGeneration)
        self.accountLabel = accountLabel
        self.readOnly = readOnly
        self.now = now
        self.size = size
        self.agentPageSize = agentPageSize
        self.versionPageSize = versionPageSize
    }
}
