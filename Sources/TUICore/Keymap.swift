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
        KeyBinding(keys: [.char("1")], label: "1", action: .jumpAgents, short: "agents", help: "Jump to the Agents pane"),
        KeyBinding(keys: [.char("2")], label: "2", action: .jumpVersions, short: "versions", help: "Jump to the Versions pane"),
        KeyBinding(keys: [.char("3")], label: "3", action: .jumpDrafts, short: "drafts", help: "Jump to the Drafts pane"),
        KeyBinding(keys: [.char("s")], label: "s", action: .sort, short: "sort",
                   help: "Sort the focused list: agents by name, by last update, or as the server lists them; versions by number or by age",
                   whyDisabled: { s in
                       let pane = s.focus == .detail ? s.detailOwner : s.focus
                       return pane == .agents || pane == .versions ? nil : "sorting works in the Agents and Versions panes"
                   }),
        KeyBinding(keys: [.pageUp], label: "PgUp", action: .pageUp, short: "page up", help: "Page up"),
        KeyBinding(keys: [.pageDown, .char(" ")], label: "PgDn/Space", action: .pageDown, short: "page down", help: "Page down (loads more rows near the end)"),
        KeyBinding(keys: [.char("g"), .home], label: "g/Home", action: .top, short: "top", help: "Go to the first row"),
        KeyBinding(keys: [.char("G"), .end], label: "G/End", action: .bottom, short: "bottom", help: "Go to the last loaded row"),
        KeyBinding(keys: [.enter], label: "Enter", action: .open, short: "open", help: "Open: agent → its versions; version/draft → its config in the detail area", inLegend: true),
        KeyBinding(keys: [.escape], label: "Esc", action: .back, short: "back", help: "Back: close the diff, leave the detail area, clear the filter or the error"),
        KeyBinding(keys: [.char("/")], label: "/", action: .filter, short: "filter",
                   help: "Filter the focused list as you type (agents also search the server); in the detail area, the help or the message log: search the text (case and accents ignored, matches highlighted)", inLegend: true),
        // n/N are read before the keymap while a search is on (n forks otherwise), so this row lists no keys.
        KeyBinding(keys: [], label: "n/N", action: .searchNext, short: "next match",
                   help: "After a / search in the detail area, the help or the message log: next / previous match (the status line says which of how many; Esc ends the search)"),
        KeyBinding(keys: [.char("d")], label: "d", action: .diff, short: "diff",
                   help: "Diff: a draft against its source version (again: against the active version); a version against the active version", inLegend: true,
                   whyDisabled: { $0.whyDiffDisabled() }),
        KeyBinding(keys: [.char("D")], label: "D", action: .mark, short: "mark",
                   help: "Mark a version or draft; D on a second one diffs the two. On an agent marked ≈ ~ ! (a pulled *.atoms.yaml here differs from what is live): show the plan",
                   inLegend: true,
                   whyDisabled: { s in
                       if s.selectedLocalPlan != nil || s.selectedItemSource() != nil { return nil }
                       if s.focus == .agents, s.localConfigDir != nil { return "no pulled config file here names this agent (atoms-tui pull writes one); on versions and drafts D marks for a diff" }
                       return "select a version or a draft first"
                   }),
        KeyBinding(keys: [.char("n")], label: "n", action: .fork, short: "fork", help: "Fork a new draft from the selected version or draft", inLegend: true,
                   generation: .v1, whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedItemSource() == nil ? "select a version or a draft to fork from" : nil) }),
        KeyBinding(keys: [.char("e")], label: "e", action: .edit, short: "edit",
                   help: "Edit the selected draft's config in $VISUAL/$EDITOR (validated; only changed fields are sent, then read back)", inLegend: true,
                   generation: .v1, whyDisabled: { $0.whyEditDisabled() }),
        KeyBinding(keys: [.char("t")], label: "t", action: .threeWay, short: "three-way",
                   help: "Three-way view of the selected draft: its own changes vs its base, and what publishing it would undo on the live side (R in it rebases)",
                   whyDisabled: { $0.whyThreeWayDisabled() }),
        KeyBinding(keys: [.char("p")], label: "p", action: .publish, short: "publish",
                   help: "Publish the selected draft: review the diff, label it, watch the security check, then answer y to activate", inLegend: true,
                   generation: .v1, whyDisabled: { $0.whyPublishDisabled() }),
        KeyBinding(keys: [.char("P")], label: "P", action: .publishAndActivate, short: "publish+activate",
                   help: "Publish and activate: the same review and wait, then activation without a second question once the check passes",
                   generation: .v1, whyDisabled: { $0.whyPublishDisabled() }),
        KeyBinding(keys: [.char("a")], label: "a", action: .activate, short: "activate",
                   help: "Activate the selected version (a roll back when it is older); asks for y", inLegend: true,
                   generation: .v1, whyDisabled: { $0.whyActivateDisabled() }),
        KeyBinding(keys: [.char("L")], label: "L", action: .editMeta, short: "label",
                   help: "Edit the selected version's label and description",
                   generation: .v1, whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedVersion == nil ? "select a published version in the Versions pane (r renames a draft)" : nil) }),
        KeyBinding(keys: [.char("r")], label: "r", action: .rename, short: "rename", help: "Rename the selected draft", inLegend: true,
                   generation: .v1, whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedDraft == nil ? "select a draft in the Drafts pane" : nil) }),
        KeyBinding(keys: [.char("x")], label: "x", action: .discard, short: "discard", help: "Discard the selected draft (asks y/N)", inLegend: true,
                   generation: .v1, whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedDraft == nil ? "select a draft in the Drafts pane" : nil) }),
        KeyBinding(keys: [.char("*")], label: "*", action: .pin, short: "pin", help: "Pin or unpin the selected version", inLegend: true,
                   generation: .v1, whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedVersion == nil ? "select a version in the Versions pane" : nil) }),
        KeyBinding(keys: [.char("]")], label: "]", action: .nextBranch, short: "branch", help: "History: switch to the next branch (the title names it and marks the live one)", inLegend: true,
                   generation: .v2, whyDisabled: { $0.whySwitchBranchDisabled() }),
        KeyBinding(keys: [.char("[")], label: "[", action: .prevBranch, short: "prev branch", help: "History: switch to the previous branch",
                   generation: .v2, whyDisabled: { $0.whySwitchBranchDisabled() }),
        KeyBinding(keys: [.char("e")], label: "e", action: .edit, short: "edit",
                   help: "Edit a branch draft in $VISUAL/$EDITOR (the selected Drafts row, else the branch History shows; opens one from the head); saved with expectedRevision, read back", inLegend: true,
                   generation: .v2, whyDisabled: { $0.whyBranchEditDisabled() }),
        KeyBinding(keys: [.char("p")], label: "p", action: .publish, short: "publish",
                   help: "Publish a branch draft: review, then the scan's progress; on the live branch it reaches production once the scan passes (asks y first); off it you are asked whether to make the branch live", inLegend: true,
                   generation: .v2, whyDisabled: { $0.whyBranchPublishDisabled() }),
        KeyBinding(keys: [.char("c")], label: "c", action: .cancelScan, short: "cancel scan",
                   help: "Cancel the running security scan of the branch's publish (the draft stays open)", inLegend: true,
                   generation: .v2, whyDisabled: { $0.whyCancelScanDisabled() }),
        KeyBinding(keys: [.char("a")], label: "a", action: .restore, short: "restore",
                   help: "Restore the selected older revision as the branch's new head (asks y; on the live branch it serves traffic at once)", inLegend: true,
                   generation: .v2, whyDisabled: { $0.whyRestoreDisabled() }),
        KeyBinding(keys: [.char("m")], label: "m", action: .makeLive, short: "make live",
                   help: "Make the branch History shows live: its head serves production traffic (asks y; verified by reading the agent back)", inLegend: true,
                   generation: .v2, whyDisabled: { $0.whyMakeLiveDisabled() }),
        KeyBinding(keys: [.char("b")], label: "b", action: .newBranch, short: "new branch",
                   help: "Create a branch from the head of the branch History shows", inLegend: true,
                   generation: .v2, whyDisabled: { s in s.whyWriteDisabled() ?? (s.currentBranch == nil ? "select an agent; its branches are loading" : nil) }),
        KeyBinding(keys: [.char("r")], label: "r", action: .rename, short: "rename", help: "Rename the branch (the selected Drafts row's, else the one History shows); never main",
                   generation: .v2, whyDisabled: { $0.whyBranchManageDisabled(archive: false) }),
        KeyBinding(keys: [.char("X")], label: "X", action: .archiveBranch, short: "archive", help: "Archive the branch (asks y); never main or the live branch; its revisions stay readable by id",
                   generation: .v2, whyDisabled: { $0.whyBranchManageDisabled(archive: true) }),
        KeyBinding(keys: [.char("x")], label: "x", action: .discard, short: "discard", help: "Discard the selected branch draft (asks y/N); the branch head stays",
                   generation: .v2, whyDisabled: { s in s.whyWriteDisabled() ?? (s.selectedBranchDraft == nil ? "select a branch draft in the Drafts pane" : nil) }),
        KeyBinding(keys: [.char("R")], label: "R", action: .refresh, short: "refresh", help: "Reload the agents and the selected agent's versions and drafts", inLegend: true),
        KeyBinding(keys: [.char("y")], label: "y", action: .copyId, short: "copy id",
                   help: "Copy the selected agent's, version's or draft's id to the clipboard (OSC 52; where the terminal cannot, the message log holds it)",
                   whyDisabled: { $0.whyCopyIdDisabled() }),
        KeyBinding(keys: [.char("Y")], label: "Y", action: .copyConfig, short: "copy config",
                   help: "Copy the selected version's or draft's config as YAML to the clipboard (as the detail area shows it)",
                   whyDisabled: { $0.whyCopyConfigDisabled() }),
        KeyBinding(keys: [.char("M"), .char(":")], label: "M/:", action: .messageLog, short: "messages",
                   help: "Message log: every status message and error of the session in full, with its time (scroll, / search, Esc closes)"),
        KeyBinding(keys: [.ctrl("z")], label: "^Z", action: .suspend, short: "suspend", help: "Suspend to the shell (fg resumes)"),
        KeyBinding(keys: [.ctrl("l")], label: "^L", action: .repaint, short: "repaint", help: "Repaint the whole screen (after another program wrote over it)"),
    ]

    /// The binding a key triggers on the main screen of an account of `generation`, if any.
    public static func binding(for key: Key, generation: APIGeneration = .v1) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) && $0.applies(to: generation) }
    }

    /// The binding of an action.
    public static func binding(for action: Action, generation: APIGeneration = .v1) -> KeyBinding {
        bindings.first { $0.action == action && $0.applies(to: generation) }!
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

    /// Why `3` cannot run now, or nil.
    public func whyThreeWayDisabled() -> String? {
        if isV2 { return selectedBranchDraft == nil ? "select a branch draft in the Drafts pane" : nil }
        return selectedDraft == nil ? "select a draft in the Drafts pane" : nil
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
            if v.id == activeVersionId { return "\(isV2 ? v.revisionLabel : v.displayNumber) is the active version; mark it with D and press D on another item" }
            return nil
        case .drafts where isV2:
            guard let b = selectedBranchDraft else { return "select a branch draft first" }
            if b.branch.headRevisionId == nil { return "\(branchLabel(b)) has no head to compare with" }
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
