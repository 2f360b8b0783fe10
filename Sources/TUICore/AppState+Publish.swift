import Foundation
import AtomsModels

extension AppState {
    /// How long the publish panel follows a security check before saying it timed out (seconds).
    public static let checkTimeout: Double = 120

    // MARK: - p / P

    /// `p` (or `P` with `andActivate`) on a draft: the review dialog, with the diff against the active version.
    mutating func startPublish(andActivate: Bool) -> [Effect] {
        guard let agentId = selectedAgentId, let d = selectedDraft else { return [] }
        let draftId = d.draftId ?? d.id
        let base = activeVersionId
        var flow = PublishFlow(agentId: agentId, draftId: draftId, draftTitle: draftLabel(d), andActivate: andActivate,
                               form: MetaForm(label: d.draftName ?? ""), baseVersionId: base)
        status = nil
        guard let base else {
            publish = flow
            return []
        }
        flow.diff = .loading
        flow.review = .loading
        publish = flow
        return [.loadPublishDiff(agentId: agentId, from: .version(base), to: .draft(draftId)),
                .loadReview(agentId: agentId, subject: .draft(draftId: draftId))]
    }

    /// Keys while the publish flow is on screen.
    mutating func publishKey(_ key: Key) -> [Effect] {
        guard var flow = publish else { return [] }
        if let effects = branchPublishKey(key, flow) { return effects }
        switch flow.phase {
        case .review:
            switch key {
            case .escape:
                publish = nil
                status = StatusMessage("Cancelled — nothing was published", isError: false)
                return [.cancel(key: EffectKey.publishDiff), .cancel(key: EffectKey.publishReview)]
            case .enter:
                if let problem = flow.form.problem(labelOnly: flow.branchId != nil) ?? whyWriteDisabled() {
                    flow.error = problem
                    publish = flow
                    return []
                }
                if case .loading? = flow.review {
                    // Publishing must not skip the reversion question because the review is slow:
                    // Enter waits for it and acts once it is here (`reviewArrived`).
                    flow.enterPending = true
                    flow.error = nil
                    publish = flow
                    return []
                }
                if !flow.revertConfirmed, flow.review?.value?.wouldUndoLiveChanges == true {
                    flow.phase = .confirmRevert
                    flow.error = nil
                    publish = flow
                    return []
                }
                return reviewEntered(flow)
            case .pageUp: flow.diffScroll = max(0, flow.diffScroll - 10)
            case .pageDown: flow.diffScroll = min(max(0, reviewLineCount(flow) - 1), flow.diffScroll + 10)
            case .up where flow.form.field == .label: flow.diffScroll = max(0, flow.diffScroll - 1)
            case .down where flow.form.field == .label: flow.diffScroll = min(max(0, reviewLineCount(flow) - 1), flow.diffScroll + 1)
            default:
                if flow.form.handle(key) { flow.error = nil }
            }
            publish = flow
            return []
        case .confirmRevert:
            return confirmRevertKey(key, flow)
        case .publishing, .activating, .confirmPublish:
            return []
        case .checking:
            guard key == .escape else { return [] }
            publish = nil
            status = StatusMessage("Left the wait: \(flow.versionTitle) stays published and inactive; its check goes on in the background and this line will say how it ends",
                                   isError: false)
            return []
        case .confirmActivate:
            publish = nil
            guard let v = flow.version else { return [] }
            guard key == .char("y") || key == .char("Y") else {
                status = StatusMessage("\(flow.versionTitle) stays published and inactive — select it in Versions and press a to activate it later", isError: false)
                return []
            }
            if let why = whyWriteDisabled() {
                status = StatusMessage(why, isError: true)
                return []
            }
            flow.phase = .activating
            publish = flow
            writeInFlight = "activating \(v.displayNumber)"
            return [.activate(agentId: flow.agentId, versionId: v.id)]
        case .failed(let reason):
            publish = nil
            guard let v = flow.version else { return [] }
            status = StatusMessage("\(flow.versionTitle) failed its security check: \(Sanitizer.sanitize(reason, maxCharacters: 200)) — it stays inactive",
                                   isError: true)
            guard key == .char("n") else { return [] }
            if let why = whyWriteDisabled() {
                status = StatusMessage(why, isError: true)
                return []
            }
            writeInFlight = "forking a fix-draft from \(v.displayNumber)"
            return [.forkDraft(agentId: flow.agentId, sourceVersionId: v.id, sourceDraftId: nil, name: "fix \(v.displayNumber)")]
        case .timedOut(let checkStatus, let after):
            publish = nil
            status = StatusMessage("\(flow.versionTitle)'s security check was still \(checkStatus) after \(Int(after)) s — it stays published and inactive; once it passes, select it and press a (R refreshes)",
                                   isError: false)
            return []
        }
    }

