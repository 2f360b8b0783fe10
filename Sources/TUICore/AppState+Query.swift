import AtomsModels

extension AppState {
    /// The filter text of a pane ("" when none).
    public func filter(_ pane: Pane) -> String { filters[pane] ?? "" }

    /// The cursor/scroll of a pane.
    public func position(_ pane: Pane) -> ListPosition { positions[pane] ?? ListPosition() }

    /// The Agents pane's rows: the loaded list, or with a filter the loaded matches followed by the
    /// server search's extra results.
    public var agentRows: [Agent] {
        agentSort == .server ? unsortedAgentRows : agentSort.apply(unsortedAgentRows)
    }

    /// The Agents pane's rows in the server's order (filtered).
    var unsortedAgentRows: [Agent] {
        let q = filter(.agents)
        if q.isEmpty { return agents }
        // Case and accents ignored, as the CLI matches names (`zoe` finds "Zoë — Café Concierge").
        let needle = NameFolding.fold(q)
        var rows = agents.filter { needle.isEmpty || NameFolding.fold($0.name).contains(needle) || $0.id.hasPrefix(needle) }
        if agentSearchQuery == q {
            var seen = Set(rows.map(\.id))
            for a in agentSearchResults where !seen.contains(a.id) {
                rows.append(a)
                seen.insert(a.id)
            }
        }
        return rows
    }

    /// The selected agent (from the list, or the search results when it came from the server search).
    public var selectedAgent: Agent? {
        guard let id = selectedAgentId else { return nil }
        return agents.first { $0.id == id } ?? agentSearchResults.first { $0.id == id }
    }

    /// The selected agent's active version id: the agent's `activeVersionId`, else the loaded row marked active.
    public var activeVersionId: String? {
        if let a = selectedAgent?.activeVersionId { return a }
        guard let id = selectedAgentId else { return nil }
        return versions[id]?.items.first { $0.isActive }?.id
    }

    /// The Versions pane's rows for the selected agent (filtered).
    public var versionRows: [AgentVersion] {
        versionSort == .number ? unsortedVersionRows : versionSort.apply(unsortedVersionRows)
    }

    /// The Versions pane's rows in the server's order (filtered).
    var unsortedVersionRows: [AgentVersion] {
        guard let id = selectedAgentId, let page = versions[id] else { return [] }
        let q = filter(.versions).lowercased()
        if q.isEmpty { return page.items }
        return page.items.filter { v in
            v.displayNumber.lowercased().contains(q) || (v.label ?? "").lowercased().contains(q)
                || (v.publishedByName ?? v.publishedBy ?? "").lowercased().contains(q)
        }
    }

    /// The Drafts pane's rows for the selected agent (filtered).
    public var draftRows: [AgentVersion] {
        if isV2 { return [] }
        guard let id = selectedAgentId, let set = drafts[id] else { return [] }
        let q = filter(.drafts).lowercased()
        if q.isEmpty { return set.items }
        return set.items.filter { d in
            (d.draftName ?? "").lowercased().contains(q) || (d.lastEditorName ?? "").lowercased().contains(q)
        }
    }

    /// Number of rows a list pane shows.
    public func rowCount(_ pane: Pane) -> Int {
        switch pane {
        case .agents: return agentRows.count
        case .versions: return versionRows.count
        case .drafts: return isV2 ? branchDraftRows.count : draftRows.count
        case .detail: return detailLineCount
        }
    }

    /// The version under the Versions cursor, when that pane owns the selection.
    public var selectedVersion: AgentVersion? {
        guard focus == .versions || (focus == .detail && detailOwner == .versions) else { return nil }
        return versionUnderCursor
    }

    /// The draft under the Drafts cursor, when that pane owns the selection.
    public var selectedDraft: AgentVersion? {
        guard focus == .drafts || (focus == .detail && detailOwner == .drafts) else { return nil }
        return draftUnderCursor
    }

