import AtomsModels

/// The one keymap table. Everything that lists keys (footer legend, `?` help) reads it, and
/// `update` dispatches through it, so a key cannot be documented without existing or vice versa.
public enum Keymap {
    /// Every binding, in legend/help order.
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.char("q")], label: "q", action: .quit, short: "quit", help: "Quit (the terminal is restored)", inLegend: true),
        KeyBinding(keys: [.char("?")], label: "?", action: .help, short: "help", help: "Show this help", inLegend: true),
        KeyBinding(keys: [.up, .char("k")], label: "↑/k", action: .moveUp, short: "up", help: "Move up (scroll up in the detail area)"),
        KeyBinding(keys: [.down, .char("j")], label: "↓/j", action: .moveDown, short: "down", help: "Move down (scroll down in the detail area)"),
        KeyBinding(keys: [.tab, .right, .char("l")], label: "Tab/→/l", action: .focusNext, short: "pane", help: "Focus the next pane", inLegend: true),
        KeyBinding(keys: [.backTab, .left, .char("h")], label: "S-Tab/←/h", action: .focusPrev, short: "back pane", help: "Focus the previous pane"),
        KeyBinding(keys: [.pageUp], label: "PgUp", action: .pageUp, short: "page up", help: "Page up"),
        KeyBinding(keys: [.pageDown, .char(" ")], label: "PgDn/Space", action: .pageDown, short: "page down", help: "Page down (loads more rows near the end)"),
        KeyBinding(keys: [.char("g"), .home], label: "g/Home", action: .top, short: "top", help: "Go to the first row"),
        KeyBinding(keys: [.char("G"), .end], label: "G/End", action: .bottom, short: "bottom", help: "Go to the last loaded row"),
        KeyBinding(keys: [.enter], label: "Enter", action: .open, short: "open", help: "Open: agent → its versions; version/draft → its config in the detail area", inLegend: true),
        KeyBinding(keys: [.escape], label: "Esc", action: .back, short: "back", help: "Back: close the diff, leave the detail area, clear the filter or the error"),
        KeyBinding(keys: [.char("/")], label: "/", action: .filter, short: "filter", help: "Filter the focused list as you type (agents also search the server)", inLegend: true,
                   whyDisabled: { $0.focus == .detail ? "filters work in the list panes; press Esc first" : nil }),
        KeyBinding(keys: [.char("d")], label: "d", action: .diff, short: "diff",
                   help: "Diff: a draft against its source version (again: against the active version); a version against the active version", inLegend: true,
                   whyDisabled: { $0.whyDiffDisabled() }),
        KeyBinding(keys: [.char("D")], label: "D", action: .mark, short: "mark", help: "Mark a version or draft; D on a second one diffs the two", inLegend: true,
                   whyDisabled: { $0.selectedItemSource() == nil ? "select a version or a draft first" : nil }),
        KeyBinding(keys: [.char("n")], label: "n", action: .fork, short: "fork", help: "Fork a new draft from the selected version or draft", inLegend: true,
                   whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedItemSource() == nil ? "select a version or a draft to fork from" : nil) }),
        KeyBinding(keys: [.char("e")], label: "e", action: .edit, short: "edit",
                   help: "Edit the selected draft's config in $VISUAL/$EDITOR (validated; only changed fields are sent, then read back)", inLegend: true,
                   whyDisabled: { $0.whyEditDisabled() }),
        KeyBinding(keys: [.char("p")], label: "p", action: .publish, short: "publish",
                   help: "Publish the selected draft: review the diff, label it, watch the security check, then answer y to activate", inLegend: true,
                   whyDisabled: { $0.whyPublishDisabled() }),
        KeyBinding(keys: [.char("P")], label: "P", action: .publishAndActivate, short: "publish+activate",
                   help: "Publish and activate: the same review and wait, then activation without a second question once the check passes",
                   whyDisabled: { $0.whyPublishDisabled() }),
        KeyBinding(keys: [.char("a")], label: "a", action: .activate, short: "activate",
                   help: "Activate the selected version (a roll back when it is older); asks for y", inLegend: true,
                   whyDisabled: { $0.whyActivateDisabled() }),
        KeyBinding(keys: [.char("L")], label: "L", action: .editMeta, short: "label",
                   help: "Edit the selected version's label and description",
                   whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedVersion == nil ? "select a published version in the Versions pane (r renames a draft)" : nil) }),
        KeyBinding(keys: [.char("r")], label: "r", action: .rename, short: "rename", help: "Rename the selected draft", inLegend: true,
                   whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedDraft == nil ? "select a draft in the Drafts pane" : nil) }),
        KeyBinding(keys: [.char("x")], label: "x", action: .discard, short: "discard", help: "Discard the selected draft (asks y/N)", inLegend: true,
                   whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedDraft == nil ? "select a draft in the Drafts pane" : nil) }),
        KeyBinding(keys: [.char("*")], label: "*", action: .pin, short: "pin", help: "Pin or unpin the selected version", inLegend: true,
                   whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedVersion == nil ? "select a version in the Versions pane" : nil) }),
        KeyBinding(keys: [.char("R")], label: "R", action: .refresh, short: "refresh", help: "Reload the agents and the selected agent's versions and drafts", inLegend: true),
        KeyBinding(keys: [.ctrl("z")], label: "^Z", action: .suspend, short: "suspend", help: "Suspend to the shell (fg resumes)"),
    ]

    /// The binding a key triggers on the main screen, if any.
    public static func binding(for key: Key) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The binding of an action.
    public static func binding(for action: Action) -> KeyBinding {
        bindings.first { $0.action == action }!
    }
}

