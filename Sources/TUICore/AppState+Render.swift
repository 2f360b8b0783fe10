import AtomsModels

extension AppState {
    /// Draws the state into a screen of `size` (see `render(_:_:)`).
    public func render(size: Size) -> Screen {
        var screen = drawScreen(size: size)
        if asciiOnly { screen.makeASCII() }
        return screen
    }

    private func drawScreen(size: Size) -> Screen {
        var screen = Screen(size: size)
        let layout = Layout(size: size, focus: focus, detailOwner: detailOwner)
        if layout.tooSmall {
            drawTooSmall(&screen)
            return screen
        }
        for (pane, rect) in layout.panes {
            switch pane {
            case .agents: drawAgents(&screen, rect, layout: layout)
            case .versions: drawVersions(&screen, rect, layout: layout)
            case .drafts: if isV2 { drawBranchDrafts(&screen, rect, layout: layout) } else { drawDrafts(&screen, rect, layout: layout) }
            case .detail: break
            }
        }
        if let r = layout.detail { drawDetail(&screen, r) }
        drawStatus(&screen, row: layout.statusRow)
        drawLegend(&screen, row: layout.legendRow)
        if let flow = publish { drawPublish(&screen, flow) }
        switch overlay {
        case .help(let p)?: drawTextPanel(&screen, .help, p)
        case .messageLog(let p)?: drawTextPanel(&screen, .messageLog, p)
        case .confirm(let c)?: drawConfirm(&screen, c)
        case .input(let p)?: drawInput(&screen, p)
        case .resumeEdit(let target, let path)?:
            drawMessage(&screen, title: "Unsaved edit of \(target.label)",
                        lines: [("Resume your unsaved edit from \(path)? [y/N]", .overlayTitle),
                                ("It is an earlier edit of this draft that could not be saved.", .overlay)],
                        footer: "y resume it · n or Enter start from the draft as it is now · Esc cancel")
        case .versionMeta(let p)?: drawVersionMeta(&screen, p)
        case .threeWay(let t)?: drawThreeWay(&screen, t)
        case .plan(let p)?: drawTextPanel(&screen, .plan, p)
        case .editConflict(let target, let conflict)?:
            drawMessage(&screen, title: "Conflict — \(target.label)", lines: conflictLines(target, conflict),
                        footer: "e edit again (theirs + your changes) · o overwrite with yours · c/Esc cancel (your text is kept)")
        case nil: break
        }
        return screen
    }

    // MARK: - Too small

