import AtomsModels

/// `y` copies the selected id, `Y` the selected config as YAML, through the terminal's clipboard
/// (OSC 52, written by the Terminal layer: the tool's own escape with the text base64-encoded).
extension AppState {
    /// What `y` would copy: the selected row's id and how to name it.
    func selectedIdForCopy() -> (text: String, what: String)? {
        let owner = focus == .detail ? detailOwner : focus
        switch owner {
        case .agents:
            guard let a = selectedAgent else { return nil }
            return (a.id, "the id of \(agentName(a.id))")
        case .versions:
            guard let v = selectedVersion else { return nil }
            return (v.id, "the id of \(isV2 ? v.revisionLabel : v.displayNumber)")
        case .drafts where isV2:
            guard let b = selectedBranchDraft else { return nil }
            return (b.id, "the id of \(branchLabel(b))")
        case .drafts:
            guard let d = selectedDraft else { return nil }
            return (d.draftId ?? d.id, "the id of \(draftLabel(d))")
        case .detail:
            return nil
        }
    }

    /// Why `y` cannot copy now, or nil.
    func whyCopyIdDisabled() -> String? {
        selectedIdForCopy() == nil ? "select an agent, a version or a draft first" : nil
    }

    /// The selected version's or draft's config as YAML (the text the detail area shows), once loaded.
    func selectedConfigForCopy() -> (text: String, what: String)? {
        guard let agentId = selectedAgentId, let item = selectedItemSource(),
              case .loaded(let lines)? = configs[ConfigRef(agentId: agentId, source: item.source)] else { return nil }
        return (lines.map(\.text).joined(separator: "\n") + "\n", "the config of \(item.label) as YAML")
    }

    /// Why `Y` cannot copy now, or nil.
    func whyCopyConfigDisabled() -> String? {
        guard let agentId = selectedAgentId, let item = selectedItemSource() else { return "select a version or a draft first" }
        if configs[ConfigRef(agentId: agentId, source: item.source)]?.value == nil { return "the config of \(item.label) has not loaded yet" }
        return nil
    }

    /// The Runtime's answer to `.copyToClipboard`.
    mutating func copied(what: String, text: String, refusal: String?) {
        guard let refusal else {
            status = StatusMessage("Copied \(what) to the clipboard (\(text.count) characters)", isError: false)
            return
        }
        // The terminal cannot take it: say why, and keep the text where it can be read and selected.
        logDetails = ["why: " + refusal, "the text:", text]
        status = StatusMessage("Not copied: \(what) — the text is in the message log (M): \(refusal)", isError: true)
    }
}