    /// The version under the Versions cursor, whatever has focus.
    public var versionUnderCursor: AgentVersion? {
        let rows = versionRows
        let c = position(.versions).cursor
        return c >= 0 && c < rows.count ? rows[c] : nil
    }

    /// The draft under the Drafts cursor, whatever has focus.
    public var draftUnderCursor: AgentVersion? {
        let rows = draftRows
        let c = position(.drafts).cursor
        return c >= 0 && c < rows.count ? rows[c] : nil
    }

    /// The selected version or draft as a config source, with its display label.
    public func selectedItemSource() -> (source: ConfigSource, label: String)? {
        if let v = selectedVersion { return (configSource(of: v), isV2 ? v.revisionLabel : v.displayNumber) }
        if let b = selectedBranchDraft, let d = b.branch.openDraftId { return (.branchDraft(branchId: b.id, draftId: d), "the draft of \(branchLabel(b))") }
        if let d = selectedDraft { return (.draft(d.draftId ?? d.id), draftLabel(d)) }
        return nil
    }

    /// Where a History row's config is read: a committed revision or a version by id; on v2 a revision
    /// whose scan failed or still runs through its branch (the by-id read does not serve those).
    public func configSource(of v: AgentVersion) -> ConfigSource {
        if isV2, v.status != .published, let b = v.branch { return .revision(branchId: b, revisionId: v.id) }
        return .version(v.id)
    }

    /// `draft "name"` for a draft row.
    public func draftLabel(_ d: AgentVersion) -> String { "draft \"\(Sanitizer.sanitize(d.draftName ?? d.draftId ?? d.id, maxCharacters: 60))\"" }

    /// `v7`, or the short id when the version is not loaded.
    public func versionLabel(agentId: String, versionId: String) -> String {
        if let v = versions[agentId]?.items.first(where: { $0.id == versionId }) { return isV2 ? v.revisionLabel : v.displayNumber }
        if isV2 {
            // A branch head not in the loaded page (another branch's history is on screen): its number
            // is on the branch row. Never an id fragment.
            if let b = branches[agentId]?.items.first(where: { $0.branch.headRevisionId == versionId }), let n = b.headRevisionNumber {
                return "r\(n)"
            }
            return "a revision not loaded yet"
        }
        return "version …" + String(versionId.suffix(6))
    }

    /// The display label of a config source of an agent.
    public func sourceLabel(agentId: String, _ source: ConfigSource) -> String {
        switch source {
        case .version(let id), .revision(_, let id): return versionLabel(agentId: agentId, versionId: id)
        case .draft(let id):
            if let d = drafts[agentId]?.items.first(where: { $0.draftId == id || $0.id == id }) { return draftLabel(d) }
            return "draft …" + String(id.suffix(6))
        case .branchDraft(let b, _): return "the draft of " + branchLabel(agentId: agentId, branchId: b)
        }
    }

    /// True while a dialog, a text panel, the publish flow or a typed filter/search has the keys (the main
    /// view's keys and clicks would act behind it).
    var modalOpen: Bool {
        overlay != nil || publish != nil || filterEditor != nil || detailSearch?.isTyping == true
    }

    /// The current layout for the state's size.
    public var layout: Layout { Layout(size: size, focus: focus, detailOwner: detailOwner) }

    /// Rows of list content visible in a pane (as if it were shown).
    public func visibleRows(_ pane: Pane) -> Int {
        let l = Layout(size: size, focus: pane, detailOwner: pane == .detail ? detailOwner : pane)
        return l.contentRows(pane)
    }
}

extension AppState {
    /// True while something on screen moves between keys — a debounced config load, the publish
    /// panel's bar and spinner, a write or a watched check — so the loop ticks often; otherwise a tick a
    /// second keeps ages and transient messages current.
    public var wantsFrequentTicks: Bool {
        configWanted != nil || healthWanted != nil || publish != nil || !watches.isEmpty || writeInFlight != nil || editing != nil
    }
}