    private func drawTooSmall(_ screen: inout Screen) {
        let need = "(need \(Layout.minimum.width)×\(Layout.minimum.height))"
        let whole = "terminal too small \(need)"
        var lines = DisplayWidth.of(whole) <= screen.width ? [whole] : wordWrap("terminal too small", width: screen.width) + wordWrap(need, width: screen.width)
        lines += wordWrap("now \(screen.width)×\(screen.height) · q quits", width: screen.width)
        let top = max(0, (screen.height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let x = max(0, (screen.width - DisplayWidth.of(l)) / 2)
            screen.put(l, x: x, y: top + i, maxWidth: screen.width)
        }
    }

    // MARK: - Panes

    func paneTitle(_ pane: Pane, layout: Layout, detail: String) -> String {
        var title = isV2 && pane == .versions ? "History" : pane.title
        if layout.tabbed, layout.panes.last?.pane == pane {
            // The panes reachable with Tab, on the rightmost visible pane: "Versions ⇥ drafts".
            let hidden = Pane.lists.filter { p in !layout.panes.contains { $0.pane == p } }
            if !hidden.isEmpty { title += " ⇥ " + hidden.map { (isV2 && $0 == .versions ? "History" : $0.title).lowercased() }.joined(separator: " ") }
        }
        if !detail.isEmpty { title += " " + detail }
        return title
    }

    func drawFrame(_ screen: inout Screen, _ rect: Rect, pane: Pane, title: String) {
        let focused = focus == pane
        screen.box(x: rect.x, y: rect.y, width: rect.width, height: rect.height, title: title,
                   style: focused ? .borderFocused : .border, titleStyle: focused ? .titleFocused : .title)
    }

    /// The filter shown in a pane's first row while typed or set.
    private func filterCaption(_ pane: Pane) -> String? {
        if let f = filterEditor, f.pane == pane { return "/" + Sanitizer.sanitize(f.editor.string) + "▏" }
        let q = filter(pane)
        return q.isEmpty ? nil : "/" + Sanitizer.sanitize(q)
    }

    /// Draws the header (or the filter line) and the rows of a list.
    func drawList(_ screen: inout Screen, _ rect: Rect, pane: Pane, header: String, rowCount: Int,
                          empty: String, row: (Int, Int) -> [(String, Style)]) {
        let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
        guard inner.width > 0, inner.height > 0 else { return }
        if let caption = filterCaption(pane) {
            screen.put(caption, x: inner.x, y: inner.y, maxWidth: inner.width, style: .input)
        } else {
            screen.put(header, x: inner.x, y: inner.y, maxWidth: inner.width, style: .header)
        }
        let visible = inner.height - 1
        guard visible > 0 else { return }
        if rowCount == 0 {
            screen.put(empty, x: inner.x, y: inner.y + 1, maxWidth: inner.width, style: .dim)
            return
        }
        var pos = position(pane)
        pos.clamp(count: rowCount, visible: visible)
        let focused = focus == pane || (focus == .detail && detailOwner == pane)
        for i in 0..<visible {
            let index = pos.scroll + i
            guard index < rowCount else { break }
            let y = inner.y + 1 + i
            var x = inner.x
            for (text, style) in row(index, inner.width) {
                x += screen.put(text, x: x, y: y, maxWidth: inner.x + inner.width - x, style: style)
            }
            if index == pos.cursor {
                screen.restyle(x: inner.x, y: y, width: inner.width, style: focused ? .selected : .selectedUnfocused)
            }
        }
        if rowCount > visible {
            // A scroll position hint on the bottom border.
            let hint = " \(pos.cursor + 1)/\(rowCount) "
            let w = DisplayWidth.of(hint)
            if rect.width > w + 4 { screen.put(hint, x: rect.x + rect.width - 1 - w - 1, y: rect.y + rect.height - 1, style: .dim) }
        }
    }

    private func drawAgents(_ screen: inout Screen, _ rect: Rect, layout: Layout) {
        let rows = agentRows
        var count = ""
        if let t = agentsTotal { count = filter(.agents).isEmpty ? "\(agents.count)/\(t)" : "\(rows.count)" }
        if agentsLoading && !agents.isEmpty { count += " …" }
        if agentSearchLoading { count += " searching…" }
        if agentSort != .server { count += agentSort == .name ? " · by name" : " · by update" }
        drawFrame(&screen, rect, pane: .agents, title: paneTitle(.agents, layout: layout, detail: count))
        let iw = rect.width - 2
        let showDrafts = iw >= 24, showLive = iw >= 16
        let nameW = iw - (showDrafts ? 7 : 0) - (showLive ? 6 : 0)
        var header = DisplayWidth.pad("Name", to: nameW)
        if showDrafts { header += DisplayWidth.pad("Drafts", to: 7, alignRight: true) }
        if showLive { header += DisplayWidth.pad("Live", to: 6, alignRight: true) }
        let empty: String
        if agentsLoading && agents.isEmpty { empty = "Loading agents…" }
        else if !filter(.agents).isEmpty { empty = agentSearchLoading ? "No loaded match; searching…" : "No agent matches" }
        else if let e = agentsError { empty = e.kind == .unauthorized ? "The API key was refused (401) — check the key given by --api-key, SMALLEST_API_KEY or the profile's apiKey" : "Could not load agents (R retries)" }
        else { empty = "No agents" }
        drawList(&screen, rect, pane: .agents, header: header, rowCount: rows.count, empty: empty) { i, _ in
            let a = rows[i]
            let s = stats[a.id]
            var cells: [(String, Style)]
            if let m = localPlanMarker(a.id) {
                // A pulled file in this directory differs from what is live (D shows the plan).
                cells = [(m + " ", .warning), (DisplayWidth.pad(Sanitizer.sanitize(a.name, maxCharacters: 400), to: max(0, nameW - 2)), .normal)]
            } else {
                cells = [(DisplayWidth.pad(Sanitizer.sanitize(a.name, maxCharacters: 400), to: nameW), .normal)]
            }
            if showDrafts { cells.append((DisplayWidth.pad(s?.draftCount.map(String.init) ?? "·", to: 7, alignRight: true), .normal)) }
            if showLive { cells.append((DisplayWidth.pad(s?.activeVersionNumber.map { (isV2 ? "r" : "v") + "\($0)" } ?? "·", to: 6, alignRight: true), .active)) }
            return cells
        }
        // What a `·` means, on the bottom border while a row on screen shows one (the list endpoint does not
        // return drafts or the live number; they are read when the agent is opened).
        guard showDrafts || showLive, !rows.isEmpty else { return }
        let p = position(.agents), visible = max(0, rect.height - 3)
        let shown = rows[min(rows.count, p.scroll)..<min(rows.count, p.scroll + visible)]
        guard shown.contains(where: { a in stats[a.id]?.draftCount == nil || stats[a.id]?.activeVersionNumber == nil }) else { return }
        let note = " · = not read yet (Enter) "
        let right = rows.count > visible ? DisplayWidth.of(" \(p.cursor + 1)/\(rows.count) ") + 2 : 1
        if rect.width - right - 2 >= DisplayWidth.of(note) { screen.put(note, x: rect.x + 2, y: rect.y + rect.height - 1, style: .dim) }
        else if rect.width - right - 2 >= 18 { screen.put(" · = not read yet ", x: rect.x + 2, y: rect.y + rect.height - 1, style: .dim) }
    }

    private func drawVersions(_ screen: inout Screen, _ rect: Rect, layout: Layout) {
        let rows = versionRows
        let page = selectedAgentId.flatMap { versions[$0] }
        var count = ""
        if let t = page?.total { count = filter(.versions).isEmpty ? "\(page!.items.count)/\(t)" : "\(rows.count)" }
        if page?.loading == true && page?.items.isEmpty == false { count += " …" }
        if versionSort == .age { count += " · by age" }
        if isV2, let b = currentBranch {
            let list = branchList
            let i = (list.firstIndex { $0.id == b.id } ?? 0) + 1
            var t = "· " + Sanitizer.sanitize(b.branch.name, maxCharacters: 30) + (b.isLive ? " ● live" : "")
            if list.count > 1 { t += " [\(i)/\(list.count)]" }
            count = t + (count.isEmpty ? "" : " " + count)
        }
        drawFrame(&screen, rect, pane: .versions, title: paneTitle(.versions, layout: layout, detail: count))
        let iw = rect.width - 2
        var showWho = iw >= 50, wordBadge = iw >= 40
        let showAge = iw >= 26
        var fixed: Int { 2 + 5 + 3 + (wordBadge ? 8 : 2) + (showWho ? 13 : 0) + (showAge ? 5 : 0) }
        // Release health: calls, fail %, p50 for the versions that served. To make room the publisher
        // gives way first, then the check word becomes its glyph; the label keeps at least 8 cells.
        let healthReport = selectedHealth.flatMap { $0.versions.isEmpty ? nil : $0 }
        let hw = AppState.healthColumnsWidth + 1
        var showHealth = false
        if healthReport != nil {
            if iw - fixed - hw < 12 { showWho = false }
            if iw - fixed - hw < 12 { wordBadge = false }
            showHealth = iw - fixed - hw >= 8
            if !showHealth { showWho = iw >= 50; wordBadge = iw >= 40 }
        }
        let widths = fixed + (showHealth ? hw : 0)
        let labelW = max(1, iw - widths)
        var header = "  " + DisplayWidth.pad("#", to: 5, alignRight: true) + "   " + DisplayWidth.pad("Label", to: labelW)
        if showHealth {
            header += DisplayWidth.pad("Calls", to: 5, alignRight: true) + DisplayWidth.pad("Fail", to: 6, alignRight: true) + DisplayWidth.pad("p50", to: 6, alignRight: true) + " "
        }
        header += wordBadge ? DisplayWidth.pad("Check", to: 8) : DisplayWidth.pad("✓", to: 2)
        if showWho { header += DisplayWidth.pad("Publisher", to: 13) }
        if showAge { header += DisplayWidth.pad("Age", to: 5, alignRight: true) }
        let empty: String
        if selectedAgentId == nil { empty = agentsLoading ? "Loading…" : "Select an agent" }
        else if page?.error != nil { empty = "Could not load — R retries" }
        else if page?.loading == true && page?.items.isEmpty != false { empty = isV2 ? "Loading revisions…" : "Loading versions…" }
        else if isV2 && currentBranch == nil { empty = "Loading branches…" }
        else if !filter(.versions).isEmpty { empty = isV2 ? "No revision matches" : "No version matches" }
        else { empty = isV2 ? "No revisions" : "No published versions" }
        let activeId = activeVersionId
        let headId = isV2 ? currentBranch?.branch.headRevisionId : nil
        let headNumber = isV2 ? currentBranch?.headRevisionNumber : nil
        let markSource = mark?.source
        drawList(&screen, rect, pane: .versions, header: header, rowCount: rows.count, empty: empty) { i, _ in
            let v = rows[i]
            let isActive = v.isActive || v.id == activeId
            let marked = markSource == .version(v.id)
            let isHead = headId != nil && v.id == headId
            // A committed revision numbered above the head does not serve: the head was set back (see its detail).
            let aboveHead = !isHead && v.status == .published && (v.revisionNumber ?? 0) > (headNumber ?? Int.max)
            let marker = isActive ? "● " : (isHead ? "○ " : (marked ? "◆ " : (aboveHead ? "↑ " : "  ")))
            var cells: [(String, Style)] = [(marker, isActive ? .active : (aboveHead ? .dim : .pinned))]
            cells.append((DisplayWidth.pad(isV2 ? v.revisionLabel : v.displayNumber, to: 5, alignRight: true), isFresh(v.id) ? .added : .bold))
            cells.append((v.isPinned ? " ★ " : "   ", .pinned))
            // One cell of gap keeps a cut label from running into the badge.
            cells.append((DisplayWidth.pad(Sanitizer.sanitize(v.shownLabel ?? "", maxCharacters: 400), to: max(0, labelW - 1)) + (labelW > 1 ? " " : ""), .normal))
            if showHealth, let report = healthReport {
                let worse = report.comparisons[v.id]?.verdict.isWorse == true
                cells.append((healthColumns(v.id, report: report) + " ", worse ? .failed : .dim))
            }
            var (badge, style) = AppState.badge(v.securityCheck?.status, word: wordBadge)
            if isV2 && v.status == .draft && style == .pending { badge = wordBadge ? "scanning" : "…" }
            cells.append((DisplayWidth.pad(badge, to: wordBadge ? 8 : 2), style))
            if showWho { cells.append((DisplayWidth.pad(Sanitizer.sanitize(v.publishedByName ?? v.publishedBy ?? "-", maxCharacters: 40), to: 12) + " ", .dim)) }
            if showAge { cells.append((DisplayWidth.pad(RelativeAge.format(iso: v.publishedAt ?? v.createdAt, now: now), to: 5, alignRight: true), .dim)) }
            return cells
        }
    }

    /// The security-check badge: a word (`passed`, `pending`, `failed`) or a glyph, and its style.
    public static func badge(_ status: SecurityCheckStatus?, word: Bool) -> (String, Style) {
        guard let status else { return (word ? "-" : " ", .dim) }
        if status.isPassed { return (word ? "passed" : "✓", .passed) }
        if status.isFailure { return (word ? "failed" : "✗", .failed) }
        return (word ? "pending" : "…", .pending)
    }

    private func drawDrafts(_ screen: inout Screen, _ rect: Rect, layout: Layout) {
        let rows = draftRows
        let set = selectedAgentId.flatMap { drafts[$0] }
        drawFrame(&screen, rect, pane: .drafts, title: paneTitle(.drafts, layout: layout, detail: set?.loaded == true ? "\(rows.count)" : ""))
        let iw = rect.width - 2
        let showEditor = iw >= 36, showAge = iw >= 22, showRev = iw >= 16
        let fixed = 9 + (showRev ? 5 : 0) + (showEditor ? 11 : 0) + (showAge ? 5 : 0)
        let nameW = max(1, iw - fixed)
        var header = DisplayWidth.pad("Name", to: nameW) + DisplayWidth.pad("From", to: 9)
        if showRev { header += DisplayWidth.pad("Rev", to: 5) }
        if showEditor { header += DisplayWidth.pad("Editor", to: 11) }
        if showAge { header += DisplayWidth.pad("Age", to: 5, alignRight: true) }
        let empty: String
        if selectedAgentId == nil { empty = agentsLoading ? "Loading…" : "Select an agent" }
        else if set?.error != nil { empty = "Could not load — R retries" }
        else if set?.loaded != true { empty = "Loading drafts…" }
        else if !filter(.drafts).isEmpty { empty = "No draft matches" }
        else { empty = "No drafts — n forks one" }
        let agentId = selectedAgentId ?? ""
        let markSource = mark?.source
        drawList(&screen, rect, pane: .drafts, header: header, rowCount: rows.count, empty: empty) { i, _ in
            let d = rows[i]
            let marked = markSource == .draft(d.draftId ?? d.id)
            let name = (marked ? "◆ " : "") + Sanitizer.sanitize(d.draftName ?? d.draftId ?? d.id, maxCharacters: 400)
            var source = "-"
            if let s = d.sourceVersionId { source = versionLabel(agentId: agentId, versionId: s) }
            else if let s = d.sourceDraftId {
                let parent = drafts[agentId]?.items.first { $0.draftId == s || $0.id == s }
                source = "⇠" + Sanitizer.sanitize(parent?.draftName ?? String(s.suffix(6)), maxCharacters: 40)
            }
            if source.hasPrefix("version …") { source = "…" + String(source.suffix(6)) }
            // A base behind what is live: "v3 ↓2" (behind by 2), "v5 ↺" (live rolled back below it).
            let behind = DraftBaseStatus.of(sourceVersionId: d.sourceVersionId, activeVersionId: activeVersionId,
                                            versions: versions[agentId]?.items ?? [])
            if let b = behind, b.isBehind { source += b.liveIsOlder ? " ↺" : " ↓\(b.behindBy)" }
            var cells: [(String, Style)] = [(DisplayWidth.pad(name, to: max(0, nameW - 1)) + (nameW > 1 ? " " : ""), isFresh(d.id) ? .added : .normal),
                                            (DisplayWidth.pad(source, to: 8) + " ", behind?.isBehind == true ? .warning : .dim)]
            if showRev { cells.append((DisplayWidth.pad(d.draftRevision.map { "r\($0)" } ?? "-", to: 5), .normal)) }
            if showEditor { cells.append((DisplayWidth.pad(Sanitizer.sanitize(d.lastEditorName ?? "-", maxCharacters: 40), to: 10) + " ", .dim)) }
            if showAge { cells.append((DisplayWidth.pad(RelativeAge.format(iso: d.updatedAt ?? d.createdAt, now: now), to: 5, alignRight: true), .dim)) }
            return cells
        }
    }

    // MARK: - Detail

    private func drawDetail(_ screen: inout Screen, _ rect: Rect) {
        let content = detailContent()
        let focused = focus == .detail
        screen.box(x: rect.x, y: rect.y, width: rect.width, height: rect.height, title: Sanitizer.sanitize(content.title),
                   style: focused ? .borderFocused : .border, titleStyle: focused ? .titleFocused : .title)
        let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
        guard inner.width > 1, inner.height > 0 else { return }
        let lines = content.lines
        var y = inner.y
        var index = max(0, min(detailScroll, max(0, lines.count - 1)))
        let textWidth = inner.width - 1  // one column of margin
        let matches = focused ? matchesByLine(detailMatches(), current: detailSearch?.current) : [:]
        while y < inner.y + inner.height, index < lines.count {
            let line = lines[index]
            // Long lines wrap at word boundaries; only as many pieces as can show are made.
            for piece in TextWrap.wrap(line.text, width: textWidth, maxPieces: inner.y + inner.height - y, hangingIndent: true) {
                guard y < inner.y + inner.height else { break }
                let x = inner.x + 1 + piece.indent
                screen.put(piece.text, x: x, y: y, maxWidth: textWidth - piece.indent, style: line.style)
                if let ms = matches[index] { highlight(&screen, line: line.text, piece: piece, x: x, y: y, matches: ms) }
                y += 1
            }
            index += 1
        }
        if lines.count > 1 {
            let hint = " \(min(detailScroll + 1, lines.count))/\(lines.count) "
            let w = DisplayWidth.of(hint)
            if rect.width > w + 4 { screen.put(hint, x: rect.x + rect.width - 1 - w - 1, y: rect.y + rect.height - 1, style: .dim) }
        }
    }

    // MARK: - Status and legend

    private func drawStatus(_ screen: inout Screen, row: Int) {
        screen.fill(x: 0, y: row, width: screen.width, height: 1, style: .statusBar)
        var x = 0
        if isDemo { x += screen.put(" DEMO ", x: x, y: row, style: .demo) }
        let account = accountLabel.isEmpty ? "" : " " + Sanitizer.sanitize(accountLabel, maxCharacters: 40)
        let api = isV2 ? "v2 (branches)" : "v1"
        x += screen.put(account + " · API \(api) ", x: x, y: row, style: .statusBar)
        var right = ""
        if readOnly { right = " READ-ONLY " }
        if let w = writeInFlight { right = " \(w)… " + right }
        else if agentsLoading || agentSearchLoading || (selectedAgentId.map { versions[$0]?.loading == true || drafts[$0]?.loading == true || branches[$0]?.loading == true } ?? false) {
            right = " loading… " + right
        }
        let background = watches.filter { $0.key != publish?.watchId }.sorted { $0.key < $1.key }.map { $0.value.title }
        if writeInFlight == nil, !background.isEmpty { right = " \(isV2 ? "scanning" : "checking") \(background.joined(separator: ", "))… " + right }
        if let m = mark { right = " marked \(m.label) " + right }
        // The age of the lists, when nothing more important wants the line.
        if right.isEmpty, status == nil, searchSummary() == nil, let ago = updatedAgo() { right = " \(ago) " }
        let rw = DisplayWidth.of(right)
        let avail = screen.width - x - rw - 1
        if let search = searchSummary() {
            // A search in view owns the status line: its query and which match of how many.
            if avail > 3 {
                screen.put("│ ", x: x, y: row, style: .statusBar)
                screen.put(DisplayWidth.truncate(search, to: avail - 2), x: x + 2, y: row, maxWidth: avail - 2, style: .statusInfo)
            }
        } else if let s = status {
            if avail > 3 {
                screen.put("│ ", x: x, y: row, style: .statusBar)
                // A cut message says where the rest is: an error "(M: details)", a confirmation a short "(M)".
                let text = AppState.statusText(Sanitizer.sanitize(s.text), width: avail - 2, tail: s.isError ? " (M: details)" : " (M)")
                screen.put(text, x: x + 2, y: row, maxWidth: avail - 2,
                           style: s.isError ? .statusError : .statusInfo)
            }
        } else if let alert = healthAlert {
            // The active version is significantly worse: the roll-back key, until something else is said.
            if avail > 3 {
                screen.put("│ ", x: x, y: row, style: .statusBar)
                screen.put(DisplayWidth.truncate(alert, to: avail - 2), x: x + 2, y: row, maxWidth: avail - 2, style: .statusError)
            }
        }
        if rw > 0, rw < screen.width - x { screen.put(right, x: screen.width - rw, y: row, style: readOnly && writeInFlight == nil ? .warning : .statusBar) }
    }

    /// A message cut to `width`: when it does not fit, it ends with "…" and `tail` — "(M: details)" for an
    /// error, "(M)" for a confirmation (the message log keeps it whole).
    static func statusText(_ text: String, width: Int, tail: String = " (M: details)") -> String {
        guard DisplayWidth.of(text) > width else { return text }
        guard width >= 24 else { return DisplayWidth.truncate(text, to: width) }
        return DisplayWidth.truncate(text, to: width - DisplayWidth.of(tail)) + tail
    }

    private func drawLegend(_ screen: inout Screen, row: Int) {
        var x = 0
        for b in Keymap.bindings where b.inLegend && b.applies(to: apiGeneration) {
            let disabled = b.whyDisabled(self) != nil
            let w = DisplayWidth.of(b.label) + 1 + DisplayWidth.of(b.short) + 2
            if x + w - 2 > screen.width { break }
            screen.put(b.label, x: x, y: row, style: disabled ? .legendDisabled : .legendKey)
            // A click on an entry acts like its key (its label and word).
            if let key = b.keys.first { screen.addButton(x: x, y: row, width: w - 2, key: key) }
            screen.put(b.short, x: x + DisplayWidth.of(b.label) + 1, y: row, style: disabled ? .legendDisabled : .legendText)
            x += w
        }
    }

    // MARK: - Overlays

    func dialogRect(_ screen: Screen, width: Int, height: Int) -> Rect {
        let w = min(screen.width - 2, width), h = min(screen.height - 2, height)
        return Rect(x: (screen.width - w) / 2, y: max(0, (screen.height - h) / 2), width: w, height: h)
    }

    func drawDialog(_ screen: inout Screen, _ r: Rect, title: String) {
        screen.fill(x: r.x, y: r.y, width: r.width, height: r.height, style: .overlay)
        screen.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, style: .overlay, titleStyle: .overlayTitle)
    }