extension AppState {
    /// Why writes are unavailable right now (read-only mode, a write in flight), or nil.
    public func whyWriteDisabled() -> String? {
        if readOnly { return "read-only mode (started with --read-only): writes are disabled" }
        if let w = writeInFlight { return "busy: \(w) — wait for it to finish" }
        return nil
    }

    /// Why `e` cannot run now, or nil.
    public func whyEditDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        if selectedDraft == nil {
            return selectedVersion != nil ? "published versions cannot be edited; press n to fork a draft from it" : "select a draft in the Drafts pane"
        }
        return nil
    }

    /// Why `p`/`P` cannot run now, or nil.
    public func whyPublishDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        if selectedDraft == nil {
            if let v = selectedVersion { return "\(v.displayNumber) is already published; select a draft in the Drafts pane" }
            return "select a draft in the Drafts pane"
        }
        return nil
    }

    /// Why `a` cannot run now, or nil.
    public func whyActivateDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let v = selectedVersion else { return "select a version in the Versions pane" }
        let name = v.displayNumber
        if v.isActive || (selectedAgent?.activeVersionId == v.id) { return "\(name) is already the active version" }
        if let check = v.securityCheck?.status {
            if check.isFailure {
                let reason = v.securityCheck?.reason.map { ": \($0)" } ?? ""
                return "\(name) failed its security check\(reason) — it cannot be activated; fork a draft to fix it"
            }
            if check.isRunning { return "\(name)'s security check is still \(check.rawValue); activation waits until it passes (R refreshes)" }
        }
        return nil
    }

    /// Why `d` cannot run now, or nil.
    public func whyDiffDisabled() -> String? {
        let owner = focus == .detail ? detailOwner : focus
        switch owner {
        case .versions:
            guard let v = selectedVersion else { return "select a version or a draft first" }
            if activeVersionId == nil { return "the agent has no active version to compare with; use D to compare two items" }
            if v.id == activeVersionId { return "\(v.displayNumber) is the active version; mark it with D and press D on another item" }
            return nil
        case .drafts:
            guard let d = selectedDraft else { return "select a version or a draft first" }
            if d.sourceVersionId == nil && activeVersionId == nil { return "this draft has no source version and the agent no active version; use D" }
            return nil
        default:
            return "select a version or a draft first (Versions or Drafts pane)"
        }
    }
}
