import Foundation
import AtomsModels

extension AppState {
    /// How long a confirmation stays on the status line.
    public static let statusLifetime: TimeInterval = 8
    /// How long the cursor must rest on a version or draft before its config is loaded.
    public static let configDebounce: TimeInterval = 0.15
    /// How long an agent stays selected before its release health (call logs) is read.
    public static let healthDebounce: TimeInterval = 0.3
    /// Rows from the end of the loaded rows at which the next page is asked for.
    public static let pagingMargin = 10

    /// Applies a message (see `update(_:_:)`).
    public mutating func update(_ msg: Msg) -> [Effect] {
        switch msg {
        case .started:
            agentsLoading = true
            return [.loadAgents(page: 1, pageSize: agentPageSize, search: nil)] + planLocalConfigs()

        case .localPlansLoaded(let dir, let plans):
            guard dir == localConfigDir else { return [] }
            localPlans = Dictionary(plans.map { ($0.agentId, $0) }, uniquingKeysWith: { a, _ in a })
            return []

        case .agentsLoaded(let page, let search, let list):
            return agentsArrived(page: page, search: search, list: list)

        case .versionsLoaded(let agentId, let skip, let list):
            var page = versions[agentId] ?? VersionPage()
            page.loading = false
            page.error = nil
            if skip == 0 {
                page.items = list.versions
            } else if skip <= page.items.count {
                page.items = Array(page.items.prefix(skip)) + list.versions
            } else {
                return []  // a gap: ignore, the next cursor move asks again
            }
            page.total = list.total
            versions[agentId] = page
            refreshFinished()
            refreshStats(agentId)
            evictCaches(keeping: agentId)
            clampAll()
            if skip == 0 { wantHealth(agentId) }
            return []

        case .draftsLoaded(let agentId, let list):
            drafts[agentId] = DraftSet(items: list, loaded: true, loading: false)
            refreshFinished()
            refreshStats(agentId)
            evictCaches(keeping: agentId)
            clampAll()
            return []

        case .configLoaded(let agentId, let source, let config):
            let ref = ConfigRef(agentId: agentId, source: source)
            if configs.count > 48 { configs = configs.filter { $0.key.agentId == selectedAgentId } }
            configs[ref] = .loaded(AppState.configLines(config))
            if configInFlight == ref { configInFlight = nil }
            return []

        case .diffLoaded(let agentId, let from, let to, let result):
            if var flow = publish, flow.phase == .review, flow.agentId == agentId, let base = flow.baseVersionId,
               from == .version(base), to == flow.reviewSource {
                flow.diff = .loaded(AppState.diffLines(result))
                flow.noDifferences = result.diffs.isEmpty
                publish = flow
            }
            guard var d = diff, d.agentId == agentId, d.from == from, d.to == to else { return [] }
            d.content = .loaded(AppState.diffLines(result))
            diff = d
            detailScroll = 0
            return []

        case .failed(let effect, let failure):
            return failed(effect, failure)

        case .connectFailed(let failure):
            logDetails = failure.logLines
            agentsLoading = false
            agentsError = failure
            status = StatusMessage(reasonFirst(Sanitizer.sanitize(failure.line, maxCharacters: 300), "could not connect"), isError: true)
            return []

        case .draftForked(let agentId, let draft):
            writeInFlight = nil
            closePendingInput()
            var set = drafts[agentId] ?? DraftSet(loaded: true)
            set.items.removeAll { $0.id == draft.id }
            set.items.insert(draft, at: 0)
            drafts[agentId] = set
            refreshStats(agentId)
            status = StatusMessage("Forked \(draftLabel(draft)) — select it in Drafts", isError: false)
            if agentId == selectedAgentId {
                filters[.drafts] = nil
                positions[.drafts] = ListPosition()
                focus = .drafts
                detailOwner = .drafts
                diff = nil
                wantConfigForSelection()
            }
            return []

        case .draftRenamed(let agentId, let draftId, let name):
            writeInFlight = nil
            closePendingInput()
            if var set = drafts[agentId], let i = set.items.firstIndex(where: { $0.draftId == draftId || $0.id == draftId }) {
                set.items[i].draftName = name
                drafts[agentId] = set
            }
            status = StatusMessage("Renamed the draft to \"\(Sanitizer.sanitize(name, maxCharacters: 60))\"", isError: false)
            return []

        case .draftDiscarded(let agentId, let draftId):
            writeInFlight = nil
            var label = "the draft"
            if var set = drafts[agentId], let i = set.items.firstIndex(where: { $0.draftId == draftId || $0.id == draftId }) {
                label = draftLabel(set.items[i])
                set.items.remove(at: i)
                drafts[agentId] = set
            }
            if mark?.source == .draft(draftId) { mark = nil }
            refreshStats(agentId)
            clampAll()
            status = StatusMessage("Discarded \(label)", isError: false)
            return []

        case .pinChanged(let agentId, let versionId, let pinned):
            writeInFlight = nil
            if var page = versions[agentId], let i = page.items.firstIndex(where: { $0.id == versionId }) {
                page.items[i].isPinned = pinned
                versions[agentId] = page
            }
            status = StatusMessage("\(pinned ? "Pinned" : "Unpinned") \(versionLabel(agentId: agentId, versionId: versionId))", isError: false)
            return []

        case .activated(let agentId, let versionId, let verified):
            writeInFlight = nil
            if publish?.version?.id == versionId { publish = nil }
            let label = versionLabel(agentId: agentId, versionId: versionId)
            let name = agentName(agentId)
            guard verified else {
                status = StatusMessage("Activation of \(label) of \(name) was accepted but the agent still reports another active version — press R to refresh and check", isError: true)
                return []
            }
            setActive(agentId: agentId, versionId: versionId)
            status = StatusMessage("\(label) of \(name) is live (verified)", isError: false)
            return []

        case .published(let agentId, let draftId, let version):
            return published(agentId: agentId, draftId: draftId, version: version)

        case .checkProgress(let watchId, let u):
            return checkProgress(watchId: watchId, u)

        case .checkWatchFailed(let watchId, let failure):
            checkWatchFailed(watchId: watchId, failure)
            return []

        case .versionMetaChanged(let agentId, let version):
            versionMetaChanged(agentId: agentId, version: version)
            return []

        case .edit(let agentId, let draftId, let event):
            return editEvent(agentId: agentId, draftId: draftId, event)

        case .apiDetected, .branchesLoaded, .revisionsLoaded, .branchPublished, .branchPublishCancelled, .branchMadeLive,
             .branchCreated, .branchRenamed, .branchArchived, .branchDraftDiscarded, .draftBaseLoaded:
            return updateV2(msg)

        case .reviewLoaded(let agentId, let subject, let review):
            return reviewArrived(agentId: agentId, subject: subject, review)

        case .rebase(let agentId, let subject, let event):
            return rebaseEvent(agentId: agentId, subject: subject, event)

        case .healthLoaded(let agentId, let report):
            healthArrived(agentId: agentId, report: report)
            return []

        case .keyPressed(let key):
            return keyPressed(key)

        case .copied(let what, let text, let refusal):
            copied(what: what, text: text, refusal: refusal)
            return []

        case .resized(let width, let height):
            size = Size(width: max(0, width), height: max(0, height))
            clampAll()
            return []

        case .tick(let date):
            now = date
            if let until = status?.until, date >= until { status = nil }
            var effects: [Effect] = []
            if let wanted = configWanted, date.timeIntervalSince(wanted.since) >= AppState.configDebounce {
                configWanted = nil
                effects += loadConfig(wanted.ref)
            }
            if let wanted = healthWanted, date.timeIntervalSince(wanted.since) >= AppState.healthDebounce {
                healthWanted = nil
                if wanted.agentId == selectedAgentId { effects += loadHealth(wanted.agentId) }
            }
            return effects
        }
    }

