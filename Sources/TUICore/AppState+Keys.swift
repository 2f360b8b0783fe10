import AtomsModels
import Foundation

extension AppState {
    /// Handles a key: overlays and text inputs first, then the keymap.
    mutating func keyPressed(_ key: Key) -> [Effect] {
        if key == .resize { return [] }
        if case .mouse(let m) = key { return mouse(m) }
        // Ctrl-L repaints from anywhere, dialogs included.
        if key == .ctrl("l") { return [.repaint] }
        if let overlay {
            switch overlay {
            case .help(let p): return panelKey(key, .help, p)
            case .messageLog(let p): return panelKey(key, .messageLog, p)
            case .confirm(let c): return confirmKey(key, c)
            case .input(let p): return inputKey(key, p)
            case .resumeEdit(let target, let path): return resumeKey(key, target, path: path)
            case .editConflict(let target, let conflict): return conflictKey(key, target, conflict)
            case .versionMeta(let p): return versionMetaKey(key, p)
            case .threeWay(let t): return threeWayKey(key, t)
            case .plan(let p): return panelKey(key, .plan, p)
            }
        }
        if publish != nil { return publishKey(key) }
        if filterEditor != nil { return filterKey(key) }
        if detailSearch?.isTyping == true { return detailSearchKey(key) }
        if focus == .detail, detailSearch != nil, key == .char("n") || key == .char("N") {
            return moveDetailMatch(forward: key == .char("n"))
        }
        guard let binding = Keymap.binding(for: key, generation: apiGeneration) else { return [] }
        // Read-only by structure: every write action is refused here, whatever its own checks say.
        if readOnly && binding.action.isWrite {
            status = StatusMessage("\(binding.label) \(binding.short): read-only mode (started with --read-only): writes are disabled", isError: true)
            return []
        }
        if let why = binding.whyDisabled(self) {
            status = StatusMessage("\(binding.label) \(binding.short): \(why)", isError: true)
            return []
        }
        return perform(binding.action)
    }

    /// Runs an action (already checked for availability).
    mutating func perform(_ action: Action) -> [Effect] {
        if isV2, let effects = performV2(action) { return effects }
        switch action {
        case .moveUp: return move(by: -1)
        case .moveDown: return move(by: 1)
        case .pageUp: return move(by: -max(1, visibleRows(focus) - 1))
        case .pageDown: return move(by: max(1, visibleRows(focus) - 1))
        case .top: return move(by: -Int.max / 2)
        case .bottom: return move(by: Int.max / 2)
        case .focusNext: return cycleFocus(forward: true)
        case .focusPrev: return cycleFocus(forward: false)
        case .open: return open()
        case .back: return back()
        case .filter:
            if focus == .detail {
                detailSearch = TextSearch(typing: "")
                return []
            }
            filterEditor = (focus, LineEditor(filter(focus), maxLength: 100))
            return []
        case .help:
            overlay = .help(TextPanel())
            return []
        case .messageLog:
            openMessageLog()
            return []
        case .searchNext:
            return []
        case .jumpAgents: return jump(to: .agents)
        case .jumpVersions: return jump(to: .versions)
        case .jumpDrafts: return jump(to: .drafts)
        case .sort: return cycleSort()
        case .copyId:
            guard let c = selectedIdForCopy() else { return [] }
            return [.copyToClipboard(text: c.text, what: c.what)]
        case .copyConfig:
            guard let c = selectedConfigForCopy() else { return [] }
            return [.copyToClipboard(text: c.text, what: c.what)]
        case .refresh: return refresh()
        case .quit:
            quitting = true
            return [.quit]
        case .suspend: return [.suspend]
        case .repaint: return [.repaint]
        case .diff: return startDiff()
        case .threeWay: return startThreeWay()
        case .mark: return toggleMark()
        case .fork: return startFork()
        case .rename:
            guard let agentId = selectedAgentId, let d = selectedDraft else { return [] }
            overlay = .input(InputPrompt(title: "Rename draft", label: "New name for \(draftLabel(d)):",
                                         editor: LineEditor(d.draftName ?? "", maxLength: 100),
                                         purpose: .rename(agentId: agentId, draftId: d.draftId ?? d.id)))
            return []
        case .discard:
            guard let agentId = selectedAgentId, let d = selectedDraft else { return [] }
            let label = draftLabel(d)
            overlay = .confirm(Confirmation(
                title: "Discard draft",
                lines: ["Discard \(label) of \(agentName(agentId))?", "Its unpublished edits are lost."],
                effect: .discardDraft(agentId: agentId, draftId: d.draftId ?? d.id),
                progress: "discarding \(label)"))
            return []
        case .pin:
            guard let agentId = selectedAgentId, let v = selectedVersion else { return [] }
            writeInFlight = "\(v.isPinned ? "unpinning" : "pinning") \(v.displayNumber)"
            return [.setPinned(agentId: agentId, versionId: v.id, pinned: !v.isPinned)]
        case .activate: return startActivate()
        case .edit: return startEdit()
        case .publish: return startPublish(andActivate: false)
        case .publishAndActivate: return startPublish(andActivate: true)
        case .editMeta: return startEditMeta()
        case .prevBranch, .nextBranch, .cancelScan, .restore, .makeLive, .newBranch, .archiveBranch: return []
        }
    }

