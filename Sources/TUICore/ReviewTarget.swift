import Foundation
import AtomsModels

/// What a three-way review (and a rebase) is about, on TUICore's side (the Runtime maps it to the
/// client's `ReviewSubject`).
public enum ReviewTarget: Hashable, Sendable {
    /// v1: a draft, to be published over the active version.
    case draft(draftId: String)
    /// v2: a branch's open draft, to be published onto the branch's head.
    case branchDraft(branchId: String)
    /// v2: a branch about to be made live over the live branch.
    case makeLive(branchId: String)
}

/// A step of a rebase run from the TUI (`Msg.rebase`).
public enum RebaseEvent: Sendable {
    /// The first phase ran (v1: a new draft was forked from the active version with the draft's own
    /// changes; v2: the branch draft was re-opened on the head); `conflicts` fields changed on both
    /// sides now open in the editor. `rebase` is the Runtime's plan (opaque), carried by `.rebaseConflicts`.
    case needsEditor(conflicts: Int, newDraftName: String?, rebase: Carried)
    /// The editor rounds ended; the rebase is to be finished. `rebase` holds the plan and the editor's
    /// result, carried by `.finishRebase`.
    case edited(rebase: Carried)
    /// The rebase ended (done, cancelled or not verified).
    case finished(RebaseResult)
}

/// How a rebase ended, as plain data: what the status line says and what to select afterwards.
public struct RebaseResult: Sendable, Hashable {
    /// v1: the draft that was rebased and the new one (nil on v2, where the branch draft is rewritten).
    public var oldDraftId: String?
    public var oldDraftName: String?
    public var newDraftId: String?
    public var newDraftName: String?
    /// v2: the branch whose draft was rewritten.
    public var branchId: String?
    /// What it was rebased onto (`v12 (active)`, `main r5 (live)`); raw server text.
    public var onto: String
    /// True when the draft already was based on what is live (nothing was written).
    public var alreadyCurrent: Bool
    /// v1: the old draft was discarded after the new one verified.
    public var oldDraftDiscarded: Bool
    /// The final read-back matched.
    public var verified: Bool
    /// Why it did not complete, if it did not.
    public var cancelled: String?
    /// Paths carried over from the draft, and paths whose live value is now kept.
    public var carried: [String]
    public var keptLive: [String]
    /// The agent's drafts read after the rebase (v1), so the list shows the new draft at once.
    public var drafts: [AgentVersion]?

    /// Builds a result.
    public init(oldDraftId: String? = nil, oldDraftName: String? = nil, newDraftId: String? = nil, newDraftName: String? = nil,
                branchId: String? = nil, onto: String, alreadyCurrent: Bool = false, oldDraftDiscarded: Bool = false,
                verified: Bool, cancelled: String? = nil, carried: [String] = [], keptLive: [String] = [], drafts: [AgentVersion]? = nil) {
        self.oldDraftId = oldDraftId
        self.oldDraftName = oldDraftName
        self.newDraftId = newDraftId
        self.newDraftName = newDraftName
        self.branchId = branchId
        self.onto = onto
        self.alreadyCurrent = alreadyCurrent
        self.oldDraftDiscarded = oldDraftDiscarded
        self.verified = verified
        self.cancelled = cancelled
        self.carried = carried
        self.keptLive = keptLive
        self.drafts = drafts
    }
}