    private func drawConfirm(_ screen: inout Screen, _ c: Confirmation) {
        let textW = min(screen.width - 6, 70)
        var body: [String] = []
        for l in c.lines { body += wordWrap(l, width: max(1, textW)) }
        let r = dialogRect(screen, width: textW + 4, height: body.count + 4)
        drawDialog(&screen, r, title: c.title)
        for (i, l) in body.enumerated() where r.y + 1 + i < r.y + r.height - 2 {
            screen.put(l, x: r.x + 2, y: r.y + 1 + i, maxWidth: r.width - 4, style: i == 0 ? .overlayTitle : .overlay)
        }
        let prompt = c.confirmedEarly ? "y pressed: checking what this would undo first… · n or Esc cancels"
            : c.reviewPending ? "Checking what this would undo… · y confirms · n, Esc or Enter cancels  [y/N]"
            : "Press y to confirm · n, Esc or Enter cancels  [y/N]"
        screen.putKeys(prompt, x: r.x + 2, y: r.y + r.height - 2, maxWidth: r.width - 4, style: .warning,
                       continuation: c.confirmedEarly)  // "y pressed" is not a button
    }

    private func drawInput(_ screen: inout Screen, _ p: InputPrompt) {
        let textW = min(screen.width - 6, 70)
        let label = wordWrap(p.label, width: max(1, textW))
        let problem = p.error.map { wordWrap("✗ " + Sanitizer.sanitize($0, maxCharacters: 300), width: max(1, textW)) } ?? []
        let r = dialogRect(screen, width: textW + 4, height: label.count + 5 + problem.count)
        drawDialog(&screen, r, title: p.title)
        for (i, l) in label.enumerated() { screen.put(l, x: r.x + 2, y: r.y + 1 + i, maxWidth: r.width - 4, style: .overlay) }
        let fieldY = r.y + 1 + label.count
        let fieldW = r.width - 4
        guard fieldW > 2, fieldY < r.y + r.height - 1 else { return }
        screen.fill(x: r.x + 2, y: fieldY, width: fieldW, height: 1, style: .input)
        // Scroll the text so the cursor stays visible.
        let chars = p.editor.text.map { Sanitizer.sanitize(String($0)) }
        var start = 0
        var widthBefore = chars[..<p.editor.cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while widthBefore > fieldW - 2, start < p.editor.cursor { widthBefore -= DisplayWidth.of(chars[start]); start += 1 }
        var x = r.x + 2
        for i in start..<chars.count {
            let w = DisplayWidth.of(chars[i])
            if x + w > r.x + 2 + fieldW { break }
            screen.put(chars[i], x: x, y: fieldY, style: i == p.editor.cursor ? .inputCursor : .input)
            x += w
        }
        if p.editor.cursor == chars.count, x < r.x + 2 + fieldW { screen.put(" ", x: x, y: fieldY, style: .inputCursor) }
        for (i, l) in problem.enumerated() where fieldY + 1 + i < r.y + r.height - 1 {
            screen.put(l, x: r.x + 2, y: fieldY + 1 + i, maxWidth: fieldW, style: .failed)
        }
        let keys = p.pending ? "Saving… (Esc closes this; the request goes on)" : "Enter ok · Esc cancel"
        screen.putKeys(keys, x: r.x + 2, y: fieldY + 1 + problem.count, maxWidth: fieldW, style: .dim)
    }

    /// Word wrap by display width (words longer than the width are hard-wrapped).
    func wordWrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { lines.append(line) }
            var pieces = DisplayWidth.wrap(word, width: width)
            line = pieces.removeLast()
            lines += pieces
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