    // MARK: - Movement

    private mutating func move(by delta: Int) -> [Effect] {
        if focus == .detail {
            let maxScroll = detailMaxScroll(detailContent().lines)
            detailScroll = max(0, min(maxScroll, detailScroll &+ delta))
            return []
        }
        var p = position(focus)
        let count = rowCount(focus)
        p.cursor = max(0, min(count - 1, p.cursor &+ delta))
        p.clamp(count: count, visible: visibleRows(focus))
        let old = position(focus).cursor
        positions[focus] = p
        guard p.cursor != old || delta.magnitude > 1 else { return pageIfNeeded(focus) }
        return selectionMoved()
    }

    /// After the cursor of the focused list moved: follow the agent, page in, want the config.
    private mutating func selectionMoved() -> [Effect] {
        switch focus {
        case .agents:
            return syncSelection() + pageIfNeeded(.agents)
        case .versions, .drafts:
            diff = nil
            detailScroll = 0
            wantConfigForSelection()
            return pageIfNeeded(focus)
        case .detail:
            return []
        }
    }

    private mutating func jump(to pane: Pane) -> [Effect] {
        guard focus != pane else { return [] }
        focus = pane
        return focusChanged()
    }

    /// `s`: the next order of the focused list, the selected row kept under the cursor.
    private mutating func cycleSort() -> [Effect] {
        let pane = focus == .detail ? detailOwner : focus
        switch pane {
        case .agents:
            agentSort = agentSort.next
            positions[.agents] = ListPosition(cursor: agentRows.firstIndex { $0.id == selectedAgentId } ?? 0)
            status = StatusMessage("Agents \(agentSort.phrase)" + (agentsHasMore && agentSort != .server ? " (the rows loaded so far)" : "") + " — s again: \(agentSort.next.phrase)", isError: false)
        case .versions:
            let selected = versionUnderCursor?.id
            versionSort = versionSort.next
            positions[.versions] = ListPosition(cursor: versionRows.firstIndex { $0.id == selected } ?? 0)
            status = StatusMessage("\(isV2 ? "Revisions" : "Versions") \(versionSort.phrase) — s again: \(versionSort.next.phrase)", isError: false)
        default:
            return []
        }
        clampAll()
        return []
    }

    private mutating func cycleFocus(forward: Bool) -> [Effect] {
        let order = Pane.lists
        let current = focus == .detail ? detailOwner : focus
        let i = order.firstIndex(of: current) ?? 0
        // Tab wraps: from Drafts back to Agents (and S-Tab from Agents to Drafts).
        let next = (i + (forward ? 1 : order.count - 1)) % order.count
        if focus == .detail && !forward {
            focus = detailOwner
        } else {
            focus = order[next]
        }
        return focusChanged()
    }

    private mutating func focusChanged() -> [Effect] {
        if focus != .detail { detailSearch = nil }
        if focus != .detail {
            if focus != detailOwner { diff = nil; detailScroll = 0 }
            detailOwner = focus
        }
        clampAll()
        if focus == .versions || focus == .drafts { wantConfigForSelection() }
        return []
    }

