import Foundation
import AtomsModels

extension AppState {
    /// Spinner frames (one per 100 ms of the clock).
    static let spinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    /// A security-check bar `width` cells wide. Before the estimate it fills with elapsed/expected
    /// but never completely (a check is never shown done before it is); past the estimate it turns
    /// indeterminate: a block sweeping back and forth.
    public static func checkBar(elapsed: TimeInterval, expected: TimeInterval, width: Int) -> String {
        guard width > 0 else { return "" }
        let e = max(0, elapsed)
        if e < expected {
            let filled = min(width - 1, Int(e / max(0.001, expected) * Double(width)))
            return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        }
        let block = min(4, width)
        let travel = max(1, width - block)
        let step = Int((e - expected) * 8) % (2 * travel)
        let at = step < travel ? step : 2 * travel - step
        return String(repeating: "░", count: at) + String(repeating: "▓", count: block) + String(repeating: "░", count: width - at - block)
    }

    /// Seconds as `3.2 s`.
    static func seconds(_ t: TimeInterval) -> String { String(format: "%.1f s", max(0, t)) }

    // MARK: - Review dialog

    func drawPublish(_ screen: inout Screen, _ flow: PublishFlow) {
        if flow.phase == .review { drawReview(&screen, flow) } else { drawProgress(&screen, flow) }
    }

