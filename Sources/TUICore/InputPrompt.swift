/// A one-line name input (fork, rename). Enter submits, Esc cancels.
public struct InputPrompt: Hashable, Sendable {
    /// What the input is for.
    public enum Purpose: Hashable, Sendable {
        /// Fork a new draft from a version or a draft.
        case fork(agentId: String, sourceVersionId: String?, sourceDraftId: String?)
        /// Rename a draft.
        case rename(agentId: String, draftId: String)
        /// v2: create a branch at the head of `fromBranchId`.
        case newBranch(agentId: String, fromBranchId: String)
        /// v2: rename a branch.
        case renameBranch(agentId: String, branchId: String)
    }

    /// Dialog title.
    public var title: String
    /// The line above the input.
    public var label: String
    /// The text being edited.
    public var editor: LineEditor
    /// What happens on Enter.
    public var purpose: Purpose

    /// Builds a prompt.
    public init(title: String, label: String, editor: LineEditor, purpose: Purpose) {
        self.title = title
        self.label = label
        self.editor = editor
        self.purpose = purpose
    }
}