    private mutating func open() -> [Effect] {
        switch focus {
        case .agents:
            guard selectedAgentId != nil else { return [] }
            focus = .versions
            return focusChanged()
        case .versions, .drafts:
            guard let agentId = selectedAgentId, let item = selectedItemSource() else { return [] }
            let ref = ConfigRef(agentId: agentId, source: item.source)
            if case .failed = configs[ref] { configs[ref] = nil }
            configWanted = nil
            detailOwner = focus
            focus = .detail
            detailSearch = nil
            clampAll()
            return diff == nil ? loadConfig(ref) : []
        case .detail:
            return []
        }
    }

    private mutating func back() -> [Effect] {
        if focus == .detail, detailSearch != nil {
            detailSearch = nil
            return []
        }
        if diff != nil {
            diff = nil
            detailScroll = 0
            return []
        }
        if status?.isError == true {
            status = nil
            return []
        }
        if focus == .detail {
            focus = detailOwner
            return focusChanged()
        }
        if !filter(focus).isEmpty {
            return setFilter(focus, "")
        }
        if mark != nil {
            mark = nil
            status = StatusMessage("Mark cleared", isError: false)
        }
        return []
    }

    /// Reads the selected agent's lists again — v2: branches and History; v1: versions and drafts — and
    /// forgets its cached configs (R, and after a write whose answer never came).
    mutating func reloadAgentLists(_ id: String) -> [Effect] {
        guard id == selectedAgentId else { return [] }
        configs = configs.filter { $0.key.agentId != id }
        var effects: [Effect]
        if isV2 {
            effects = [.cancel(key: EffectKey.branches)] + reloadBranches(id)
        } else {
            versions[id] = VersionPage(items: versions[id]?.items ?? [], loading: true)
            drafts[id] = DraftSet(items: drafts[id]?.items ?? [], loaded: false, loading: true)
            effects = [.cancel(key: EffectKey.versions), .cancel(key: EffectKey.drafts),
                       .loadVersions(agentId: id, skip: 0, limit: versionPageSize), .loadDrafts(agentId: id)]
        }
        if focus == .versions || focus == .drafts || focus == .detail { wantConfigForSelection() }
        return effects
    }

    private mutating func refresh() -> [Effect] {
        var effects: [Effect] = []
        agentsLoading = true
        effects += agentPagesOnScreen().map { .loadAgents(page: $0, pageSize: agentPageSize, search: nil) }
        if !filter(.agents).isEmpty {
            agentSearchLoading = true
            effects.append(.loadAgents(page: 1, pageSize: agentPageSize, search: filter(.agents)))
        }
        if let id = selectedAgentId { effects += reloadAgentLists(id) }
        effects += planLocalConfigs()
        status = StatusMessage("Refreshing…", isError: false, inProgress: true)
        return effects
    }

    // MARK: - Filter

    private mutating func filterKey(_ key: Key) -> [Effect] {
        guard let current = filterEditor else { return [] }
        let pane = current.pane
        var editor = current.editor
        switch key {
        case .enter:
            filterEditor = nil
            return []
        case .escape:
            filterEditor = nil
            return setFilter(pane, "")
        case .up, .down, .pageUp, .pageDown:
            let saved = focus
            focus = pane
            let effects = perform(key == .up ? .moveUp : key == .down ? .moveDown : key == .pageUp ? .pageUp : .pageDown)
            focus = saved
            return effects
        default:
            guard editor.handle(key) else { return [] }
            filterEditor = (pane, editor)
            return setFilter(pane, editor.string)
        }
    }

    /// Sets a pane's filter, resets its cursor and (for agents) asks the server search.
    mutating func setFilter(_ pane: Pane, _ text: String) -> [Effect] {
        guard filter(pane) != text else { return [] }
        filters[pane] = text.isEmpty ? nil : text
        var effects: [Effect] = []
        if pane == .agents {
            if text.isEmpty {
                agentSearchLoading = false
                agentSearchResults = []
                agentSearchQuery = nil
                effects.append(.cancel(key: EffectKey.agentSearch))
            } else {
                agentSearchLoading = true
                effects.append(.loadAgents(page: 1, pageSize: agentPageSize, search: text))
            }
            // Keep the selected agent under the cursor when it still matches.
            let rows = agentRows
            positions[.agents] = ListPosition(cursor: rows.firstIndex { $0.id == selectedAgentId } ?? 0)
            clampAll()
            return effects + syncSelection()
        }
        positions[pane] = ListPosition()
        clampAll()
        if pane == focus { diff = nil; wantConfigForSelection() }
        return effects
    }

