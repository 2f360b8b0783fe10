/// A modal layer drawn over the panes; while open it receives every key.
public enum Overlay: Hashable, Sendable {
    /// The `?` help, generated from the keymap, scrolled by `scroll` lines.
    case help(scroll: Int)
    /// A y/N confirmation.
    case confirm(Confirmation)
    /// A one-line name input.
    case input(InputPrompt)
    /// "Resume your unsaved edit from PATH? [y/N]" before the editor opens.
    case resumeEdit(EditTarget, path: String)
    /// A conflicting save: e edit again on top of theirs, o overwrite, c/Esc cancel.
    case editConflict(EditTarget, EditConflict)
    /// `L`: a version's label and description.
    case versionMeta(VersionMetaPrompt)
    /// `3`: a draft's three-way review (base, draft, live).
    case threeWay(ThreeWayPanel)
    /// `D` on an agent with a pulled config file: the plan of that file (read-only).
    case text(TextPanel)
}
