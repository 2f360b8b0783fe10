import AtomsModels

extension AppState {
    // MARK: - Queries (v2)

    /// The account is on the v2 branch model.
    public var isV2: Bool { apiGeneration == .v2 }

    /// The selected agent's branches (v2), empty before they load.
    public var branchList: [BranchSummary] {
        guard let id = selectedAgentId else { return [] }
        return branches[id]?.items ?? []
    }

    /// The branch History shows: the one switched to, else the live one, else the default.
    public var currentBranch: BranchSummary? {
        guard let id = selectedAgentId, let set = branches[id] else { return nil }
        if let b = selectedBranchIds[id], let found = set.items.first(where: { $0.id == b }) { return found }
        return set.live ?? set.items.first { $0.branch.isDefault } ?? set.items.first
    }

    /// The Drafts pane's rows on v2: branches with an open draft (filtered), then "new draft on branch…".
    public var branchDraftRows: [BranchDraftRow] {
        let q = filter(.drafts).lowercased()
        let open = branchList.filter { $0.hasOpenDraft && (q.isEmpty || $0.branch.name.lowercased().contains(q)) }
        guard selectedAgentId != nil, branches[selectedAgentId!]?.loaded == true else { return open.map { .draft($0) } }
        return open.map { .draft($0) } + [.newDraft(currentBranch)]
    }

    /// The Drafts row under the cursor when that pane owns the selection (v2).
    public var selectedBranchDraftRow: BranchDraftRow? {
        guard isV2, focus == .drafts || (focus == .detail && detailOwner == .drafts) else { return nil }
        let rows = branchDraftRows
        let c = position(.drafts).cursor
        return c >= 0 && c < rows.count ? rows[c] : nil
    }

    /// The branch of the selected Drafts row when it is an open draft (v2).
    public var selectedBranchDraft: BranchSummary? {
        if case .draft(let b)? = selectedBranchDraftRow { return b }
        return nil
    }

    /// The branch a branch action applies to: the selected Drafts row's, else the one History shows.
    public var actionBranch: BranchSummary? {
        if case .draft(let b)? = selectedBranchDraftRow { return b }
        return currentBranch
    }

    /// `branch "main"`, sanitized.
    func branchLabel(_ b: BranchSummary) -> String { "branch \"" + Sanitizer.sanitize(b.branch.name, maxCharacters: 60) + "\"" }

    /// A branch's name by id, sanitized and quoted.
    func branchLabel(agentId: String, branchId: String) -> String {
        if let b = branches[agentId]?.items.first(where: { $0.id == branchId }) { return branchLabel(b) }
        return "branch …" + String(branchId.suffix(6))
    }

    /// A scan is running on the branch (a watch the app follows, or a scanning row in its loaded history).
    func isScanning(agentId: String, branchId: String) -> Bool {
        if watches.values.contains(where: { $0.agentId == agentId && $0.branchId == branchId }) { return true }
        if let page = versions[agentId], page.branchId == branchId {
            return page.items.contains { $0.status == .draft && !($0.securityCheck?.status.isFailure ?? false) }
        }
        return false
    }

    // MARK: - Why disabled (v2)

    /// Why `[`/`]` cannot switch branches now, or nil.
    public func whySwitchBranchDisabled() -> String? {
        guard selectedAgentId != nil else { return "select an agent first" }
        if branchList.count < 2 { return branchList.isEmpty ? "the branches are loading" : "the agent has only one branch (b creates one)" }
        return nil
    }