    // MARK: - Loads

    private mutating func agentsArrived(page: Int, search: String?, list: AgentList) -> [Effect] {
        if let search {
            guard search == filter(.agents) else { return [] }  // stale: the filter moved on
            agentSearchResults = list.agents
            agentSearchQuery = search
            agentSearchLoading = false
            clampAll()
            return syncSelection()
        }
        agentsLoading = false
        agentsError = nil
        if page <= 1 { refreshFinished() }
        let pageCount = max(1, page)
        if pageCount == 1 && agentPagesLoaded <= 1 {
            agents = list.agents
        } else if pageCount <= agentPagesLoaded {
            // A page read again (live refresh, R) replaces its own rows and keeps the other loaded pages; a
            // row that moved to another page is kept once (where it is now read).
            let lo = min(agents.count, (pageCount - 1) * agentPageSize), hi = min(agents.count, pageCount * agentPageSize)
            let fresh = Set(list.agents.map(\.id))
            agents = agents[..<lo].filter { !fresh.contains($0.id) } + list.agents + agents[hi...].filter { !fresh.contains($0.id) }
        } else if pageCount == agentPagesLoaded + 1 {
            let known = Set(agents.map(\.id))
            agents += list.agents.filter { !known.contains($0.id) }
        } else {
            return []
        }
        // A refresh keeps the selected agent under the cursor even when rows moved around it.
        if let sel = selectedAgentId, let i = agentRows.firstIndex(where: { $0.id == sel }), i != position(.agents).cursor {
            var p = position(.agents)
            p.scroll += i - p.cursor
            p.cursor = i
            positions[.agents] = p
        }
        agentsTotal = list.count
        if pageCount >= agentPagesLoaded {
            // Whether more follow is the last page's to say.
            agentsHasMore = list.hasMore ?? (agents.count < list.count)
            if list.agents.isEmpty { agentsHasMore = false }
        }
        agentPagesLoaded = max(agentPagesLoaded, pageCount)
        clampAll()
        return syncSelection()
    }

