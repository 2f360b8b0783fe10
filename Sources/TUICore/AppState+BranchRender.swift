import AtomsModels

extension AppState {
    /// The Drafts pane on v2: one row per branch with an open draft, then "+ new draft on BRANCH…".
    func drawBranchDrafts(_ screen: inout Screen, _ rect: Rect, layout: Layout) {
        let rows = branchDraftRows
        let set = selectedAgentId.flatMap { branches[$0] }
        let open = rows.filter { if case .draft = $0 { return true }; return false }.count
        drawFrame(&screen, rect, pane: .drafts, title: paneTitle(.drafts, layout: layout, detail: set?.loaded == true ? "\(open)" : ""))
        let iw = rect.width - 2
        let showEditor = iw >= 36, showAge = iw >= 22, showHead = iw >= 16
        // The Head column widens only while a draft carries a behind mark ("r11 ↓2").
        let marks = rows.contains { if case .draft(let b) = $0 { return set?.draftBases[b.id]?.isBehind == true }; return false }
        let headW = marks ? 8 : 6
        let fixed = 7 + (showHead ? headW : 0) + (showEditor ? 11 : 0) + (showAge ? 5 : 0)
        let nameW = max(1, iw - fixed)
        var header = DisplayWidth.pad("Branch", to: nameW) + DisplayWidth.pad("Live", to: 7)
        if showHead { header += DisplayWidth.pad("Head", to: headW) }
        if showEditor { header += DisplayWidth.pad("Editor", to: 11) }
        if showAge { header += DisplayWidth.pad("Age", to: 5, alignRight: true) }
        let empty: String
        if selectedAgentId == nil { empty = agentsLoading ? "Loading…" : "Select an agent" }
        else if set?.error != nil { empty = "Could not load — R retries" }
        else if set?.loaded != true { empty = "Loading branches…" }
        else { empty = "No open drafts" }
        let markSource = mark?.source
        drawList(&screen, rect, pane: .drafts, header: header, rowCount: rows.count, empty: empty) { i, width in
            switch rows[i] {
            case .newDraft(let b):
                let text = b.map { $0.hasOpenDraft ? "+ new draft on branch… ([ ] picks the branch)" : "+ new draft on \(Sanitizer.sanitize($0.branch.name, maxCharacters: 40))… (e)" }
                    ?? "+ new draft on branch…"
                return [(DisplayWidth.pad(text, to: width), .dim)]
            case .draft(let b):
                let marked = b.branch.openDraftId.map { markSource == .branchDraft(branchId: b.id, draftId: $0) } ?? false
                let name = (marked ? "◆ " : "") + Sanitizer.sanitize(b.branch.name, maxCharacters: 400)
                var cells: [(String, Style)] = [(DisplayWidth.pad(name, to: max(0, nameW - 1)) + (nameW > 1 ? " " : ""), .normal),
                                                (DisplayWidth.pad(b.isLive ? "● live" : "", to: 7), .active)]
                if showHead {
                    // "r5 ↓2": the head is r5 and the draft was opened two revisions before it.
                    let base = set?.draftBases[b.id]
                    var head = b.headRevisionNumber.map { "r\($0)" } ?? "-"
                    if let base, base.isBehind { head += base.liveIsOlder ? " ↺" : " ↓\(base.behindBy)" }
                    cells.append((DisplayWidth.pad(head, to: headW), base?.isBehind == true ? .warning : .normal))
                }
                if showEditor {
                    let who = b.branch.updatedByName ?? b.branch.createdByName ?? "-"
                    cells.append((DisplayWidth.pad(Sanitizer.sanitize(who, maxCharacters: 40), to: 10) + " ", .dim))
                }
                if showAge { cells.append((DisplayWidth.pad(RelativeAge.format(iso: b.branch.updatedAt ?? b.branch.createdAt, now: now), to: 5, alignRight: true), .dim)) }
                return cells
            }
        }
    }

    /// The detail lines of a branch draft row (v2).
    func branchDraftDetail(_ row: BranchDraftRow) -> (title: String, lines: [DetailLine]) {
        guard let agentId = selectedAgentId else { return ("Detail", []) }
        switch row {
        case .newDraft(let b):
            guard let b else { return ("New draft", [DetailLine("Loading branches…", style: .dim)]) }
            if b.hasOpenDraft {
                return ("New draft", [DetailLine("\(branchLabel(b)) already has an open draft (listed above).", style: .bold),
                                      DetailLine("[ and ] switch History to another branch; this row then starts a draft there.", style: .dim)])
            }
            let head = b.headRevisionNumber.map { "r\($0)" } ?? "its head"
            return ("New draft on \(branchLabel(b))", [
                DetailLine("e opens a new draft of \(branchLabel(b)) in your editor, starting from \(head).", style: .bold),
                DetailLine("Saving creates the draft (one per branch); p then publishes it as the next revision.", style: .dim),
                DetailLine("[ and ] switch History to another branch; b creates a branch.", style: .dim)])
        case .draft(let b):
            var parts = ["the draft of \(branchLabel(b))"]
            let base = branches[agentId]?.draftBases[b.id]
            if let n = base?.baseVersionNumber { parts.append("opened on r\(n)") }
            if let n = b.headRevisionNumber { parts.append("head r\(n)") }
            if b.isLive { parts.append("LIVE branch: publishing reaches production") }
            var lines = [DetailLine(parts.joined(separator: " · "), style: .bold)]
            if let behind = base?.summary {
                lines.append(DetailLine("⚠ its base is \(behind) — p shows what publishing would undo, t the three-way view", style: .warning))
            }
            // The branch's newest row is a submission whose scan failed: publishing again is refused until it is edited.
            if let page = versions[agentId], page.branchId == b.id, let last = page.items.first, last.status != .published,
               let check = last.securityCheck, check.status.isFailure {
                let why = check.reason.map { ": " + Sanitizer.sanitize($0, maxCharacters: 160) } ?? ""
                lines.append(DetailLine("✗ its last publish failed the security check\(why) — edit it (e), then publish again", style: .failed))
            }
            if let at = b.branch.updatedAt { lines.append(DetailLine(RelativeAge.phrase(iso: at, now: now), style: .dim)) }
            lines.append(DetailLine(""))
            guard let d = b.branch.openDraftId else { return ("Config of the draft of \(branchLabel(b))", lines) }
            let ref = ConfigRef(agentId: agentId, source: .branchDraft(branchId: b.id, draftId: d))
            switch configs[ref] {
            case .loaded(let l)?: lines += l
            case .failed(let m)?: lines += [DetailLine("Could not load the config: \(m)", style: .failed), DetailLine("Enter retries.", style: .dim)]
            default: lines.append(DetailLine("Loading config…", style: .dim))
            }
            return ("Config of the draft of \(branchLabel(b))", lines)
        }
    }
}
