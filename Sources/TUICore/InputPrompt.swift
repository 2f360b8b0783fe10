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
    /// Enter was pressed and the server has not answered yet (the dialog stays until it has).
    public var pending: Bool = false
    /// Why the server refused the last name (shown in the dialog; the text is kept).
    public var error: String?

    /// Builds a prompt.
    public init(title: String, label: String, editor: LineEditor, purpose: Purpose) {
        self.title = title
        self.label = label
        self.editor = editor
        self.purpose = purpose
    }
}