    /// An effect failed: the state of whatever waited for it says so, and the status line leads with
    /// the reason. Exhaustive over effects: a new effect cannot be forgotten here.
    private mutating func failed(_ effect: Effect, _ failure: EffectFailure) -> [Effect] {
        let msg = Sanitizer.sanitize(failure.line, maxCharacters: 300)
        logDetails = failure.logLines
        switch effect {
        case .loadAgents(_, _, nil):
            agentsLoading = false
            agentsError = failure
            status = StatusMessage(reasonFirst(msg, "could not load the agents; R retries"), isError: true)
        case .loadAgents(_, _, .some):
            agentSearchLoading = false
            status = StatusMessage(reasonFirst(msg, "the agent search failed; showing loaded matches only"), isError: true)
        case .loadVersions(let agentId, _, _), .loadRevisions(let agentId, _, _, _):
            versions[agentId, default: VersionPage()].loading = false
            versions[agentId]?.error = msg
            status = StatusMessage(reasonFirst(msg, "could not load \(isV2 ? "the history" : "the versions") of \(agentName(agentId)); R retries"), isError: true)
        case .planLocalConfigs(let dir, _):
            status = StatusMessage(reasonFirst(msg, "could not plan the config files in \(Sanitizer.sanitize(dir, maxCharacters: 100))"), isError: true)
        case .loadDraftBase:
            break  // the behind mark stays unknown; the three-way view (t) and the publish review still say it
        case .loadBranches(let agentId):
            branches[agentId, default: BranchSet()].loading = false
            branches[agentId]?.error = msg
            status = StatusMessage(reasonFirst(msg, "could not load the branches of \(agentName(agentId)); R retries"), isError: true)
        case .loadDrafts(let agentId):
            drafts[agentId, default: DraftSet()].loading = false
            drafts[agentId]?.error = msg
            status = StatusMessage(reasonFirst(msg, "could not load the drafts of \(agentName(agentId)); R retries"), isError: true)
        case .loadConfig(let agentId, let source):
            let ref = ConfigRef(agentId: agentId, source: source)
            configs[ref] = .failed(msg)
            if configInFlight == ref { configInFlight = nil }
            status = StatusMessage(reasonFirst(msg, "could not load the config; Enter retries"), isError: true)
        case .loadDiff(let agentId, let from, let to, _):
            guard var d = diff, d.agentId == agentId, d.from == from, d.to == to else { return [] }
            d.content = .failed(msg)
            diff = d
            status = StatusMessage(reasonFirst(msg, "could not load the diff"), isError: true)
        case .loadPublishDiff:
            publish?.diff = .failed(msg)
        case .beginEdit, .editDraft, .saveEdit, .abandonEdit:
            let what = editing?.label ?? "the draft"
            endEdit()
            status = StatusMessage(reasonFirst(msg, "could not edit \(what); nothing was sent"), isError: true)
        case .publishDraft(let agentId, _, _, _), .publishBranch(_, let agentId, _, _, _):
            writeInFlight = nil
            if failure.outcomeUnknown {
                // No answer: the publish may have gone through. The flow ends (Esc would have said "nothing
                // was published", Enter would have sent it again) and the lists are read again to show it.
                if publish?.agentId == agentId { publish = nil }
                // The reason alone: the client's hint names a CLI command; M keeps it with the request id.
                status = StatusMessage(reasonFirst(Sanitizer.sanitize(failure.reason, maxCharacters: 200), "no answer to the publish — it may or may not have gone through and was not sent again; the lists are read again: look there before publishing again"), isError: true)
                return reloadAgentLists(agentId)
            }
            if var flow = publish, flow.phase == .publishing {
                flow.phase = .review
                flow.error = "Publishing failed: \(msg)"
                publish = flow
                // The dialog shows it (wrapped); `M` keeps it with its details like any status message.
                messageLog.append(MessageLog.Entry(time: now, text: flow.error ?? msg, isError: true, details: logDetails ?? []))
            } else {
                status = StatusMessage(reasonFirst(msg, "publishing failed"), isError: true)
            }
        case .restoreRevision:
            writeInFlight = nil
            status = StatusMessage(reasonFirst(msg, "the restore failed; nothing changed"), isError: true)
        case .watchCheck(let watchId, _, _, _):
            checkWatchFailed(watchId: watchId, failure)
        case .renameDraft(let agentId, _, _), .createBranch(let agentId, _, _), .renameBranch(let agentId, _, _), .forkDraft(let agentId, _, _, _):
            let what = writeInFlight ?? "the action"
            writeInFlight = nil
            if failure.outcomeUnknown {
                // No answer: it may have been applied. The dialog closes rather than offer Enter (a second
                // fork or branch of the same name), and the lists are read again to show what happened.
                closePendingInput()
                status = StatusMessage(reasonFirst(Sanitizer.sanitize(failure.reason, maxCharacters: 200), "no answer while \(what) — it may or may not have been applied and was not sent again; the lists are read again: look there before trying again"), isError: true)
                return reloadAgentLists(agentId)
            }
            // A name the server refused: the dialog stays open with the reason, the text kept.
            if case .input(var p)? = overlay, p.pending {
                p.pending = false
                p.error = msg
                overlay = .input(p)
                status = nil
                return []
            }
            status = StatusMessage(reasonFirst(msg, "\(what) failed"), isError: true)
        case .activate, .makeBranchLive:
            if let flow = publish, flow.phase == .activating {
                publish = nil
                let what = writeInFlight ?? "activating"
                writeInFlight = nil
                if flow.branchId != nil {
                    status = StatusMessage(reasonFirst(msg, "\(what) failed; \(flow.versionTitle) stays the head of \(flow.branchTitle)"), isError: true)
                    return []
                }
                status = StatusMessage(reasonFirst(msg, "\(what) failed; \(flow.versionTitle) stays published and inactive"), isError: true)
                return []
            }
            let what = writeInFlight ?? "the action"
            writeInFlight = nil
            status = StatusMessage(reasonFirst(msg, "\(what) failed"), isError: true)
        case .cancelBranchPublish(_, let branchId):
            cancellingScans.remove(branchId)
            let what = writeInFlight ?? "cancelling the scan"
            writeInFlight = nil
            status = StatusMessage(reasonFirst(msg, "\(what) failed"), isError: true)
        case .discardDraft, .setPinned, .updateVersionMeta, .archiveBranch, .discardBranchDraft:
            let what = writeInFlight ?? "the action"
            writeInFlight = nil
            status = StatusMessage(reasonFirst(msg, "\(what) failed"), isError: true)
        case .loadHealth(let agentId, _):
            healthFailed(agentId: agentId, msg)  // shown in the Health section, not as an error: the versions still work
        case .loadReview, .rebaseDraft, .rebaseConflicts, .finishRebase:
            reviewFailed(effect, failure)
        case .cancel, .quit, .suspend, .repaint, .copyToClipboard:
            break
        }
        return []
    }