    // MARK: - Overlays

    mutating func confirmKey(_ key: Key, _ c: Confirmation) -> [Effect] {
        if c.reviewPending, key == .char("y") || key == .char("Y") {
            var held = c
            held.confirmedEarly = true
            overlay = .confirm(held)
            return []
        }
        overlay = nil
        guard key == .char("y") || key == .char("Y") else {
            status = StatusMessage("Cancelled — nothing was changed", isError: false)
            return []
        }
        if let why = whyWriteDisabled() {
            status = StatusMessage(why, isError: true)
            return []
        }
        writeInFlight = c.progress
        return [c.effect]
    }

    private mutating func inputKey(_ key: Key, _ prompt: InputPrompt) -> [Effect] {
        var p = prompt
        if p.pending && key != .escape { return [] }  // waiting for the server's answer
        switch key {
        case .escape:
            overlay = nil
            status = StatusMessage("Cancelled — nothing was changed", isError: false)
            return []
        case .enter:
            let name = p.editor.string.trimmingSpaces
            if let why = whyWriteDisabled() {
                overlay = nil
                status = StatusMessage(why, isError: true)
                return []
            }
            switch p.purpose {
            case .fork(let agentId, let v, let d):
                if let taken = draftNameTaken(agentId: agentId, name) {
                    p.error = taken
                    overlay = .input(p)
                    return []
                }
                p.pending = true
                p.error = nil
                overlay = .input(p)
                writeInFlight = "forking a draft"
                return [.forkDraft(agentId: agentId, sourceVersionId: v, sourceDraftId: d, name: name.isEmpty ? nil : name)]
            case .rename(let agentId, let draftId):
                guard !name.isEmpty else {
                    status = StatusMessage("A draft name cannot be empty (Esc cancels)", isError: true)
                    return []
                }
                if let taken = draftNameTaken(agentId: agentId, name, except: draftId) {
                    p.error = taken
                    overlay = .input(p)
                    return []
                }
                p.pending = true
                p.error = nil
                overlay = .input(p)
                writeInFlight = "renaming the draft"
                return [.renameDraft(agentId: agentId, draftId: draftId, name: name)]
            case .newBranch, .renameBranch:
                return branchInputEntered(p, name: name)
            }
        default:
            p.editor.handle(key)
            overlay = .input(p)
            return []
        }
    }

    // MARK: - Writes

    /// Why `name` cannot name a draft of the agent — another loaded draft has it, compared ignoring case
    /// and accents as the CLI does (every draft stays reachable by name) — or nil. `except`: the draft renamed.
    func draftNameTaken(agentId: String, _ name: String, except: String? = nil) -> String? {
        let key = NameFolding.fold(name)
        guard !key.isEmpty, let other = drafts[agentId]?.items.first(where: {
            NameFolding.fold($0.draftName ?? "") == key && ($0.draftId ?? $0.id) != except && $0.id != except
        }) else { return nil }
        return "a draft named \"\(Sanitizer.sanitize(other.draftName ?? "", maxCharacters: 60))\" already exists — choose another name (names are compared ignoring case and accents)"
    }

    private mutating func startFork() -> [Effect] {
        guard let agentId = selectedAgentId, let item = selectedItemSource() else { return [] }
        let purpose: InputPrompt.Purpose
        switch item.source {
        case .version(let id): purpose = .fork(agentId: agentId, sourceVersionId: id, sourceDraftId: nil)
        case .draft(let id): purpose = .fork(agentId: agentId, sourceVersionId: nil, sourceDraftId: id)
        case .branchDraft, .revision: return []
        }
        overlay = .input(InputPrompt(title: "New draft", label: "Fork a draft from \(item.label) of \(agentName(agentId)). Name (optional):",
                                     editor: LineEditor("", maxLength: 100), purpose: purpose))
        return []
    }