    private func drawReview(_ screen: inout Screen, _ flow: PublishFlow) {
        let r = dialogRect(screen, width: 110, height: screen.height - 3)
        drawDialog(&screen, r, title: (flow.andActivate ? "Publish and activate — " : "Publish — ") + flow.draftTitle)
        let x = r.x + 2, w = r.width - 4
        guard w > 4, r.height > 4 else { return }
        let top = r.y + 1, bottom = r.y + r.height - 1  // rows top..<bottom
        var y = top
        let agent = agentName(flow.agentId)
        let intro = flow.branchId != nil
            ? (flow.onLiveBranch
               ? "Publish \(flow.draftTitle) of \(agent) as \(nextRevisionName(flow)). \(flow.branchTitle) is LIVE: the change reaches production as soon as its security scan passes (you are asked y first)."
               : "Publish \(flow.draftTitle) of \(agent) as \(nextRevisionName(flow)). \(MessageText.sentence(flow.branchTitle)) is not live; after the scan passes you are asked whether to make it live.")
            : flow.andActivate
            ? "Publish \(flow.draftTitle) of \(agent) and ACTIVATE it as soon as its security check passes — it will serve live traffic, no second question."
            : "Publish \(flow.draftTitle) of \(agent) as a new version. It stays inactive until you activate it (you are asked after the security check)."
        // Bottom part, from the footer up.
        let descRows = r.height >= 20 ? 3 : 1
        // A refusal is read whole (up to three lines; `M` has the rest).
        var errorLines = flow.error.map { wordWrap($0, width: w) } ?? []
        if errorLines.count > 3 {
            errorLines = Array(errorLines.prefix(3))
            errorLines[2] = DisplayWidth.truncate(errorLines[2] + " … (M: all of it)", to: w)
        }
        let lowerCount = 2 + (flow.noDifferences ? 1 : 0) + (flow.branchId == nil ? 1 + descRows : 0) + errorLines.count + 1
        // The fields and the keys always show: the intro gives way first (cut short with "…"), then the diff.
        let introRoom = max(1, bottom - top - lowerCount - 2)
        var introLines = wordWrap(intro, width: w)
        if introLines.count > introRoom {
            introLines = Array(introLines.prefix(introRoom))
            introLines[introLines.count - 1] = DisplayWidth.truncate(introLines[introLines.count - 1] + " …", to: w)
        }
        for l in introLines where y < bottom {
            screen.put(l, x: x, y: y, maxWidth: w, style: flow.andActivate || flow.onLiveBranch ? .warning : .overlay)
            y += 1
        }
        var lower: [(kind: String, style: Style)] = []
        if flow.noDifferences { lower.append(("warning", .warning)) }
        lower += [("labelCaption", .overlay), ("label", .input)]
        if flow.branchId == nil {
            lower.append(("descCaption", .overlay))
            lower += Array(repeating: ("desc", .input), count: descRows)
        }
        lower += Array(repeating: ("error", .failed), count: errorLines.count)
        lower.append(("footer", .dim))
        // Without room for a line of diff the header gives way too.
        let roomForHeader = bottom - y - lower.count >= 2
        let diffTop = roomForHeader ? y + 1 : y
        let diffBottom = max(diffTop, bottom - lower.count)  // exclusive
        if y < bottom, roomForHeader {
            let header: String
            if flow.review?.value?.wouldUndoLiveChanges == true {
                header = "Your changes first, then what publishing would undo (PgUp/PgDn scroll):"
            } else if let base = flow.baseVersionId, flow.branchId != nil {
                header = "Changes against the head \(versionLabel(agentId: flow.agentId, versionId: base)) of \(flow.branchTitle) (PgUp/PgDn scroll):"
            } else if let base = flow.baseVersionId {
                header = "Changes against the active version \(versionLabel(agentId: flow.agentId, versionId: base)) (PgUp/PgDn scroll):"
            } else {
                header = "The agent has no active version: this will be its first."
            }
            screen.put(header, x: x, y: y, maxWidth: w, style: .bold)
        }
        let lines = reviewLines(flow)
        var row = diffTop
        var i = max(0, min(flow.diffScroll, lines.count - 1))
        while row < diffBottom, i < lines.count {
            screen.put(lines[i].text, x: x + 1, y: row, maxWidth: w - 1, style: lines[i].style)
            row += 1
            i += 1
        }
        if lines.count > diffBottom - diffTop, diffBottom > diffTop {
            let hint = " \(min(flow.diffScroll + 1, lines.count))/\(lines.count) "
            screen.put(hint, x: x + w - DisplayWidth.of(hint), y: diffBottom - 1, style: .dim)
        }
        y = diffBottom
        var descDrawn = false
        for part in lower where y < bottom {
            switch part.kind {
            case "warning":
                screen.put(flow.branchId == nil ? "⚠ This draft does not differ from the active version: publishing makes an identical version."
                                                : "⚠ This draft does not differ from the branch head: publishing makes an identical revision.", x: x, y: y, maxWidth: w, style: .warning)
            case "labelCaption":
                screen.put("Label (required, ≤ \(MetaForm.labelLimit)) \(flow.form.label.text.count)/\(MetaForm.labelLimit):", x: x, y: y, maxWidth: w,
                           style: flow.form.field == .label ? .overlayTitle : .overlay)
            case "label":
                drawLineField(&screen, flow.form.label, x: x, y: y, width: w, focused: flow.form.field == .label)
            case "descCaption":
                screen.put("Description (optional, ≤ \(MetaForm.descriptionLimit)) \(flow.form.description.count)/\(MetaForm.descriptionLimit):",
                           x: x, y: y, maxWidth: w, style: flow.form.field == .description ? .overlayTitle : .overlay)
            case "desc":
                if !descDrawn {
                    drawTextArea(&screen, flow.form.description, x: x, y: y, width: w, rows: min(descRows, bottom - y),
                                 focused: flow.form.field == .description)
                    descDrawn = true
                }
            case "error":
                screen.put(errorLines.isEmpty ? "" : errorLines.removeFirst(), x: x, y: y, maxWidth: w, style: .failed)
            default:
                if flow.enterPending {
                    screen.putKeys("Enter pressed: waiting for the three-way review (it says whether this undoes live changes) · Esc cancel", x: x, y: y, maxWidth: w, style: .warning, continuation: true)
                    break
                }
                if flow.review?.value?.wouldUndoLiveChanges == true {
                    screen.putKeys("Enter asks first (it would undo live changes; R there rebases) · PgUp/PgDn scroll · Esc cancel", x: x, y: y, maxWidth: w, style: .warning)
                    break
                }
                let keys = flow.branchId == nil ? "Enter publish · Tab field · ^N new line · PgUp/PgDn diff · Esc cancel"
                    : (flow.onLiveBranch ? "Enter review the production question · PgUp/PgDn diff · Esc cancel" : "Enter publish · PgUp/PgDn diff · Esc cancel")
                // Narrow: the keys that matter, whole.
                let short = flow.branchId == nil ? "Enter publish · Tab · Esc cancel" : "Enter ok · PgDn diff · Esc cancel"
                screen.putKeys(DisplayWidth.of(keys) <= w ? keys : (DisplayWidth.of(short) <= w ? short : "Enter ok · Esc cancel"),
                           x: x, y: y, maxWidth: w, style: .dim)
            }
            y += 1
        }
    }

