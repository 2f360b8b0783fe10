import Foundation
import AtomsModels

/// The scrollable, searchable text views: the help and message-log overlays, and the search inside the
/// detail area. Searching is the same everywhere: `/` types a query (case and accents ignored), Enter
/// keeps it, `n`/`N` go to the next/previous match, Esc ends the search; the status line says "3/17".
extension AppState {
    /// Where a text overlay goes and what it holds, for the current terminal size.
    struct PanelGeometry {
        var rect: Rect
        var inner: Rect
        var title: String
        var lines: [DetailLine]
        /// Width of the key column (help), 0 for none.
        var keyWidth: Int
        var footer: [String]
        /// Text lines that show at once.
        var visible: Int
        var maxScroll: Int { max(0, lines.count - visible) }
    }

    /// The geometry and content of a text overlay: as tall as the terminal allows (the status line and
    /// the legend stay visible), the footer always whole.
    func panelGeometry(_ kind: TextPanelKind) -> PanelGeometry {
        let avail = max(3, size.height - 2)
        let w = max(8, min(size.width - 2, kind == .help ? 78 : 110))
        let innerW = max(1, w - 4)
        var lines: [DetailLine]
        var keyWidth = 0
        let title: String
        let footerText: String
        switch kind {
        case .help:
            (lines, keyWidth) = helpPanelLines(width: innerW)
            title = "Help — keys"
            footerText = "j/k PgUp/PgDn g/G scroll · / search · n/N match · Esc closes"
        case .messageLog:
            lines = logPanelLines(width: innerW)
            title = "Messages (\(messageLog.entries.count))"
            footerText = "j/k PgUp/PgDn g/G scroll · / search · n/N match · Esc closes"
        case .plan:
            lines = planPanelLines(width: innerW)
            title = selectedLocalPlan.map(planTitle) ?? "Plan"
            footerText = "j/k PgUp/PgDn g/G scroll · / search · n/N match · Esc closes"
        }
        var footer = wordWrap(footerText, width: innerW)
        if footer.count > avail - 3 { footer = Array(footer.prefix(max(0, avail - 3))) }
        let h = min(avail, lines.count + footer.count + 2)
        let rect = Rect(x: max(0, (size.width - w) / 2), y: max(0, (avail - h) / 2), width: w, height: h)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: innerW, height: max(0, h - 2))
        return PanelGeometry(rect: rect, inner: inner, title: title, lines: lines, keyWidth: keyWidth, footer: footer,
                             visible: max(1, inner.height - footer.count))
    }

    /// The help as display lines wrapped to `width`: the version, one entry per binding (its keys in a
    /// column), what the marks in the lists mean, and the keys of a name input.
    func helpPanelLines(width: Int) -> (lines: [DetailLine], keyWidth: Int) {
        let entries = helpLines()
        let keyW = min(max(4, width / 3), (entries.map { DisplayWidth.of($0.keys) }.max() ?? 4) + 2)
        var out: [DetailLine] = []
        for e in entries {
            var text = e.help
            if let why = e.disabled { text += " — disabled: " + why }
            let pieces = wordWrap(text, width: max(1, width - keyW))
            for (i, piece) in pieces.enumerated() {
                let key = i == 0 ? DisplayWidth.pad(e.keys, to: keyW) : String(repeating: " ", count: keyW)
                out.append(DetailLine(key + piece, style: e.disabled == nil ? .overlay : .legendDisabled))
            }
        }
        out.append(DetailLine(""))
        for text in helpNotes() + [AtomsToolVersion.line] {
            out += wordWrap(text, width: width).map { DetailLine($0, style: .dim) }
        }
        return (out, keyW)
    }

    /// What the marks in the lists mean, and the keys of a name input (the end of the help).
    func helpNotes() -> [String] {
        let item = isV2 ? "revision" : "version"
        var marks = "Marks: ● the live \(item) · "
        if isV2 { marks += "○ the head of the branch · ↑ above the head (not serving) · " }
        marks += "◆ marked with D · ★ pinned · · in the Agents pane's Drafts and Live columns: not known yet (learned when that agent's lists load)"
        return [marks, "In a name input: ←/→ Home/End ^A/^E Bksp Del ^U ^K ^W · Enter ok · Esc cancel"]
    }

    /// The message log as display lines wrapped to `width`: clock time, a mark for errors, the text in
    /// full, then its details indented.
    func logPanelLines(width: Int) -> [DetailLine] {
        guard !messageLog.entries.isEmpty else { return [DetailLine("No messages yet.", style: .dim)] }
        var out: [DetailLine] = []
        for e in messageLog.entries {
            let head = clockTime(e.time) + (e.isError ? " ✗ " : "   ")
            let headW = DisplayWidth.of(head)
            let pieces = TextWrap.wrap(Sanitizer.sanitize(e.text), width: max(1, width - headW))
            for (i, p) in pieces.enumerated() {
                out.append(DetailLine((i == 0 ? head : String(repeating: " ", count: headW)) + p.text, style: e.isError ? .failed : .overlay))
            }
            let indent = String(repeating: " ", count: headW + 2)
            for d in e.details {
                for line in Sanitizer.sanitizeLines(d) {
                    for p in TextWrap.wrap(line, width: max(1, width - headW - 2)) { out.append(DetailLine(indent + p.text, style: .dim)) }
                }
            }
        }
        return out
    }

    /// `HH:MM:SS` at the state's UTC offset.
    func clockTime(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffsetSeconds
        let s = ((t % 86_400) + 86_400) % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return two(s / 3600) + ":" + two(s % 3600 / 60) + ":" + two(s % 60)
    }

    /// The matches of a panel's search, in its display lines.
    func panelMatches(_ kind: TextPanelKind, _ panel: TextPanel, _ g: PanelGeometry) -> [TextMatch] {
        guard let q = panel.search?.query, !q.isEmpty else { return [] }
        return TextMatcher.matches(of: q, in: g.lines.map(\.text))
    }

    /// The text overlay on screen (help, message log, plan), if any.
    var openTextPanel: (TextPanelKind, TextPanel)? {
        switch overlay {
        case .help(let p)?: return (.help, p)
        case .messageLog(let p)?: return (.messageLog, p)
        case .plan(let p)?: return (.plan, p)
        default: return nil
        }
    }

    /// Puts a text overlay of `kind` on screen.
    mutating func showTextPanel(_ kind: TextPanelKind, _ p: TextPanel) {
        switch kind {
        case .help: overlay = .help(p)
        case .messageLog: overlay = .messageLog(p)
        case .plan: overlay = .plan(p)
        }
    }

    /// Opens the message log scrolled to its newest entry.
    mutating func openMessageLog() {
        let g = panelGeometry(.messageLog)
        overlay = .messageLog(TextPanel(scroll: g.maxScroll))
    }

    /// A key in a text overlay: scrolling (never past the end), search, closing.
    mutating func panelKey(_ key: Key, _ kind: TextPanelKind, _ panel: TextPanel) -> [Effect] {
        var p = panel
        let g = panelGeometry(kind)
        func store() {
            p.scroll = max(0, min(p.scroll, g.maxScroll))
            showTextPanel(kind, p)
        }
        if var search = p.search, var editor = search.editor {
            switch key {
            case .enter:
                search.editor = nil
                p.search = search.query.isEmpty ? nil : search
            case .escape:
                p.search = nil
            default:
                guard editor.handle(key) else { return [] }
                search.editor = editor
                search.query = editor.string
                p.search = search
                let ms = panelMatches(kind, p, g)
                p.search?.current = ms.firstIndex { $0.line >= panel.scroll } ?? 0
                if let m = ms.indices.contains(p.search?.current ?? 0) ? ms[p.search?.current ?? 0] : nil {
                    p.scroll = AppState.scroll(showing: m.line, from: p.scroll, visible: g.visible)
                }
            }
            store()
            return []
        }
        switch key {
        case .escape:
            if p.search != nil { p.search = nil } else { overlay = nil; return [] }
        case .char("q"):
            overlay = nil
            return []
        case .char("?") where kind == .help, .enter where kind == .help,
             .char("M") where kind == .messageLog, .char(":") where kind == .messageLog, .char("D") where kind == .plan:
            overlay = nil
            return []
        case .down, .char("j"): p.scroll += 1
        case .up, .char("k"): p.scroll -= 1
        case .pageDown, .char(" "): p.scroll += max(1, g.visible - 1)
        case .pageUp: p.scroll -= max(1, g.visible - 1)
        case .char("g"), .home: p.scroll = 0
        case .char("G"), .end: p.scroll = g.maxScroll
        case .char("/"): p.search = TextSearch(typing: "")
        case .char("n"), .char("N"):
            let ms = panelMatches(kind, p, g)
            guard var search = p.search, !ms.isEmpty else { break }
            search.current = (search.current + (key == .char("n") ? 1 : ms.count - 1)) % ms.count
            p.search = search
            p.scroll = AppState.scroll(showing: ms[search.current].line, from: p.scroll, visible: g.visible)
        default: break
        }
        store()
        return []
    }

    /// The scroll position that shows `line`: unchanged when it already shows, else with the line a
    /// little below the top.
    static func scroll(showing line: Int, from scroll: Int, visible: Int) -> Int {
        if line >= scroll && line < scroll + visible { return scroll }
        return max(0, line - min(2, visible / 3))
    }

    // MARK: - Drawing

    /// Draws a text overlay: its lines from the scroll position, search matches highlighted, a position
    /// hint on the border, the footer at the bottom.
    func drawTextPanel(_ screen: inout Screen, _ kind: TextPanelKind, _ panel: TextPanel) {
        let g = panelGeometry(kind)
        drawDialog(&screen, g.rect, title: g.title)
        guard g.inner.width > 0, g.inner.height > 0 else { return }
        let scroll = max(0, min(panel.scroll, g.maxScroll))
        let matches = matchesByLine(panelMatches(kind, panel, g), current: panel.search?.current)
        for row in 0..<g.visible {
            let i = scroll + row
            guard i < g.lines.count, row < g.inner.height else { break }
            let line = g.lines[i]
            let y = g.inner.y + row
            screen.put(line.text, x: g.inner.x, y: y, maxWidth: g.inner.width, style: line.style)
            if g.keyWidth > 0, line.style == .overlay { screen.restyle(x: g.inner.x, y: y, width: g.keyWidth, style: .legendKey) }
            if let ms = matches[i] { highlight(&screen, line: line.text, piece: TextWrap.Piece(text: line.text, offset: 0), x: g.inner.x, y: y, matches: ms) }
        }
        if g.lines.count > g.visible {
            let last = min(g.lines.count, scroll + g.visible)
            let hint = " \(scroll + 1)–\(last)/\(g.lines.count) "
            let w = DisplayWidth.of(hint)
            if g.rect.width > w + 4 { screen.put(hint, x: g.rect.x + g.rect.width - 1 - w - 1, y: g.rect.y + g.rect.height - 1, style: .overlayTitle) }
        }
        for (i, f) in g.footer.enumerated() {
            screen.putKeys(f, x: g.inner.x, y: g.inner.y + g.inner.height - g.footer.count + i, maxWidth: g.inner.width, style: .dim,
                           continuation: i > 0 && !g.footer[i - 1].hasSuffix("·"))
        }
    }

    /// Matches grouped by line, each flagged when it is the current one.
    func matchesByLine(_ ms: [TextMatch], current: Int?) -> [Int: [(TextMatch, Bool)]] {
        var out: [Int: [(TextMatch, Bool)]] = [:]
        for (i, m) in ms.enumerated() { out[m.line, default: []].append((m, i == current)) }
        return out
    }

    /// Restyles the parts of the matches that fall in one drawn piece of a line.
    func highlight(_ screen: inout Screen, line: String, piece: TextWrap.Piece, x: Int, y: Int, matches: [(TextMatch, Bool)]) {
        let chars = Array(line)
        let pieceEnd = piece.offset + piece.text.count
        for (m, isCurrent) in matches {
            let a = max(m.start, piece.offset), b = min(m.start + m.length, pieceEnd)
            guard a < b, b <= chars.count else { continue }
            let col = x + chars[piece.offset..<a].reduce(0) { $0 + DisplayWidth.of($1) }
            let w = chars[a..<b].reduce(0) { $0 + DisplayWidth.of($1) }
            screen.restyle(x: col, y: y, width: w, style: isCurrent ? .matchCurrent : .match)
        }
    }

    // MARK: - Search in the detail area

    /// The matches of the detail area's search in its current lines.
    func detailMatches() -> [TextMatch] {
        guard let q = detailSearch?.query, !q.isEmpty else { return [] }
        return TextMatcher.matches(of: q, in: detailContent().lines.map(\.text))
    }

    /// A key while the detail area's query is typed.
    mutating func detailSearchKey(_ key: Key) -> [Effect] {
        guard var search = detailSearch, var editor = search.editor else { return [] }
        switch key {
        case .enter:
            search.editor = nil
            detailSearch = search.query.isEmpty ? nil : search
        case .escape:
            detailSearch = nil
        default:
            guard editor.handle(key) else { return [] }
            search.editor = editor
            search.query = editor.string
            detailSearch = search
            let ms = detailMatches()
            detailSearch?.current = ms.firstIndex { $0.line >= detailScroll } ?? 0
            if let i = detailSearch?.current, ms.indices.contains(i) { showDetailLine(ms[i].line) }
        }
        return []
    }

    /// `n`/`N` in the detail area: the next/previous match, scrolled into view.
    mutating func moveDetailMatch(forward: Bool) -> [Effect] {
        let ms = detailMatches()
        guard var search = detailSearch else { return [] }
        guard !ms.isEmpty else {
            status = StatusMessage("No match for \"\(search.query)\"", isError: true)
            return []
        }
        search.current = (search.current + (forward ? 1 : ms.count - 1)) % ms.count
        detailSearch = search
        showDetailLine(ms[search.current].line)
        return []
    }

    /// Scrolls the detail area so `line` shows (never past the last page).
    mutating func showDetailLine(_ line: Int) {
        let lines = detailContent().lines
        let end = detailVisibleEnd(lines)
        if line >= detailScroll && line <= end { return }
        detailScroll = max(0, min(detailMaxScroll(lines), line - 2))
    }

    /// The width and height of the detail area's text, when it shows.
    func detailTextGeometry() -> (width: Int, rows: Int)? {
        guard let r = Layout(size: size, focus: focus, detailOwner: detailOwner).detail, r.width > 3, r.height > 2 else { return nil }
        return (r.width - 3, r.height - 2)
    }

    /// The first line of the last page: scrolling further would show less than a page (`G` goes here).
    func detailMaxScroll(_ lines: [DetailLine]) -> Int {
        guard !lines.isEmpty else { return 0 }
        guard let (width, rows) = detailTextGeometry() else { return lines.count - 1 }
        var used = 0
        var i = lines.count - 1
        while i >= 0 {
            let h = max(1, TextWrap.wrap(lines[i].text, width: width, maxPieces: rows + 1, hangingIndent: true).count)
            if used + h > rows { return min(lines.count - 1, i + 1) }
            used += h
            i -= 1
        }
        return 0
    }

    /// The last line (partly) visible from the current scroll position.
    func detailVisibleEnd(_ lines: [DetailLine]) -> Int {
        guard let (width, rows) = detailTextGeometry() else { return detailScroll }
        var used = 0
        var i = detailScroll
        while i < lines.count {
            used += max(1, TextWrap.wrap(lines[i].text, width: width, maxPieces: rows + 1, hangingIndent: true).count)
            if used >= rows { return i }
            i += 1
        }
        return max(detailScroll, lines.count - 1)
    }

    // MARK: - Status line

    /// What the status line says about the search in view: "/greet 3/17", or nil without a search.
    public func searchSummary() -> String? {
        let search: TextSearch
        let count: Int
        if let (kind, p) = openTextPanel {
            guard let s = p.search else { return nil }
            search = s
            count = panelMatches(kind, p, panelGeometry(kind)).count
        } else {
            guard overlay == nil, focus == .detail, let s = detailSearch else { return nil }
            search = s
            count = detailMatches().count
        }
        var text = "/" + Sanitizer.sanitize(search.query, maxCharacters: 100) + (search.isTyping ? "▏" : "")
        if search.query.isEmpty { return text + "  type to search (case and accents ignored) · Enter keeps · Esc ends" }
        if count == 0 { return text + "  no match" }
        text += "  \(min(search.current, count - 1) + 1)/\(count)"
        return text + (search.isTyping ? " · Enter keeps · Esc ends" : " · n/N next/previous · Esc ends the search")
    }
}

extension EffectFailure {
    /// The failure in full for the message log: the whole reason, the HTTP status, the hint and the request id.
    public var logLines: [String] {
        var out = ["reason: " + Sanitizer.sanitize(reason)]
        if let status { out.append("HTTP status: \(status)") }
        if let hint, !hint.isEmpty { out.append("hint: " + Sanitizer.sanitize(hint)) }
        if let requestId, !requestId.isEmpty { out.append("request id: " + Sanitizer.sanitize(requestId)) }
        return out
    }
}