    /// A failure's status line: the reason first (capitalised), then what failed and what to do.
    func reasonFirst(_ reason: String, _ what: String) -> String {
        guard let first = reason.first else { return what }
        return first.uppercased() + reason.dropFirst() + " — " + what
    }

    /// A refresh's lists arrived: "Refreshing…" gives way to "Up to date".
    mutating func refreshFinished() {
        if status?.inProgress == true { status = StatusMessage("Up to date", isError: false) }
    }

    /// The display name of an agent (sanitized, short).
    func agentName(_ id: String?) -> String {
        guard let id else { return "the agent" }
        let a = agents.first { $0.id == id } ?? agentSearchResults.first { $0.id == id }
        return "\"" + Sanitizer.sanitize(a?.name ?? id, maxCharacters: 40) + "\""
    }

    private mutating func setActive(agentId: String, versionId: String) {
        if let i = agents.firstIndex(where: { $0.id == agentId }) { agents[i].activeVersionId = versionId }
        if let i = agentSearchResults.firstIndex(where: { $0.id == agentId }) { agentSearchResults[i].activeVersionId = versionId }
        if var page = versions[agentId] {
            for i in page.items.indices { page.items[i].isActive = page.items[i].id == versionId }
            versions[agentId] = page
        }
        refreshStats(agentId)
    }

