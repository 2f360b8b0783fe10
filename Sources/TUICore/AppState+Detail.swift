import AtomsModels

extension AppState {
    /// A config document as prepared detail lines: the same YAML the editor shows (`ConfigYAML`), sanitized line by line.
    public static func configLines(_ config: ConfigDocument) -> [DetailLine] {
        Sanitizer.sanitizeLines(ConfigYAML.render(config)).dropLastEmpty().map { DetailLine($0) }
    }

    /// A diff as prepared detail lines: one block per changed section, the prompt (and any multi-line
    /// string) as a line diff, other values as `− old` / `+ new`; unchanged sections listed last.
    public static func diffLines(_ diff: AgentVersionDiff) -> [DetailLine] {
        var out: [DetailLine] = []
        if diff.diffs.isEmpty { out.append(DetailLine("No differences.", style: .dim)) }
        for section in diff.diffs {
            out.append(DetailLine("── \(Sanitizer.sanitize(section.section)) ──", style: .hunk))
            for change in section.changes {
                let path = Sanitizer.sanitize(change.path.isEmpty ? section.section : change.path)
                if let o = change.oldValue?.stringValue, let n = change.newValue?.stringValue, o.contains("\n") || n.contains("\n") {
                    out.append(DetailLine("\(path):", style: .bold))
                    out += lineDiff(Sanitizer.sanitizeLines(o), Sanitizer.sanitizeLines(n))
                } else if let o = change.oldValue, let n = change.newValue, o.isContainer || n.isContainer, !o.isNull, !n.isNull {
                    // Lists and objects element by element: a line diff of their YAML, so a reordered,
                    // added or removed element shows as such (never as `− [] + []`).
                    out.append(DetailLine("\(path):", style: .bold))
                    out += lineDiff(valueLines(o), valueLines(n))
                } else {
                    out.append(DetailLine("\(path):", style: .bold))
                    if let o = change.oldValue, !o.isNull || change.newValue == nil {
                        for l in valueLines(o) { out.append(DetailLine("− " + l, style: .removed)) }
                    } else {
                        out.append(DetailLine("− (absent)", style: .removed))
                    }
                    if let n = change.newValue, !n.isNull || change.oldValue == nil {
                        for l in valueLines(n) { out.append(DetailLine("+ " + l, style: .added)) }
                    } else {
                        out.append(DetailLine("+ (absent)", style: .added))
                    }
                }
            }
        }
        if !diff.unchangedSections.isEmpty {
            out.append(DetailLine(""))
            out.append(DetailLine("unchanged: " + diff.unchangedSections.map { Sanitizer.sanitize($0) }.joined(separator: ", "), style: .dim))
        }
        return out
    }

    /// Two texts as a line diff: unchanged lines indented, removed `− `, added `+ `.
    static func lineDiff(_ old: [String], _ new: [String]) -> [DetailLine] {
        LineDiff.diff(old, new).map { line in
            switch line {
            case .same(let s): return DetailLine("  " + s)
            case .added(let s): return DetailLine("+ " + s, style: .added)
            case .removed(let s): return DetailLine("− " + s, style: .removed)
            }
        }
    }

    private static func valueLines(_ v: JSONValue) -> [String] {
        switch v {
        case .string(let s): return Sanitizer.sanitizeLines(s)
        default: return Sanitizer.sanitizeLines(ConfigYAML.render(value: v)).dropLastEmpty()
        }
    }

    /// Remembers the detail area's content when it shows a loaded config (see `detailHeld`).
    mutating func holdDetailIfLoaded() {
        guard diff == nil, detailOwner == .versions || detailOwner == .drafts,
              let agentId = selectedAgentId, let item = selectedItemSource() else { return }
        let ref = ConfigRef(agentId: agentId, source: item.source)
        guard case .loaded? = configs[ref], detailHeld?.ref != ref || detailHeld?.owner != detailOwner else { return }
        let shown = freshDetailContent()
        detailHeld = HeldDetail(owner: detailOwner, ref: ref, title: shown.title, lines: shown.lines)
    }