    private mutating func startActivate() -> [Effect] {
        guard let agentId = selectedAgentId, let v = selectedVersion else { return [] }
        let target = v.displayNumber
        var lines = ["Activate \(target) of \(agentName(agentId))?"]
        if let activeId = activeVersionId {
            let current = versions[agentId]?.items.first { $0.id == activeId }
            let currentLabel = current?.displayNumber ?? versionLabel(agentId: agentId, versionId: activeId)
            lines.append("Live now: \(currentLabel) → will serve: \(target)")
            if let a = current?.versionNumber, let b = v.versionNumber, b < a {
                lines.append("This ROLLS BACK from \(currentLabel) to the older \(target).")
            }
        } else {
            lines.append("The agent has no active version yet; \(target) will serve live traffic.")
        }
        lines.append("This changes what serves live calls.")
        overlay = .confirm(Confirmation(title: "Activate version", lines: lines,
                                        effect: .activate(agentId: agentId, versionId: v.id),
                                        progress: "activating \(target)"))
        return []
    }

    // MARK: - Diff

    private mutating func startDiff() -> [Effect] {
        guard let agentId = selectedAgentId else { return [] }
        let owner = focus == .detail ? detailOwner : focus
        var from: ConfigSource
        var to: ConfigSource
        var title: String
        if isV2, owner == .drafts, let b = selectedBranchDraft, let draftId = b.branch.openDraftId, let head = b.branch.headRevisionId {
            from = .version(head)
            to = .branchDraft(branchId: b.id, draftId: draftId)
            title = "the draft of \(branchLabel(b)) vs its head \(b.headRevisionNumber.map { "r\($0)" } ?? versionLabel(agentId: agentId, versionId: head))"
        } else if owner == .drafts, let d = selectedDraft {
            let handle = d.draftId ?? d.id
            to = .draft(handle)
            let againstActive: Bool
            if let current = diff, current.to == to, let src = d.sourceVersionId, current.from == .version(src), let a = activeVersionId, a != src {
                againstActive = true
            } else {
                againstActive = d.sourceVersionId == nil
            }
            if againstActive, let a = activeVersionId {
                from = .version(a)
                title = "\(draftLabel(d)) vs the active version \(versionLabel(agentId: agentId, versionId: a))"
            } else if let src = d.sourceVersionId {
                from = .version(src)
                title = "\(draftLabel(d)) vs its source \(versionLabel(agentId: agentId, versionId: src)) (d again: vs active)"
            } else {
                return []
            }
        } else if let v = selectedVersion, let a = activeVersionId {
            from = .version(a)
            to = .version(v.id)
            if isV2 {
                // Revisions by their r-number; the live one with its branch when History shows another branch.
                var live = "the live revision \(versionLabel(agentId: agentId, versionId: a))"
                if let lb = branches[agentId]?.live, lb.id != currentBranch?.id { live += " of \(branchLabel(lb))" }
                title = "\(v.revisionLabel) vs \(live)"
            } else {
                title = "\(v.displayNumber) vs the active version \(versionLabel(agentId: agentId, versionId: a))"
            }
        } else {
            return []
        }
        return showDiff(agentId: agentId, from: from, to: to, title: title)
    }

    private mutating func toggleMark() -> [Effect] {
        if selectedLocalPlan != nil { return showLocalPlan() }
        guard let agentId = selectedAgentId, let item = selectedItemSource() else { return [] }
        if let m = mark, m.agentId == agentId, m.source != item.source {
            mark = nil
            return showDiff(agentId: agentId, from: m.source, to: item.source, title: "\(m.label) vs \(item.label)")
        }
        if let m = mark, m.agentId == agentId, m.source == item.source {
            mark = nil
            status = StatusMessage("Mark cleared", isError: false)
            return []
        }
        mark = Mark(agentId: agentId, source: item.source, label: item.label)
        status = StatusMessage("Marked \(item.label) — select another version or draft and press D to compare", isError: false)
        return []
    }