    /// Lines in the review's diff area.
    func reviewLineCount(_ flow: PublishFlow) -> Int { reviewLines(flow).count }

    /// The review's scrolled area: with a three-way review that would undo live changes, the draft's own
    /// changes and the marked "would undo" section first, then the full diff against what is live.
    func reviewLines(_ flow: PublishFlow) -> [DetailLine] {
        var lines: [DetailLine]
        switch flow.diff {
        case .loading?: lines = [DetailLine("Loading the diff…", style: .dim)]
        case .failed(let m)?: lines = [DetailLine("Could not load the diff: \(m)", style: .failed)]
        case .loaded(let l)?: lines = l
        case nil: lines = []
        }
        switch flow.review {
        case .loaded(let r)? where r.wouldUndoLiveChanges:
            // Wrapped to the dialog's text width (continuations indented) so no attribution is cut off.
            let width = max(10, min(size.width - 2, 110) - 5)
            let threeWay = AppState.threeWayLines(r).flatMap { l -> [DetailLine] in
                let indent = String(l.text.prefix { $0 == " " })
                let pieces = wordWrap(String(l.text.dropFirst(indent.count)), width: max(4, width - indent.count - 4))
                return pieces.enumerated().map { DetailLine(indent + ($0.offset == 0 ? "" : "    ") + $0.element, style: l.style) }
            }
            lines = threeWay + [DetailLine("", style: .normal), DetailLine("Full diff against what is live:", style: .bold)] + lines
        case .failed(let m)?:
            lines.append(DetailLine("Could not check what publishing would undo: \(m)", style: .failed))
        default: break
        }
        return lines
    }

    // MARK: - Results

    /// The publish call answered: the version is listed (inactive, check pending) and its check is watched.
    mutating func published(agentId: String, draftId: String, version: AgentVersion) -> [Effect] {
        publishedHere.insert(version.id)
        writeInFlight = nil
        // The draft is a version now: a diff of it would show a draft that no longer exists.
        if let d = diff, d.agentId == agentId, d.to == .draft(draftId) || d.from == .draft(draftId) { diff = nil }
        var page = versions[agentId] ?? VersionPage()
        page.items.removeAll { $0.id == version.id }
        page.items.insert(version, at: 0)
        page.total = page.total.map { $0 + 1 }
        versions[agentId] = page
        if var set = drafts[agentId] {
            set.items.removeAll { $0.draftId == draftId || $0.id == draftId }
            drafts[agentId] = set
        }
        if mark?.source == .draft(draftId) { mark = nil }
        refreshStats(agentId)
        clampAll()
        if agentId == selectedAgentId, focus == .drafts || (focus == .detail && detailOwner == .drafts) { wantConfigForSelection() }
        // A new watch of a version supersedes any older one of the same version.
        watches = watches.filter { $0.value.versionId != version.id }
        lastWatchId += 1
        let id = lastWatchId
        var title = version.displayNumber
        if let l = version.label { title += " \"" + Sanitizer.sanitize(l, maxCharacters: 60) + "\"" }
        watches[id] = WatchedCheck(agentId: agentId, versionId: version.id, title: title)
        if var flow = publish, flow.agentId == agentId, flow.draftId == draftId {
            flow.phase = .checking
            flow.version = version
            flow.watchId = id
            flow.startedAt = now
            publish = flow
        }
        return [.watchCheck(watchId: id, agentId: agentId, version: version, timeout: AppState.checkTimeout)]
    }

