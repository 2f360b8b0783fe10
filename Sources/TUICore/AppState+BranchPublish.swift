import Foundation
import AtomsModels

extension AppState {
    // MARK: - p on v2

    /// `p` on v2: the review of the branch draft against the branch head.
    mutating func startBranchPublish() -> [Effect] {
        guard let agentId = selectedAgentId, let b = actionBranch, let draftId = b.branch.openDraftId else { return [] }
        var flow = PublishFlow(agentId: agentId, draftId: draftId, draftTitle: "the draft of \(branchLabel(b))", andActivate: false,
                               form: MetaForm(label: ""), baseVersionId: b.branch.headRevisionId)
        flow.branchId = b.id
        flow.branchName = b.branch.name
        flow.onLiveBranch = b.isLive
        flow.nextRevision = nextRevisionNumber(agentId: agentId, branch: b)
        status = nil
        guard let head = b.branch.headRevisionId else {
            publish = flow
            return []
        }
        flow.diff = .loading
        flow.review = .loading
        publish = flow
        return [.loadPublishDiff(agentId: agentId, from: .version(head), to: flow.reviewSource, generation: .v2),
                .loadReview(agentId: agentId, subject: .branchDraft(branchId: b.id))]
    }

    /// `r5`, or "the next revision" when the number cannot be known from what is loaded.
    func nextRevisionName(_ flow: PublishFlow) -> String { flow.nextRevision.map { "r\($0)" } ?? "the next revision" }

    /// The number the server gives the branch's next commit: revision numbers are monotonic per branch
    /// (`max + 1` over the branch's own commits, which the first page of its history — newest first —
    /// holds), so it is neither the head's number + 1 (a live branch can have revisions numbered above
    /// its head after a restore or a migration) nor inherited from the branch it was created from (a
    /// new branch's first commit is r1). Nil when it cannot be known from what is loaded.
    func nextRevisionNumber(agentId: String, branch b: BranchSummary) -> Int? {
        if let page = versions[agentId], page.branchId == b.id, page.total != nil, page.error == nil {
            let own = page.items.filter { $0.branch == b.id }.compactMap(\.revisionNumber)
            if let top = own.max() { return top + 1 }
            if page.total == 0 || b.revisionsCount == 0 { return 1 }
            return nil
        }
        return b.revisionsCount == 0 ? 1 : nil
    }

    /// Enter in the v2 review: on the live branch a y/N question first; off it, publish.
    mutating func branchReviewEntered(_ flow: PublishFlow) -> [Effect] {
        var flow = flow
        flow.error = nil
        if flow.onLiveBranch {
            flow.phase = .confirmPublish
            publish = flow
            return []
        }
        return sendBranchPublish(flow)
    }

    /// Sends the v2 publish; the scan's progress follows under a new watch id.
    mutating func sendBranchPublish(_ flow: PublishFlow) -> [Effect] {
        guard let branchId = flow.branchId else { return [] }
        var flow = flow
        lastWatchId += 1
        flow.watchId = lastWatchId
        flow.phase = .publishing
        publish = flow
        writeInFlight = "publishing \(flow.draftTitle)"
        return [.publishBranch(watchId: lastWatchId, agentId: flow.agentId, branchId: branchId, label: flow.form.trimmedLabel,
                               timeout: AppState.checkTimeout)]
    }

    /// Keys of the v2 phases that differ from v1 (nil: handled like v1).
    mutating func branchPublishKey(_ key: Key, _ flow: PublishFlow) -> [Effect]? {
        guard let branchId = flow.branchId else { return nil }
        var flow = flow
        switch flow.phase {
        case .confirmPublish:
            guard key == .char("y") || key == .char("Y") else {
                flow.phase = .review
                flow.error = "Not published — Enter asks again, Esc closes"
                publish = flow
                return []
            }
            if let why = whyWriteDisabled() {
                flow.phase = .review
                flow.error = why
                publish = flow
                return []
            }
            return sendBranchPublish(flow)
        case .checking:
            if key == .char("c") {
                if let why = whyWriteDisabled() { status = StatusMessage(why, isError: true); return [] }
                writeInFlight = "cancelling the scan of \(flow.branchTitle)"
                cancellingScans.insert(branchId)
                return [.cancelBranchPublish(agentId: flow.agentId, branchId: branchId)]
            }
            guard key == .escape else { return [] }
            publish = nil
            status = StatusMessage("Left the wait: the scan of \(flow.branchTitle) goes on in the background (c cancels it); this line will say how it ends",
                                   isError: false)
            return []
        case .confirmActivate:
            if key == .char("y") || key == .char("Y"), flow.makeLiveReview?.isLoading == true {
                // Held until the review says what going live would undo.
                flow.makeLiveConfirmedEarly = true
                publish = flow
                return []
            }
            publish = nil
            guard key == .char("y") || key == .char("Y") else {
                status = StatusMessage("\(flow.versionTitle) is the head of \(flow.branchTitle), which is not live — m makes it live later", isError: false)
                return [.cancel(key: EffectKey.publishReview)] + reloadBranches(flow.agentId)
            }
            if let why = whyWriteDisabled() {
                status = StatusMessage(why, isError: true)
                return []
            }
            flow.phase = .activating
            publish = flow
            writeInFlight = "making \(flow.branchTitle) live"
            return [.makeBranchLive(agentId: flow.agentId, branchId: branchId)]
        case .failed(let reason):
            publish = nil
            status = StatusMessage("\(flow.draftTitle) was not committed: \(Sanitizer.sanitize(reason, maxCharacters: 200)) — the draft stays open; e edits it, p publishes again",
                                   isError: true)
            return reloadBranches(flow.agentId)
        case .timedOut(let checkStatus, let after):
            publish = nil
            status = StatusMessage("The scan of \(flow.branchTitle) was still \(checkStatus) after \(Int(after)) s — it commits on its own once it passes (R refreshes; c cancels)",
                                   isError: false)
            return []
        default:
            return nil
        }
    }