    /// A one-line input field; the cursor is shown when focused.
    func drawLineField(_ screen: inout Screen, _ editor: LineEditor, x: Int, y: Int, width: Int, focused: Bool) {
        drawFieldRow(&screen, editor.text, cursor: focused ? editor.cursor : nil, x: x, y: y, width: width)
    }

    /// A multi-line input field of `rows` rows, scrolled to keep the cursor's line visible.
    func drawTextArea(_ screen: inout Screen, _ area: TextArea, x: Int, y: Int, width: Int, rows: Int, focused: Bool) {
        guard rows > 0 else { return }
        let first = max(0, min(area.row - rows + 1, area.lines.count - rows))
        for i in 0..<rows {
            let line = first + i
            let text = line < area.lines.count ? area.lines[line] : []
            drawFieldRow(&screen, text, cursor: focused && line == area.row ? area.column : nil, x: x, y: y + i, width: width)
        }
    }

    private func drawFieldRow(_ screen: inout Screen, _ text: [Character], cursor: Int?, x: Int, y: Int, width: Int) {
        guard width > 2 else { return }
        screen.fill(x: x, y: y, width: width, height: 1, style: .input)
        let chars = text.map { Sanitizer.sanitize(String($0)) }
        let c = cursor ?? 0
        var start = 0
        var before = chars[..<min(c, chars.count)].reduce(0) { $0 + DisplayWidth.of($1) }
        while before > width - 2, start < c { before -= DisplayWidth.of(chars[start]); start += 1 }
        var col = x
        for i in start..<chars.count {
            let w = DisplayWidth.of(chars[i])
            if col + w > x + width { break }
            screen.put(chars[i], x: col, y: y, style: i == cursor ? .inputCursor : .input)
            col += w
        }
        if cursor == chars.count, col < x + width { screen.put(" ", x: col, y: y, style: .inputCursor) }
    }

    // MARK: - Progress panel