    /// Recomputes the draft count and active version number of an agent from what is loaded.
    mutating func refreshStats(_ agentId: String) {
        var s = stats[agentId] ?? AgentStats()
        if let d = drafts[agentId], d.loaded { s.draftCount = d.items.count }
        if isV2, let b = branches[agentId], b.loaded {
            s.draftCount = b.items.filter(\.hasOpenDraft).count
            if let live = b.live { s.activeVersionNumber = live.headRevisionNumber }
        }
        if let page = versions[agentId] {
            let activeId = (agents.first { $0.id == agentId } ?? agentSearchResults.first { $0.id == agentId })?.activeVersionId
            let active = page.items.first { activeId != nil ? $0.id == activeId : $0.isActive }
            if let n = active?.versionNumber ?? active?.revisionNumber { s.activeVersionNumber = n }
            else if page.total != nil && !page.hasMore && activeId == nil { s.activeVersionNumber = nil }
        }
        stats[agentId] = s
    }

    /// Makes `selectedAgentId` follow the Agents cursor; a new selection cancels the old agent's
    /// loads and loads the new one's versions and drafts (unless already loaded).
    mutating func syncSelection() -> [Effect] {
        let rows = agentRows
        let c = position(.agents).cursor
        let id = c >= 0 && c < rows.count ? rows[c].id : nil
        guard id != selectedAgentId else { return [] }
        selectedAgentId = id
        positions[.versions] = ListPosition()
        positions[.drafts] = ListPosition()
        filters[.versions] = nil
        filters[.drafts] = nil
        diff = nil
        detailScroll = 0
        configWanted = nil
        var effects: [Effect] = [.cancel(key: EffectKey.versions), .cancel(key: EffectKey.drafts)]
        guard let id else { return effects }
        if isV2 {
            effects = [.cancel(key: EffectKey.versions), .cancel(key: EffectKey.branches)]
            if branches[id]?.loaded != true || branches[id]?.error != nil {
                branches[id] = BranchSet(items: branches[id]?.items ?? [], loaded: false, loading: true)
                return effects + [.loadBranches(agentId: id)]
            }
            return effects + loadRevisionsIfNeeded(agentId: id)
        }
        if versions[id]?.total == nil || versions[id]?.error != nil {
            versions[id] = VersionPage(items: versions[id]?.items ?? [], loading: true)
            effects.append(.loadVersions(agentId: id, skip: 0, limit: versionPageSize))
        }
        if drafts[id]?.loaded != true || drafts[id]?.error != nil {
            drafts[id] = DraftSet(items: drafts[id]?.items ?? [], loaded: false, loading: true)
            effects.append(.loadDrafts(agentId: id))
        }
        return effects
    }

    /// The next page of whatever list the cursor nears the end of.
    mutating func pageIfNeeded(_ pane: Pane) -> [Effect] {
        let c = position(pane).cursor
        switch pane {
        case .agents:
            guard filter(.agents).isEmpty, agentsHasMore, !agentsLoading, agentPagesLoaded > 0,
                  c >= agents.count - AppState.pagingMargin else { return [] }
            agentsLoading = true
            return [.loadAgents(page: agentPagesLoaded + 1, pageSize: agentPageSize, search: nil)]
        case .versions:
            guard let id = selectedAgentId, var page = versions[id], page.total != nil, page.hasMore, !page.loading,
                  c >= versionRows.count - AppState.pagingMargin else { return [] }
            page.loading = true
            versions[id] = page
            if isV2, let b = page.branchId { return [.loadRevisions(agentId: id, branchId: b, skip: page.items.count, limit: versionPageSize)] }
            return [.loadVersions(agentId: id, skip: page.items.count, limit: versionPageSize)]
        default:
            return []
        }
    }

    /// Asks for the selected version's or draft's config once the cursor rests (see `.tick`).
    mutating func wantConfigForSelection() {
        guard let agentId = selectedAgentId, let item = selectedItemSource() else { configWanted = nil; return }
        let ref = ConfigRef(agentId: agentId, source: item.source)
        if configs[ref] != nil { configWanted = nil; return }
        configWanted = (ref, now)
    }

    /// Loads a config now (no-op when cached or already loading).
    mutating func loadConfig(_ ref: ConfigRef) -> [Effect] {
        if let c = configs[ref], case .loading = c { return [] }
        if let c = configs[ref], c.value != nil { return [] }
        configs[ref] = .loading
        configInFlight = ref
        return [.loadConfig(agentId: ref.agentId, source: ref.source)]
    }

    /// Clamps every list position to its rows and the visible height.
    mutating func clampAll() {
        for pane in Pane.lists {
            var p = position(pane)
            p.clamp(count: rowCount(pane), visible: visibleRows(pane))
            positions[pane] = p
        }
        detailScroll = max(0, min(detailScroll, detailMaxScroll(detailContent().lines)))
    }
}