    private mutating func showDiff(agentId: String, from: ConfigSource, to: ConfigSource, title: String) -> [Effect] {
        diff = DiffView(agentId: agentId, from: from, to: to, title: title)
        detailScroll = 0
        configWanted = nil
        return [.loadDiff(agentId: agentId, from: from, to: to, generation: apiGeneration)]
    }

    /// The lines of the help overlay, generated from the keymap.
    public func helpLines() -> [(keys: String, help: String, disabled: String?)] {
        Keymap.bindings.filter { $0.applies(to: apiGeneration) }.map { b in
            // The rows shared by both generations are written in v1's words; v2 says revisions and branches.
            let shared = isV2 && b.generation == nil
            return (b.label, shared ? AppState.v2Wording(b.help) : b.help, b.whyDisabled(self).map { shared ? AppState.v2Wording($0) : $0 })
        }
    }

    /// A help sentence written for v1 in the branch model's words ("versions" → "revisions", drafts → branch drafts).
    static func v2Wording(_ text: String) -> String {
        let table: [(String, String)] = [
            ("versions and drafts", "history and branches"),
            ("Versions or Drafts pane", "History or Drafts pane"),
            ("Versions pane", "History pane"),
            ("version/draft", "revision/branch draft"),
            ("a version or draft", "a revision or branch draft"),
            ("a version or a draft", "a revision or a branch draft"),
            ("a draft against its source version (again: against the active version); a version against the active version",
             "a branch draft against its head; a revision against the live revision"),
            ("the selected draft", "the selected branch draft"),
            ("its versions", "its history"),
            ("active version", "live revision"),
            ("versions", "revisions"),
            ("version", "revision"),
        ]
        var s = text
        for (a, b) in table { s = s.replacingOccurrences(of: a, with: b) }
        return s
    }
}

extension AppState {
    /// A click on a key name in a dialog's footer or in the legend acts like that key; elsewhere a click
    /// focuses the pane under it and selects the row clicked; the wheel moves the list (or scrolls the
    /// detail area, the help, the message log) under it by three. Other clicks in a dialog do nothing.
    mutating func mouse(_ m: MouseEvent) -> [Effect] {
        let step = m.kind == .wheelUp ? -3 : 3
        // A key name in a dialog's footer or the legend acts like its key (what the screen shows is
        // what can be clicked: the buttons are recorded while drawing).
        if m.kind == .click, let button = render(size: size).button(at: m.x, m.y) {
            // The legend's keys are the main view's: while something modal is open they would type into it.
            if modalOpen && button.y == layout.legendRow { return [] }
            return keyPressed(button.key)
        }
        if let (kind, p) = openTextPanel {
            guard m.kind != .click else { return [] }
            var q = p
            q.scroll = max(0, min(p.scroll + step, panelGeometry(kind).maxScroll))
            showTextPanel(kind, q)
            return []
        }
        guard !modalOpen else { return [] }
        let layout = self.layout
        func inside(_ r: Rect) -> Bool { m.x >= r.x && m.x < r.x + r.width && m.y >= r.y && m.y < r.y + r.height }
        if let r = layout.detail, inside(r) {
            var effects: [Effect] = []
            if focus != .detail {
                guard detailOwner == .versions || detailOwner == .drafts, selectedAgentId != nil else { return [] }
                effects = perform(.open)
            }
            if m.kind != .click { effects += perform(m.kind == .wheelUp ? .moveUp : .moveDown) + perform(m.kind == .wheelUp ? .moveUp : .moveDown) + perform(m.kind == .wheelUp ? .moveUp : .moveDown) }
            return effects
        }
        guard let (pane, r) = layout.panes.first(where: { inside($0.rect) }) else { return [] }
        var effects: [Effect] = []
        if focus != pane {
            focus = pane
            effects += focusChanged()
        }
        switch m.kind {
        case .click:
            // Below the border and the header row.
            let row = m.y - r.y - 2
            guard row >= 0, row < r.height - 3 else { return effects }
            let index = position(pane).scroll + row
            guard index < rowCount(pane) else { return effects }
            let delta = index - position(pane).cursor
            if delta != 0 { effects += move(by: delta) }
        case .wheelUp, .wheelDown:
            effects += move(by: step)
        }
        return effects
    }
}

extension String {
    /// The string without leading and trailing spaces (no Foundation needed).
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
