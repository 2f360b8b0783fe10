import AtomsModels

/// A row of the Drafts pane on v2: a branch with an open draft, or the "new draft on branch…" row
/// (which edits the draft of the branch History shows).
public enum BranchDraftRow: Hashable, Sendable {
    /// A branch whose draft is open.
    case draft(BranchSummary)
    /// Start a draft on this branch (the one History shows).
    case newDraft(BranchSummary?)
}