    /// What the detail area shows now: a title and its lines. While the selected item's config
    /// loads, the last config shown stays, its title naming what is on the way.
    public func detailContent() -> (title: String, lines: [DetailLine]) {
        if diff == nil, let held = detailHeld, held.owner == detailOwner, let agentId = selectedAgentId, held.ref.agentId == agentId,
           let item = selectedItemSource() {
            let ref = ConfigRef(agentId: agentId, source: item.source)
            if ref != held.ref {
                switch configs[ref] {
                // The cursor has not rested yet (the load waits for `configDebounce`): the frame of a
                // cursor move changes the list rows only, which keeps a move to a few hundred bytes.
                case nil: return (held.title, held.lines)
                case .loading?: return (held.title + " · loading \(item.label)…", held.lines)
                case .loaded?, .failed?: break
                }
            }
        }
        return freshDetailContent()
    }

    /// The detail area's content for the current selection, without holding anything.
    func freshDetailContent() -> (title: String, lines: [DetailLine]) {
        if let d = diff {
            let title = "Diff: " + d.title
            switch d.content {
            case .loading: return (title, [DetailLine("Loading diff…", style: .dim)])
            case .failed(let m): return (title, [DetailLine("Could not load the diff: \(m)", style: .failed), DetailLine("Esc closes, d retries.", style: .dim)])
            case .loaded(let lines): return (title, lines)
            }
        }
        switch detailOwner {
        case .versions:
            guard let agentId = selectedAgentId, let v = versionUnderCursor else { return ("Detail", emptyHint()) }
            return ("Config of \(isV2 ? v.revisionLabel : v.displayNumber)", versionHeader(v) + healthLines(v) + configBody(ConfigRef(agentId: agentId, source: configSource(of: v))))
        case .drafts where isV2:
            let rows = branchDraftRows
            let c = position(.drafts).cursor
            guard c >= 0 && c < rows.count else { return ("Detail", emptyHint()) }
            return branchDraftDetail(rows[c])
        case .drafts:
            guard let agentId = selectedAgentId, let d = draftUnderCursor else { return ("Detail", emptyHint()) }
            return ("Config of \(draftLabel(d))", draftHeader(d) + configBody(ConfigRef(agentId: agentId, source: .draft(d.draftId ?? d.id))))
        default:
            guard let a = selectedAgent else { return ("Detail", emptyHint()) }
            return ("Agent", agentSummary(a))
        }
    }

    /// Number of logical lines in the detail area.
    public var detailLineCount: Int { detailContent().lines.count }

    private func emptyHint() -> [DetailLine] {
        if agents.isEmpty && agentsLoading { return [DetailLine("Loading…", style: .dim)] }
        return [DetailLine("Nothing selected.", style: .dim)]
    }

    private func agentSummary(_ a: Agent) -> [DetailLine] {
        let s = stats[a.id]
        var lines = [DetailLine(Sanitizer.sanitize(a.name), style: .bold), DetailLine("id       " + Sanitizer.sanitize(a.id), style: .dim)]
        let active = s?.activeVersionNumber.map { (isV2 ? "r" : "v") + "\($0)" } ?? (a.activeVersionId == nil ? "none" : "…" + Sanitizer.sanitize(String(a.activeVersionId!.suffix(6))))
        lines.append(DetailLine("active   " + active))
        lines.append(DetailLine("drafts   " + (s?.draftCount.map(String.init) ?? "· not read yet — Enter opens the agent and reads them")))
        if isV2, let set = branches[a.id], set.loaded {
            lines.append(DetailLine("branches \(set.items.count)" + (set.live.map { " · live: " + Sanitizer.sanitize($0.branch.name, maxCharacters: 40) } ?? "")))
        }
        if let page = versions[a.id], let t = page.total { lines.append(DetailLine(isV2 ? "history  \(t) revision\(t == 1 ? "" : "s")" : "versions \(t)")) }
        if let w = a.workflowType { lines.append(DetailLine("workflow " + Sanitizer.sanitize(w))) }
        if let p = localPlans[a.id] {
            lines.append(DetailLine("file     " + Sanitizer.sanitize(p.file, maxCharacters: 80) + ": " + p.title + (p.status == .unchanged ? "" : " — D shows the plan"),
                                    style: p.status == .unchanged ? .normal : .warning))
        }
        if let u = a.updatedAt { lines.append(DetailLine("updated  " + RelativeAge.phrase(iso: u, now: now))) }
        if let d = a.description, !d.isEmpty {
            lines.append(DetailLine(""))
            lines += Sanitizer.sanitizeLines(d).map { DetailLine($0) }
        }
        lines.append(DetailLine(""))
        lines.append(DetailLine(isV2 ? "Enter or Tab: history · [ ] branch · Tab again: drafts · ? help" : "Enter or Tab: versions · Tab again: drafts · ? help", style: .dim))
        return lines
    }