    private func drawProgress(_ screen: inout Screen, _ flow: PublishFlow) {
        let textW = max(1, min(screen.width - 6, 90))
        let agent = agentName(flow.agentId)
        let elapsedLive = flow.startedAt.map { now.timeIntervalSince($0) } ?? 0
        let expected = flow.last?.expected ?? 6
        let frame = AppState.spinner[Int((now.timeIntervalSince1970 * 10).rounded(.down)) % AppState.spinner.count]
        var body: [(String, Style)] = []
        var footer = ""
        var title = "Security check — \(flow.versionTitle) of \(agent)"
        var barLine: String?
        switch flow.phase {
        case .review:
            return
        case .confirmRevert:
            title = "Publishing would undo live changes — \(flow.draftTitle)"
            if let review = flow.review?.value {
                let undo = AppState.undoLines(review)
                body = undo.map { ($0.text, $0.style == .warning ? Style.overlayTitle : Style.warning) }
                body.append(("", .overlay))
                body.append(("R rebases first: a draft on \(Sanitizer.sanitize(review.live.name, maxCharacters: 80)) with only your changes (nothing live is undone); then publish that.", .overlay))
                body.append(("! or y publishes anyway and undoes the fields above.", .warning))
            }
            footer = "R rebase (recommended) · ! or y publish anyway · Esc back to the review"
        case .confirmPublish:
            title = "Publish to production — \(flow.branchTitle)"
            let label = flow.form.trimmedLabel.isEmpty ? "" : " \"" + Sanitizer.sanitize(flow.form.trimmedLabel, maxCharacters: 60) + "\""
            body.append(("Publish \(flow.draftTitle) of \(agent) as \(nextRevisionName(flow))\(label)?", .overlayTitle))
            body.append(("", .overlay))
            body.append(("\(flow.branchTitle) is the LIVE branch: once the security scan passes, \(nextRevisionName(flow)) serves live traffic — no second question. [y/N]", .warning))
            footer = "y publish to production · any other key goes back to the review"
        case .publishing:
            title = "Publishing — \(flow.draftTitle)"
            body = [("\(frame) Publishing \(flow.draftTitle) of \(agent)…", .overlay)]
        case .checking:
            let elapsed = max(elapsedLive, flow.last?.elapsed ?? 0)
            if flow.branchId != nil {
                title = "Security scan — \(flow.versionTitle) of \(agent) on \(flow.branchTitle)"
                body.append((flow.onLiveBranch
                             ? "Publishing on the live \(flow.branchTitle): the change reaches production once the scan passes."
                             : "Publishing on \(flow.branchTitle) (not live). The security scan is running.", .overlay))
            } else {
                body.append(("Published \(flow.versionTitle) — inactive until activated. The security check is running.", .overlay))
            }
            body.append(("", .overlay))
            body.append(("", .overlay))
            let time = " \(AppState.seconds(elapsed)) / ~\(Int(expected.rounded())) s"
            let barW = max(1, textW - 2 - DisplayWidth.of(time))
            barLine = "\(frame) " + AppState.checkBar(elapsed: elapsed, expected: expected, width: barW) + time
            var state = "state: " + Sanitizer.sanitize(flow.last?.status.rawValue ?? "pending")
            if let n = flow.last?.requests { state += " · \(n) poll\(n == 1 ? "" : "s")" }
            if let t = flow.last?.transientError { state += " · retrying after: " + Sanitizer.sanitize(t, maxCharacters: 80) }
            body.append(("", .overlay))
            body.append((state, .dim))
            if elapsed >= expected {
                body.append(("Taking longer than usual (checks here take ~\(Int(expected.rounded())) s) — still waiting.", .warning))
            } else {
                body.append((flow.branchId != nil ? (flow.onLiveBranch ? "Then it serves live traffic; the agent is read back to confirm." : "Then you are asked whether to make \(flow.branchTitle) live.")
                             : flow.andActivate ? "Then it is activated right away (P)." : "Then you are asked whether to activate it.", .overlay))
            }
            footer = flow.branchId != nil ? "c cancels the scan (the draft stays open) · Esc leaves the wait; the scan goes on in the background"
                : "Esc leaves the wait — the version stays published and inactive; the check goes on in the background"
        case .confirmActivate:
            let label = flow.version?.label.map { " \"" + Sanitizer.sanitize($0, maxCharacters: 60) + "\"" } ?? ""
            body.append(("✓ Security check passed after \(AppState.seconds(flow.last?.elapsed ?? elapsedLive)).", .passed))
            body.append(("", .overlay))
            if flow.branchId != nil {
                body.append(("\(flow.version?.revisionLabel ?? "The new revision")\(label) is the head of \(flow.branchTitle).", .overlay))
                switch flow.makeLiveReview {
                case .loaded(let review)? where review.wouldUndoLiveChanges:
                    body.append(("", .overlay))
                    body += AppState.undoLines(review, makingLive: true).map { ($0.text, $0.style == .warning ? Style.overlayTitle : Style.warning) }
                    body.append(("", .overlay))
                case .failed(let why)?:
                    body.append(("Could not check what making it live would undo (\(why)); y makes it live without that check.", .warning))
                case .loading?:
                    body.append((flow.makeLiveConfirmedEarly ? "\(frame) y pressed: checking what making it live would undo first…"
                                 : "\(frame) Checking what making it live would undo on the live branch…", .dim))
                case .loaded?, nil:
                    break
                }
                body.append(("Make branch live? \(flow.branchTitle) of \(agent) at \(flow.version?.revisionLabel ?? "its head") will serve live traffic. [y/N]", .overlayTitle))
                footer = "y make it live · any other key keeps the branch as it is (not live)"
            } else {
                body.append(("Activate \(flow.version?.displayNumber ?? "it")\(label) of \(agent)? It will serve live traffic. [y/N]", .overlayTitle))
                footer = "y activate · any other key keeps it published and inactive"
            }
        case .activating:
            body.append(("✓ Security check passed after \(AppState.seconds(flow.last?.elapsed ?? elapsedLive)).", .passed))
            body.append((flow.branchId != nil ? "\(frame) Making \(flow.branchTitle) live (or confirming it) and reading the agent back…"
                         : "\(frame) Activating \(flow.version?.displayNumber ?? "it") and reading the agent back to confirm…", .overlay))
        case .failed(let reason):
            let prefix = "Security check failed"
            let said = reason.lowercased().hasPrefix(prefix.lowercased()) ? String(reason.dropFirst(prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: ": ")) : reason
            body.append(("✗ Security check failed: " + Sanitizer.sanitize(said, maxCharacters: 300), .failed))
            body.append(("", .overlay))
            if flow.branchId != nil {
                body.append(("Nothing was committed; the draft of \(flow.branchTitle) stays open — edit it (e) and publish again.", .overlay))
                footer = "any key closes"
            } else {
                body.append(("\(flow.versionTitle) stays published and inactive; it can never be activated.", .overlay))
                footer = "n fork a fix-draft from \(flow.version?.displayNumber ?? "it") · any other key closes"
            }
        case .timedOut(let checkStatus, let after):
            body.append(("The security check was still \(Sanitizer.sanitize(checkStatus)) after \(Int(after)) s.", .warning))
            body.append(("", .overlay))
            body.append((flow.branchId != nil ? "It commits on its own once the scan passes (R refreshes; c cancels it)."
                         : "\(flow.versionTitle) stays published and inactive. Activate it later: select it in Versions and press a once its check has passed (R refreshes).", .overlay))
            footer = "any key closes"
        }
        var rows: [(String, Style)] = []
        for (text, style) in body {
            if text.isEmpty { rows.append(("", style)); continue }
            for piece in wordWrap(text, width: textW) { rows.append((piece, style)) }
        }
        if let barLine, let i = rows.firstIndex(where: { $0.0.isEmpty }) { rows[i + 1] = (barLine, .passed) }
        let footerRows = footer.isEmpty ? [] : wordWrap(footer, width: textW)
        let r = dialogRect(screen, width: textW + 4, height: rows.count + footerRows.count + (footerRows.isEmpty ? 2 : 3))
        drawDialog(&screen, r, title: title)
        let bottom = r.y + r.height - 1 - footerRows.count
        for (i, l) in rows.enumerated() where r.y + 1 + i < bottom {
            if l.0 == barLine {
                // Spinner and time in the dialog's style, the bar itself coloured.
                let x = r.x + 2
                screen.put(String(l.0.prefix(2)), x: x, y: r.y + 1 + i, style: .overlayTitle)
                let rest = String(l.0.dropFirst(2))
                let bar = String(rest.prefix { $0 == "█" || $0 == "░" || $0 == "▓" })
                screen.put(bar, x: x + 2, y: r.y + 1 + i, maxWidth: r.width - 6, style: .passed)
                screen.put(String(rest.dropFirst(bar.count)), x: x + 2 + DisplayWidth.of(bar), y: r.y + 1 + i, maxWidth: r.width - 4 - 2 - DisplayWidth.of(bar), style: .overlay)
                continue
            }
            screen.put(l.0, x: r.x + 2, y: r.y + 1 + i, maxWidth: r.width - 4, style: l.1)
        }
        for (i, l) in footerRows.enumerated() where bottom + i < r.y + r.height - 1 {
            screen.putKeys(l, x: r.x + 2, y: bottom + i, maxWidth: r.width - 4, style: .warning,
                           continuation: i > 0 && !footerRows[i - 1].hasSuffix("·"))
        }
    }

