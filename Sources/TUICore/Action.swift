/// What a key does on the main screen (outside overlays and text inputs).
public enum Action: String, Hashable, Sendable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case focusNext, focusPrev, open, back
    case filter, help, refresh, quit, suspend, repaint
    case messageLog, searchNext, copyId, copyConfig
    case jumpAgents, jumpVersions, jumpDrafts, sort
    case diff, mark, threeWay
    case fork, rename, discard, pin, activate
    case edit, publish, publishAndActivate, editMeta
    case prevBranch, nextBranch, cancelScan, restore, makeLive, newBranch, archiveBranch

    /// True for actions that change server state (disabled in read-only mode). Exhaustive: a new action
    /// is classed here on purpose, never read-only by default.
    public var isWrite: Bool {
        switch self {
        case .fork, .rename, .discard, .pin, .activate, .edit, .publish, .publishAndActivate, .editMeta: return true
        case .cancelScan, .restore, .makeLive, .newBranch, .archiveBranch: return true
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom, .focusNext, .focusPrev, .open, .back,
             .filter, .help, .refresh, .quit, .suspend, .repaint, .messageLog, .searchNext, .copyId, .copyConfig,
             .jumpAgents, .jumpVersions, .jumpDrafts, .sort, .diff, .mark, .threeWay, .prevBranch, .nextBranch:
            return false
        }
    }
}