    /// Why `e` cannot run now on v2, or nil.
    public func whyBranchEditDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let b = actionBranch else { return "select an agent; its branches are loading" }
        if case .newDraft? = selectedBranchDraftRow, b.hasOpenDraft {
            return "\(branchLabel(b)) already has an open draft (the row above); [ ] switches History to another branch"
        }
        return nil
    }

    /// Why `p` cannot run now on v2, or nil.
    public func whyBranchPublishDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let b = actionBranch, let agentId = selectedAgentId else { return "select an agent; its branches are loading" }
        if !b.hasOpenDraft || b.branch.openDraftId == nil { return "\(branchLabel(b)) has no open draft — e edits one" }
        if isScanning(agentId: agentId, branchId: b.id) { return "a publish of \(branchLabel(b)) is being scanned — wait for it or c cancels it" }
        return nil
    }

    /// Why `c` cannot run now, or nil.
    public func whyCancelScanDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let b = actionBranch, let agentId = selectedAgentId else { return "select an agent first" }
        if !isScanning(agentId: agentId, branchId: b.id) { return "no security scan is running on \(branchLabel(b))" }
        return nil
    }

    /// Why `a` (restore) cannot run now, or nil.
    public func whyRestoreDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let v = selectedVersion, let b = currentBranch else { return "select a revision in the History pane" }
        let name = v.revisionLabel
        if v.id == b.branch.headRevisionId { return "\(name) is already the head of \(branchLabel(b))" }
        if v.status != .published { return "\(name) is not committed (its scan has not passed); only committed revisions can be restored" }
        if let c = v.securityCheck?.status, !c.isPassed { return "\(name)'s security check is \(c.rawValue); only revisions that passed can be restored" }
        if let agentId = selectedAgentId, isScanning(agentId: agentId, branchId: b.id) { return "a publish of \(branchLabel(b)) is being scanned — wait for it or c cancels it" }
        return nil
    }

    /// Why `m` cannot run now, or nil.
    public func whyMakeLiveDisabled() -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let b = currentBranch else { return "select an agent; its branches are loading" }
        if b.isLive { return "\(branchLabel(b)) is already live" }
        guard b.branch.headRevisionId != nil else { return "\(branchLabel(b)) has no committed revision yet" }
        if let head = versions[selectedAgentId ?? ""]?.items.first(where: { $0.id == b.branch.headRevisionId }),
           let c = head.securityCheck?.status, !c.isPassed {
            return "the head \(head.revisionLabel) of \(branchLabel(b)) has not passed its security check (\(c.rawValue))"
        }
        return nil
    }

    /// Why `r` / `X` on a branch cannot run now, or nil.
    public func whyBranchManageDisabled(archive: Bool) -> String? {
        if let w = whyWriteDisabled() { return w }
        guard let b = actionBranch else { return "select an agent; its branches are loading" }
        return BranchRules.whyNotManageable(b, archive: archive, name: branchLabel(b), makeLiveHint: "m")
    }

    // MARK: - Keys (v2)

    /// The v2 meaning of an action, or nil when it is the same as on v1.
    mutating func performV2(_ action: Action) -> [Effect]? {
        switch action {
        case .prevBranch: return switchBranch(by: -1)
        case .nextBranch: return switchBranch(by: 1)
        case .edit: return startBranchEdit()
        case .publish: return startBranchPublish()
        case .cancelScan: return cancelScan()
        case .restore: return startRestore()
        case .makeLive: return startMakeLive()
        case .newBranch:
            guard let agentId = selectedAgentId, let b = currentBranch else { return [] }
            overlay = .input(InputPrompt(title: "New branch", label: "Create a branch of \(agentName(agentId)) from the head of \(branchLabel(b)). Name:",
                                         editor: LineEditor("", maxLength: 100), purpose: .newBranch(agentId: agentId, fromBranchId: b.id)))
            return []
        case .rename:
            guard let agentId = selectedAgentId, let b = actionBranch else { return [] }
            overlay = .input(InputPrompt(title: "Rename branch", label: "New name for \(branchLabel(b)):",
                                         editor: LineEditor(b.branch.name, maxLength: 100), purpose: .renameBranch(agentId: agentId, branchId: b.id)))
            return []
        case .archiveBranch:
            guard let agentId = selectedAgentId, let b = actionBranch else { return [] }
            overlay = .confirm(Confirmation(
                title: "Archive branch",
                lines: ["Archive \(branchLabel(b)) of \(agentName(agentId))?",
                        "It disappears from the lists and its open draft is removed; its revisions stay readable by id. Live traffic is not affected."],
                effect: .archiveBranch(agentId: agentId, branchId: b.id), progress: "archiving \(branchLabel(b))"))
            return []
        case .discard:
            guard let agentId = selectedAgentId, let b = selectedBranchDraft else { return [] }
            overlay = .confirm(Confirmation(
                title: "Discard draft",
                lines: ["Discard the draft of \(branchLabel(b)) of \(agentName(agentId))?", "Its unpublished edits are lost; the branch head stays."],
                effect: .discardBranchDraft(agentId: agentId, branchId: b.id), progress: "discarding the draft of \(branchLabel(b))"))
            return []
        case .fork, .pin, .activate, .publishAndActivate, .editMeta:
            return []  // v1 only; their bindings do not apply on v2
        default:
            return nil
        }
    }

    /// `[` / `]`: History follows the previous/next branch.
    mutating func switchBranch(by delta: Int) -> [Effect] {
        guard let agentId = selectedAgentId, let current = currentBranch else { return [] }
        let list = branchList
        guard let i = list.firstIndex(where: { $0.id == current.id }), list.count > 1 else { return [] }
        let next = list[(i + delta + list.count) % list.count]
        selectedBranchIds[agentId] = next.id
        positions[.versions] = ListPosition()
        filters[.versions] = nil
        diff = nil
        detailScroll = 0
        if focus == .versions || (focus == .detail && detailOwner == .versions) { wantConfigForSelection() }
        status = StatusMessage("History: \(branchLabel(next))\(next.isLive ? " (live)" : "")", isError: false)
        return loadRevisionsIfNeeded(agentId: agentId)
    }

    /// Loads the revisions of the branch History shows unless they are loaded.
    mutating func loadRevisionsIfNeeded(agentId: String, force: Bool = false) -> [Effect] {
        guard agentId == selectedAgentId, let b = currentBranch else { return [] }
        if !force, let page = versions[agentId], page.branchId == b.id, page.total != nil, page.error == nil { return [] }
        var page = VersionPage(items: versions[agentId]?.branchId == b.id ? versions[agentId]?.items ?? [] : [], loading: true)
        page.branchId = b.id
        versions[agentId] = page
        return [.cancel(key: EffectKey.versions), .loadRevisions(agentId: agentId, branchId: b.id, skip: 0, limit: versionPageSize)]
    }

    private mutating func startMakeLive() -> [Effect] {
        guard let agentId = selectedAgentId, let b = currentBranch, let head = b.branch.headRevisionId else { return [] }
        let headName = b.headRevisionNumber.map { "r\($0)" } ?? versionLabel(agentId: agentId, versionId: head)
        var lines = ["Make \(branchLabel(b)) of \(agentName(agentId)) live?"]
        if let live = branches[agentId]?.live {
            let liveHead = live.headRevisionNumber.map { "r\($0)" } ?? "its head"
            lines.append("Live now: \(branchLabel(live)) at \(liveHead) → will serve: \(branchLabel(b)) at \(headName).")
        } else {
            lines.append("Will serve: \(branchLabel(b)) at \(headName).")
        }
        lines.append("This changes what serves live calls.")
        var c = Confirmation(title: "Make branch live", lines: lines, effect: .makeBranchLive(agentId: agentId, branchId: b.id),
                             progress: "making \(branchLabel(b)) live")
        c.reviewPending = true
        overlay = .confirm(c)
        return [.loadReview(agentId: agentId, subject: .makeLive(branchId: b.id))]
    }

    private mutating func startRestore() -> [Effect] {
        guard let agentId = selectedAgentId, let v = selectedVersion, let b = currentBranch else { return [] }
        let next = nextRevisionNumber(agentId: agentId, branch: b).map { "r\($0)" } ?? "the next revision"
        let head = b.headRevisionNumber.map { "r\($0)" } ?? "the head"
        var lines = ["Restore \(v.revisionLabel) of \(branchLabel(b)) of \(agentName(agentId)) as its new head \(next)?",
                     "History is kept: \(next) is a copy of \(v.revisionLabel); \(head) stays in the list."]
        if b.isLive {
            lines.append("\(branchLabel(b)) is LIVE: live traffic moves from \(head) to \(next) (= \(v.revisionLabel)) at once.")
        } else {
            lines.append("\(branchLabel(b)) is not live: live traffic does not change.")
        }
        lastWatchId += 1
        overlay = .confirm(Confirmation(title: "Restore revision", lines: lines,
                                        effect: .restoreRevision(watchId: lastWatchId, agentId: agentId, branchId: b.id, revisionId: v.id,
                                                                 timeout: AppState.checkTimeout),
                                        progress: "restoring \(v.revisionLabel) on \(branchLabel(b))"))
        return []
    }

    private mutating func cancelScan() -> [Effect] {
        guard let agentId = selectedAgentId, let b = actionBranch else { return [] }
        writeInFlight = "cancelling the scan of \(branchLabel(b))"
        cancellingScans.insert(b.id)
        return [.cancelBranchPublish(agentId: agentId, branchId: b.id)]
    }

    /// Enter in the new-branch or rename-branch input.
    mutating func branchInputEntered(_ p: InputPrompt, name: String) -> [Effect] {
        guard !name.isEmpty else {
            status = StatusMessage("A branch name cannot be empty (Esc cancels)", isError: true)
            return []
        }
        // Judged here, before anything is sent: `main` is reserved (case-insensitively).
        if name.lowercased() == "main" {
            var q = p
            q.error = "\"\(Sanitizer.sanitize(name, maxCharacters: 60))\" is reserved for the default branch — choose another name"
            overlay = .input(q)
            return []
        }
        var q = p
        q.pending = true
        q.error = nil
        overlay = .input(q)
        switch p.purpose {
        case .newBranch(let agentId, let from):
            writeInFlight = "creating branch \"\(Sanitizer.sanitize(name, maxCharacters: 60))\""
            return [.createBranch(agentId: agentId, name: name, fromBranchId: from)]
        case .renameBranch(let agentId, let branchId):
            writeInFlight = "renaming \(branchLabel(agentId: agentId, branchId: branchId))"
            return [.renameBranch(agentId: agentId, branchId: branchId, name: name)]
        default:
            return []
        }
    }

    // MARK: - Edit (v2)

    /// `e` on v2: the draft of the selected Drafts row's branch, else of the branch History shows.
    mutating func startBranchEdit() -> [Effect] {
        guard let agentId = selectedAgentId, let b = actionBranch else { return [] }
        let target = EditTarget(agentId: agentId, draftId: "branch-" + b.id, agentName: selectedAgent?.name ?? agentId,
                                draftName: b.branch.name, branchId: b.id)
        editing = target
        editSession = nil
        writeInFlight = "opening \(target.label)"
        return [.beginEdit(target, resume: nil)]
    }

    // MARK: - Results (v2)

    /// A v2 message (see `Msg`).
    mutating func updateV2(_ msg: Msg) -> [Effect] {
        switch msg {
        case .apiDetected(let generation, let reason):
            guard generation != apiGeneration else { return [] }
            apiGeneration = generation  // the other generation's area starts empty
            configs = [:]
            stats = [:]
            diff = nil
            mark = nil
            if let reason { status = StatusMessage(reason, isError: false) }
            let keep = selectedAgentId
            selectedAgentId = nil
            var effects = syncSelection()
            if keep == nil { effects = [] }
            effects += planLocalConfigs()
            clampAll()
            return effects

        case .branchesLoaded(let agentId, let list):
            // Marks of drafts whose branch head has not moved stay until their re-read answers.
            let known = (branches[agentId]?.draftBases ?? [:]).filter { id, base in
                list.contains { $0.id == id && $0.hasOpenDraft && $0.headRevisionNumber == base.liveVersionNumber }
            }
            branches[agentId] = BranchSet(items: list, loaded: true)
            branches[agentId]?.draftBases = known
            if let sel = selectedBranchIds[agentId], !list.contains(where: { $0.id == sel }) { selectedBranchIds[agentId] = nil }
            if let live = list.first(where: { $0.isLive }), let head = live.branch.headRevisionId {
                if let i = agents.firstIndex(where: { $0.id == agentId }) { agents[i].activeVersionId = head }
                if let i = agentSearchResults.firstIndex(where: { $0.id == agentId }) { agentSearchResults[i].activeVersionId = head }
            }
            refreshStats(agentId)
            if agentId == selectedAgentId, let want = branchDraftToSelect {
                branchDraftToSelect = nil
                if let i = branchDraftRows.firstIndex(where: { if case .draft(let b) = $0 { return b.id == want }; return false }) {
                    positions[.drafts] = ListPosition(cursor: i)
                }
            }
            clampAll()
            guard agentId == selectedAgentId else { return [] }
            if focus == .drafts || (focus == .detail && detailOwner == .drafts) { wantConfigForSelection() }
            let bases = list.filter { $0.hasOpenDraft && $0.branch.headRevisionId != nil }.map { Effect.loadDraftBase(agentId: agentId, branch: $0) }
            return loadRevisionsIfNeeded(agentId: agentId) + bases

        case .draftBaseLoaded(let agentId, let branchId, let base):
            branches[agentId]?.draftBases[branchId] = base
            return []

        case .revisionsLoaded(let agentId, let branchId, let skip, let list):
            guard var page = versions[agentId], page.branchId == branchId else { return [] }  // switched meanwhile
            page.loading = false
            page.error = nil
            if skip == 0 {
                page.items = list.revisions
            } else if skip <= page.items.count {
                page.items = Array(page.items.prefix(skip)) + list.revisions
            } else {
                return []
            }
            page.total = list.total
            versions[agentId] = page
            refreshFinished()
            refreshStats(agentId)
            clampAll()
            if agentId == selectedAgentId, focus == .versions || (focus == .detail && detailOwner == .versions) { wantConfigForSelection() }
            if skip == 0 && branches[agentId]?.live?.id == branchId { wantHealth(agentId) }
            return []

        case .branchPublished(let watchId, let agentId, let branchId, let state, let revision, let restored):
            return branchPublished(watchId: watchId, agentId: agentId, branchId: branchId, state: state, revision: revision, restored: restored)

        case .branchPublishCancelled(let agentId, let branchId):
            writeInFlight = nil
            cancellingScans.remove(branchId)
            // The scan's watch ends now: what it would report next is the cancel, not a failure.
            for (id, w) in watches where w.agentId == agentId && w.branchId == branchId { watches[id] = nil }
            if publish?.agentId == agentId, publish?.branchId == branchId { publish = nil }
            status = StatusMessage("Cancelled the scan of \(branchLabel(agentId: agentId, branchId: branchId)) — nothing was committed; the draft stays open", isError: false)
            return [.cancel(key: EffectKey.branchPublish(branchId))] + reloadBranches(agentId)

        case .branchMadeLive(let agentId, let branchId, let activeVersionId):
            writeInFlight = nil
            let flow = publish
            if flow?.agentId == agentId { publish = nil }
            if let i = agents.firstIndex(where: { $0.id == agentId }) { agents[i].activeVersionId = activeVersionId }
            if let i = agentSearchResults.firstIndex(where: { $0.id == agentId }) { agentSearchResults[i].activeVersionId = activeVersionId }
            if var set = branches[agentId] {
                for i in set.items.indices { set.items[i].isLive = set.items[i].id == branchId }
                branches[agentId] = set
            }
            let rev = versionLabel(agentId: agentId, versionId: activeVersionId)
            let what = flow?.version.map { _ in flow!.versionTitle } ?? rev
            status = StatusMessage("\(what) of \(agentName(agentId)) on \(branchLabel(agentId: agentId, branchId: branchId)) is live (verified)", isError: false)
            refreshStats(agentId)
            return reloadBranches(agentId)

        case .branchCreated(let agentId, let branch):
            writeInFlight = nil
            closePendingInput()
            selectedBranchIds[agentId] = branch.id
            status = StatusMessage("Created branch \"\(Sanitizer.sanitize(branch.name, maxCharacters: 60))\" — History shows it; e edits its draft", isError: false)
            positions[.versions] = ListPosition()
            return reloadBranches(agentId)

        case .branchRenamed(let agentId, let branchId, let name):
            writeInFlight = nil
            closePendingInput()
            if var set = branches[agentId], let i = set.items.firstIndex(where: { $0.id == branchId }) {
                set.items[i].branch.name = name
                branches[agentId] = set
            }
            status = StatusMessage("Renamed the branch to \"\(Sanitizer.sanitize(name, maxCharacters: 60))\"", isError: false)
            return []

        case .branchArchived(let agentId, let branchId):
            writeInFlight = nil
            let label = branchLabel(agentId: agentId, branchId: branchId)
            if var set = branches[agentId] {
                set.items.removeAll { $0.id == branchId }
                branches[agentId] = set
            }
            if selectedBranchIds[agentId] == branchId { selectedBranchIds[agentId] = nil }
            status = StatusMessage("Archived \(label)", isError: false)
            clampAll()
            return reloadBranches(agentId)

        case .branchDraftDiscarded(let agentId, let branchId):
            writeInFlight = nil
            status = StatusMessage("Discarded the draft of \(branchLabel(agentId: agentId, branchId: branchId)) — its head stays", isError: false)
            configs = configs.filter { if case .branchDraft(let b, _) = $0.key.source { return b != branchId }; return true }
            return reloadBranches(agentId)

        case .started, .agentsLoaded, .versionsLoaded, .draftsLoaded, .configLoaded, .diffLoaded, .failed, .connectFailed,
             .draftForked, .draftRenamed, .draftDiscarded, .pinChanged, .activated, .edit, .published, .checkProgress,
             .checkWatchFailed, .versionMetaChanged, .keyPressed, .resized, .tick, .reviewLoaded, .rebase, .copied, .localPlansLoaded, .healthLoaded:
            return []  // not v2 messages: the root `update` handles them
        }
    }

    /// Reloads an agent's branches (and, through `.branchesLoaded`, the History branch's revisions).
    mutating func reloadBranches(_ agentId: String) -> [Effect] {
        guard agentId == selectedAgentId else { branches[agentId] = nil; versions[agentId] = nil; return [] }
        branches[agentId, default: BranchSet()].loading = true
        if let page = versions[agentId] { var p = page; p.total = nil; versions[agentId] = p }
        return [.loadBranches(agentId: agentId)]
    }
}