    // MARK: - Results

    /// A v2 publish or restore answered: list the revision, follow its scan.
    mutating func branchPublished(watchId: Int, agentId: String, branchId: String, state: String, revision: AgentVersion?, restored: Bool) -> [Effect] {
        writeInFlight = nil
        if let r = revision { publishedHere.insert(r.id) }
        if let r = revision, var page = versions[agentId], page.branchId == branchId {
            page.items.removeAll { $0.id == r.id }
            page.items.insert(r, at: 0)
            page.total = page.total.map { $0 + 1 }
            versions[agentId] = page
        }
        let branch = branches[agentId]?.items.first { $0.id == branchId }
        let promised = publish?.watchId == watchId ? publish?.nextRevision : nil
        var title = revision?.revisionNumber.map { "r\($0)" } ?? promised.map { "r\($0)" } ?? revision?.revisionLabel ?? "the new revision"
        if let l = revision?.label { title += " \"" + Sanitizer.sanitize(l, maxCharacters: 60) + "\"" }
        if restored, let from = revision?.restoredFromLabel { title += " (restored from \(Sanitizer.sanitize(from, maxCharacters: 40)))" }
        watches[watchId] = WatchedCheck(agentId: agentId, versionId: revision?.id ?? "", title: title, branchId: branchId,
                                        onLiveBranch: branch?.isLive ?? false)
        if var flow = publish, flow.watchId == watchId {
            flow.phase = .checking
            flow.version = revision
            flow.startedAt = now
            publish = flow
        } else if restored {
            status = StatusMessage("Restoring as \(title) on \(branchLabel(agentId: agentId, branchId: branchId)) — \(state)", isError: false)
        }
        clampAll()
        return []
    }

    /// An observation of a v2 scan (publish or restore).
    mutating func branchCheckProgress(watchId: Int, _ w: WatchedCheck, _ u: CheckUpdate) -> [Effect] {
        guard let branchId = w.branchId else { return [] }
        if u.phase == .passed, let d = diff, d.agentId == w.agentId, case .branchDraft(branchId, _) = d.to {
            // The branch's draft is committed and gone: its diff would show a draft that no longer exists.
            diff = nil
        }
        if let row = u.version, var page = versions[w.agentId], page.branchId == branchId, let i = page.items.firstIndex(where: { $0.id == row.id }) {
            page.items[i] = row
            versions[w.agentId] = page
        }
        if u.phase != .checking { watches[watchId] = nil }
        if u.phase == .failed && cancellingScans.contains(branchId) {
            // The person cancelled this scan: its end is the cancel (reported when it answers), not a failure.
            if publish?.watchId == watchId { publish = nil }
            return []
        }
        let branch = branchLabel(agentId: w.agentId, branchId: branchId)
        let agent = agentName(w.agentId)
        let title = u.version.map { r -> String in
            var t = r.revisionLabel
            if let l = r.label { t += " \"" + Sanitizer.sanitize(l, maxCharacters: 60) + "\"" }
            return t
        } ?? w.title
        guard var flow = publish, flow.watchId == watchId else {
            switch u.phase {
            case .checking: return []
            case .passed:
                if w.onLiveBranch, whyWriteDisabled() == nil {
                    status = StatusMessage("\(title) of \(agent) is committed on \(branch) (live) — reading the agent back…", isError: false)
                    writeInFlight = "confirming \(branch) is live"
                    return [.makeBranchLive(agentId: w.agentId, branchId: branchId)] + reloadBranches(w.agentId)
                }
                status = StatusMessage("\(title) of \(agent) is committed: the head of \(branch)\(w.onLiveBranch ? " (live)" : ", which is not live — m makes it live")",
                                       isError: false)
            case .failed:
                status = StatusMessage("\(w.title) of \(agent) on \(branch) was not committed: \(Sanitizer.sanitize(u.reason ?? "no reason given", maxCharacters: 200)) — the draft stays open",
                                       isError: true)
            case .timedOut:
                status = StatusMessage("The scan on \(branch) was still \(u.status.rawValue) after \(Int(u.elapsed)) s — it commits on its own once it passes (R refreshes)",
                                       isError: false)
            }
            return reloadBranches(w.agentId)
        }
        flow.last = u
        if let r = u.version { flow.version = r }
        switch u.phase {
        case .checking:
            publish = flow
            return []
        case .passed:
            if flow.onLiveBranch {
                // Already live: the make-live call only reads the agent back to confirm the new head serves.
                flow.phase = .activating
                publish = flow
                writeInFlight = "confirming \(flow.branchTitle) is live"
                return [.makeBranchLive(agentId: flow.agentId, branchId: branchId)] + reloadBranches(flow.agentId)
            }
            flow.phase = .confirmActivate
            flow.makeLiveReview = .loading
            publish = flow
            return [.loadReview(agentId: flow.agentId, subject: .makeLive(branchId: branchId))] + reloadBranches(flow.agentId)
        case .failed:
            flow.phase = .failed(reason: u.reason ?? "no reason given")
        case .timedOut:
            flow.phase = .timedOut(status: u.status.rawValue, after: u.elapsed)
        }
        publish = flow
        return []
    }
}