    // MARK: - L

    func drawVersionMeta(_ screen: inout Screen, _ p: VersionMetaPrompt) {
        let textW = max(1, min(screen.width - 6, 72))
        let descRows = screen.height >= 20 ? 4 : 2
        let r = dialogRect(screen, width: textW + 4, height: descRows + 7 + (p.error == nil ? 0 : 1))
        drawDialog(&screen, r, title: "Label and description of \(p.versionName)")
        let x = r.x + 2, w = r.width - 4
        guard w > 4 else { return }
        var y = r.y + 1
        let limit = r.y + r.height - 1
        func line(_ text: String, _ style: Style, keys: Bool = false) {
            if y < limit, keys { screen.putKeys(text, x: x, y: y, maxWidth: w, style: style) }
            else if y < limit { screen.put(text, x: x, y: y, maxWidth: w, style: style) }
            y += 1
        }
        line("Label (required, ≤ \(MetaForm.labelLimit)) \(p.form.label.text.count)/\(MetaForm.labelLimit):", p.form.field == .label ? .overlayTitle : .overlay)
        if y < limit { drawLineField(&screen, p.form.label, x: x, y: y, width: w, focused: p.form.field == .label) }
        y += 1
        line("Description (≤ \(MetaForm.descriptionLimit)) \(p.form.description.count)/\(MetaForm.descriptionLimit):",
             p.form.field == .description ? .overlayTitle : .overlay)
        if y < limit { drawTextArea(&screen, p.form.description, x: x, y: y, width: w, rows: min(descRows, limit - y), focused: p.form.field == .description) }
        y += descRows
        if let e = p.error { line(e, .failed) }
        y += 1
        line("Enter save · Tab next field · ^N new line · Esc cancel", .dim, keys: true)
    }
}