    /// An observation of a watch: the panel follows it in the foreground, the status line in the background.
    mutating func checkProgress(watchId: Int, _ u: CheckUpdate) -> [Effect] {
        guard let w = watches[watchId] else { return [] }  // stale: superseded or already finished
        if w.branchId != nil { return branchCheckProgress(watchId: watchId, w, u) }
        if let row = u.version, var page = versions[w.agentId], let i = page.items.firstIndex(where: { $0.id == row.id }) {
            page.items[i] = row
            versions[w.agentId] = page
        }
        if u.phase != .checking { watches[watchId] = nil }
        let agent = agentName(w.agentId)
        guard var flow = publish, flow.watchId == watchId else {
            switch u.phase {
            case .checking: break
            case .passed:
                status = StatusMessage("\(w.title) of \(agent) passed its security check — press a on it to activate", isError: false)
            case .failed:
                status = StatusMessage("\(w.title) of \(agent) failed its security check: \(Sanitizer.sanitize(u.reason ?? "no reason given", maxCharacters: 200)) — it stays inactive; n on it forks a fix-draft",
                                       isError: true)
            case .timedOut:
                status = StatusMessage("\(w.title)'s security check was still \(u.status.rawValue) after \(Int(u.elapsed)) s — it stays published and inactive (R refreshes)",
                                       isError: false)
            }
            return []
        }
        flow.last = u
        switch u.phase {
        case .checking:
            break
        case .passed:
            if flow.andActivate, whyWriteDisabled() == nil, let v = flow.version {
                flow.phase = .activating
                publish = flow
                writeInFlight = "activating \(v.displayNumber)"
                return [.activate(agentId: flow.agentId, versionId: v.id)]
            }
            flow.phase = .confirmActivate
        case .failed:
            flow.phase = .failed(reason: u.reason ?? "no reason given")
        case .timedOut:
            flow.phase = .timedOut(status: u.status.rawValue, after: u.elapsed)
        }
        publish = flow
        return []
    }

    /// A watch ended with an error (not a check result).
    mutating func checkWatchFailed(watchId: Int, _ failure: EffectFailure) {
        guard let w = watches.removeValue(forKey: watchId) else { return }
        if publish?.watchId == watchId { publish = nil }
        status = StatusMessage("Stopped following \(w.title)'s security check: \(Sanitizer.sanitize(failure.line, maxCharacters: 200)) — it stays published and inactive (R refreshes)",
                               isError: true)
    }

    // MARK: - L

    /// `L` on a version: its label and description in a form.
    mutating func startEditMeta() -> [Effect] {
        guard let agentId = selectedAgentId, let v = selectedVersion else { return [] }
        overlay = .versionMeta(VersionMetaPrompt(agentId: agentId, versionId: v.id, versionName: v.displayNumber,
                                                 form: MetaForm(label: v.label ?? "", description: v.description ?? "")))
        return []
    }

    /// Keys in the `L` form: Enter saves, Esc cancels, Tab switches fields.
    mutating func versionMetaKey(_ key: Key, _ prompt: VersionMetaPrompt) -> [Effect] {
        var p = prompt
        switch key {
        case .escape:
            overlay = nil
            status = StatusMessage("Cancelled — nothing was changed", isError: false)
            return []
        case .enter:
            if let problem = p.form.problem() ?? whyWriteDisabled() {
                p.error = problem
                overlay = .versionMeta(p)
                return []
            }
            overlay = nil
            writeInFlight = "saving the label of \(p.versionName)"
            return [.updateVersionMeta(agentId: p.agentId, versionId: p.versionId, label: p.form.trimmedLabel, description: p.form.description.string)]
        default:
            if p.form.handle(key) { p.error = nil }
            overlay = .versionMeta(p)
            return []
        }
    }

    /// The server answered the `L` change.
    mutating func versionMetaChanged(agentId: String, version: AgentVersion) {
        writeInFlight = nil
        if var page = versions[agentId], let i = page.items.firstIndex(where: { $0.id == version.id }) {
            page.items[i].label = version.label
            page.items[i].description = version.description
            versions[agentId] = page
        }
        status = StatusMessage("Saved the label and description of \(version.displayNumber)", isError: false)
    }
}
