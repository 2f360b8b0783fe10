/// A modal layer drawn over the panes; while open it receives every key.
public enum Overlay: Hashable, Sendable {
    /// The `?` help, generated from the keymap (scroll and search in the panel).
    case help(TextPanel)
    /// `M`: the message log, every status message and error in full with its time.
    case messageLog(TextPanel)
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
    case plan(TextPanel)
}

/// A scrollable, searchable text overlay's own state (the help, the message log).
public struct TextPanel: Hashable, Sendable {
    /// First visible line.
    public var scroll: Int
    /// The search inside it, if any.
    public var search: TextSearch?

    /// A panel scrolled to `scroll`.
    public init(scroll: Int = 0, search: TextSearch? = nil) {
        self.scroll = scroll
        self.search = search
    }
}

/// Which text overlay.
public enum TextPanelKind: Hashable, Sendable {
    case help, messageLog, plan
}