    private func versionHeader(_ v: AgentVersion) -> [DetailLine] {
        var parts = [isV2 ? v.revisionLabel : v.displayNumber]
        if let l = v.label, !l.isEmpty { parts.append("\"" + Sanitizer.sanitize(l, maxCharacters: 200) + "\"") }
        if v.isActive || v.id == activeVersionId { parts.append("ACTIVE") }
        if isV2, let b = currentBranch, b.branch.headRevisionId == v.id { parts.append("head of \(branchLabel(b))") }
        if let from = v.restoredFromLabel { parts.append("restored from " + Sanitizer.sanitize(from, maxCharacters: 40)) }
        if v.isPinned { parts.append("pinned") }
        if let c = v.securityCheck {
            parts.append("check " + Sanitizer.sanitize(c.status.rawValue) + (c.reason.map { ": " + Sanitizer.sanitize($0, maxCharacters: 200) } ?? ""))
        }
        var lines = [DetailLine(parts.joined(separator: " · "), style: .bold)]
        if isV2, let b = currentBranch, b.branch.headRevisionId != v.id, v.status == .published,
           let n = v.revisionNumber, let head = b.headRevisionNumber, n > head {
            lines.append(DetailLine("↑ not serving: above the head r\(head) (set back by a roll back, or a v1 version never activated) — a restores it as the new head", style: .warning))
        }
        var meta: [String] = []
        // A v2 revision whose scan failed or still runs was submitted, never published.
        let by = isV2 && v.status != .published ? "submitted by " : "published by "
        if let p = v.publishedByName, !p.isEmpty {
            meta.append(by + Sanitizer.sanitize(p, maxCharacters: 60))
        } else if publishedHere.contains(v.id) {
            meta.append(by + "you")  // the answer names the publisher by user id only
        } else if let p = v.publishedBy, !ObjectID.isValid(p) {
            meta.append(by + Sanitizer.sanitize(p, maxCharacters: 60))
        }
        if let at = v.publishedAt ?? v.createdAt { meta.append(RelativeAge.phrase(iso: at, now: now)) }
        if !meta.isEmpty { lines.append(DetailLine(meta.joined(separator: " · "), style: .dim)) }
        // The description keeps its line breaks (and its whole text: the area wraps and scrolls).
        if let d = v.description, !d.isEmpty { lines += Sanitizer.sanitizeLines(d).dropLastEmpty().map { DetailLine($0, style: .dim) } }
        lines.append(DetailLine(""))
        return lines
    }

    private func draftHeader(_ d: AgentVersion) -> [DetailLine] {
        var parts = [draftLabel(d)]
        if let r = d.draftRevision { parts.append("revision \(r)") }
        if let agentId = selectedAgentId {
            if let s = d.sourceVersionId { parts.append("from " + versionLabel(agentId: agentId, versionId: s)) }
            else if let s = d.sourceDraftId { parts.append("from " + sourceLabel(agentId: agentId, .draft(s))) }
        }
        var lines = [DetailLine(parts.joined(separator: " · "), style: .bold)]
        if let behind = behindSummary(d) {
            lines.append(DetailLine("⚠ its base is \(behind) — p shows what publishing would undo, t the three-way view", style: .warning))
        }
        var meta: [String] = []
        if let e = d.lastEditorName { meta.append("last edited by " + Sanitizer.sanitize(e, maxCharacters: 60)) }
        if let at = d.updatedAt ?? d.createdAt { meta.append(RelativeAge.phrase(iso: at, now: now)) }
        if !meta.isEmpty { lines.append(DetailLine(meta.joined(separator: " · "), style: .dim)) }
        lines.append(DetailLine(""))
        return lines
    }

    private func configBody(_ ref: ConfigRef) -> [DetailLine] {
        switch configs[ref] {
        case .loaded(let lines)?: return lines
        case .failed(let m)?: return [DetailLine("Could not load the config: \(m)", style: .failed), DetailLine("Enter retries.", style: .dim)]
        case .loading?: return [DetailLine("Loading config…", style: .dim)]
        case nil: return [DetailLine("Loading config…", style: .dim)]
        }
    }
}

extension Array where Element == String {
    /// The lines without a trailing empty line (the newline that ends a text).
    func dropLastEmpty() -> [String] {
        var a = self
        if a.last == "" { a.removeLast() }
        return a
    }
}
