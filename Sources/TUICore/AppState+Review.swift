import Foundation
import AtomsModels

/// The three-way review in the TUI: the publish review's "your changes / publishing this would undo"
/// part, the extra confirmation before publishing reversions, the rebase (`R`), the `3` view of any
/// draft, and the drafts pane's "behind" marks.
extension AppState {
    // MARK: - Lines

    /// The three-way review as lines: the draft's own changes first (yours, then changed alike on both
    /// sides), then — when there are any — the marked "Publishing this would undo:" section listing each
    /// reverted or conflicting field with the version(s)/revision(s) that introduced it. All server text sanitized.
    public static func threeWayLines(_ r: ThreeWayReview, makingLive: Bool = false) -> [DetailLine] {
        func s(_ t: String, _ n: Int = 200) -> String { Sanitizer.sanitize(t, maxCharacters: n) }
        // The values of one change, cut with one window so the difference shows on every side.
        func v(_ xs: JSONValue?...) -> [String] { ThreeWayReview.shortSideBySide(xs, limit: 60).map { s($0, 80) } }
        func by(_ c: ThreeWayChange) -> String {
            c.introducedBy.isEmpty ? "" : " — introduced by " + c.introducedBy.map { s($0.display, 120) }.joined(separator: ", ")
        }
        var out: [DetailLine] = []
        var head = "Three-way: \(s(r.draft.name)) · base \(s(r.base.name)) · live \(s(r.live.name))"
        if r.isBehind, r.behindBy > 0 { head += " (live is \(r.behindBy) ahead of the base)" }
        out.append(DetailLine(head, style: .dim))
        if let a = r.approximation { out.append(DetailLine("note: " + s(a, 300), style: .dim)) }
        let c = r.comparison
        out.append(DetailLine(c.yours.isEmpty ? "Your changes (draft vs its base \(s(r.base.name))): none"
                                              : "Your changes (draft vs its base \(s(r.base.name))):", style: .bold))
        for ch in c.yours { let x = v(ch.base, ch.draft); out.append(DetailLine("  \(s(ch.path)): \(x[0]) → \(x[1])", style: .added)) }
        if !c.both.isEmpty {
            out.append(DetailLine("Changed alike on both sides (nothing happens to these):", style: .bold))
            for ch in c.both { let x = v(ch.base, ch.draft); out.append(DetailLine("  \(s(ch.path)): \(x[0]) → \(x[1])", style: .dim)) }
        }
        if c.wouldUndoLiveChanges {
            out.append(DetailLine("⚠ \(makingLive ? "Making it live" : "Publishing this") would undo (changed on the live side since \(s(r.base.name))):", style: .warning))
            for ch in c.theirs {
                let x = v(ch.live, ch.draft)
                out.append(DetailLine("  ↶ \(s(ch.path)): live \(x[0]) → \(x[1])\(by(ch))", style: .removed))
            }
            for ch in c.conflicts {
                let x = v(ch.live, ch.draft, ch.base)
                out.append(DetailLine("  ✗ \(s(ch.path)): conflict — live \(x[0]), yours \(x[1]), base \(x[2])\(by(ch))",
                                      style: .failed))
            }
            out.append(DetailLine("R rebases the draft onto \(s(r.live.name)) keeping only your changes.", style: .dim))
        } else if r.isBehind {
            out.append(DetailLine("\(makingLive ? "Making it live" : "Publishing this") undoes nothing on the live side.", style: .dim))
        }
        return out
    }

    /// Only the "would undo" part of the review: its warning, the reverted fields and the conflicts.
    public static func undoLines(_ r: ThreeWayReview, makingLive: Bool = false) -> [DetailLine] {
        threeWayLines(r, makingLive: makingLive).filter { $0.style == .warning || $0.style == .removed || $0.style == .failed }
    }

    /// The review target of a publish flow.
    static func reviewTarget(_ flow: PublishFlow) -> ReviewTarget {
        flow.branchId.map { ReviewTarget.branchDraft(branchId: $0) } ?? .draft(draftId: flow.draftId)
    }

    // MARK: - Messages

    /// `.reviewLoaded`: the publish review, the `3` panel and the make-live question take it.
    mutating func reviewArrived(agentId: String, subject: ReviewTarget, _ review: ThreeWayReview) -> [Effect] {
        if var flow = publish, flow.agentId == agentId, AppState.reviewTarget(flow) == subject {
            flow.review = .loaded(review)
            publish = flow
            if flow.enterPending, flow.phase == .review {
                flow.enterPending = false
                publish = flow
                return publishKey(.enter)
            }
        }
        if case .threeWay(var t)? = overlay, t.agentId == agentId, t.subject == subject {
            t.lines = AppState.threeWayLines(review)
            t.failed = nil
            overlay = .threeWay(t)
        }
        if case .makeLive(let branchId) = subject, var flow = publish, flow.agentId == agentId, flow.branchId == branchId,
           flow.phase == .confirmActivate, flow.makeLiveReview != nil {
            // The question after a publish off the live branch: the same warning `m` shows.
            flow.makeLiveReview = .loaded(review)
            let early = flow.makeLiveConfirmedEarly && !review.wouldUndoLiveChanges
            flow.makeLiveConfirmedEarly = false
            publish = flow
            if early { return publishKey(.char("y")) }
        }
        if case .makeLive(let branchId) = subject, case .confirm(var c)? = overlay,
           c.effect == .makeBranchLive(agentId: agentId, branchId: branchId) {
            c.reviewPending = false
            if review.wouldUndoLiveChanges {
                // A `y` pressed before this warning was on screen does not count.
                c.confirmedEarly = false
                c.lines += AppState.undoLines(review, makingLive: true).map(\.text)
            }
            overlay = .confirm(c)
            if c.confirmedEarly { return confirmKey(.char("y"), c) }
        }
        return []
    }

    /// A review or rebase effect failed.
    mutating func reviewFailed(_ effect: Effect, _ failure: EffectFailure) {
        let msg = Sanitizer.sanitize(failure.line, maxCharacters: 300)
        switch effect {
        case .loadReview(let agentId, let subject):
            if var flow = publish, flow.agentId == agentId, AppState.reviewTarget(flow) == subject {
                flow.review = .failed(msg)
                if flow.enterPending {
                    // Nothing is published on a review that could not be made: the person decides again.
                    flow.enterPending = false
                    flow.error = "The three-way review could not load (\(msg)); Enter publishes without it, Esc cancels"
                }
                publish = flow
            }
            if case .threeWay(var t)? = overlay, t.agentId == agentId, t.subject == subject {
                t.failed = msg
                overlay = .threeWay(t)
            }
            if case .makeLive(let branchId) = subject, var flow = publish, flow.agentId == agentId, flow.branchId == branchId,
               flow.phase == .confirmActivate, flow.makeLiveReview != nil {
                flow.makeLiveReview = .failed(msg)
                flow.makeLiveConfirmedEarly = false
                publish = flow
            }
            if case .makeLive(let branchId) = subject, case .confirm(var c)? = overlay,
               c.effect == .makeBranchLive(agentId: agentId, branchId: branchId) {
                c.reviewPending = false
                c.confirmedEarly = false
                c.lines.append("Could not check what this would undo (\(msg)); y makes it live without that check.")
                overlay = .confirm(c)
            }
        default:
            writeInFlight = nil
            status = StatusMessage(reasonFirst(msg, "the rebase failed"), isError: true)
        }
    }

    /// A step of a rebase: the Runtime's plan goes straight into the next phase's effect.
    mutating func rebaseEvent(agentId: String, subject: ReviewTarget, _ event: RebaseEvent) -> [Effect] {
        switch event {
        case .needsEditor(let n, let name, let rebase):
            writeInFlight = "rebasing: \(n) conflicting field\(n == 1 ? "" : "s") in the editor"
            if let name { status = StatusMessage("Forked '\(Sanitizer.sanitize(name, maxCharacters: 100))' — \(n) field\(n == 1 ? "" : "s") changed on both sides open in the editor", isError: false) }
            return [.rebaseConflicts(agentId: agentId, subject: subject, rebase: rebase)]
        case .edited(let rebase):
            return [.finishRebase(agentId: agentId, subject: subject, rebase: rebase)]
        case .finished(let r):
            writeInFlight = nil
            return rebaseFinished(agentId: agentId, r)
        }
    }

    /// The status line of a finished rebase; v1 lists the drafts read afterwards and selects the new one.
    mutating func rebaseFinished(agentId: String, _ r: RebaseResult) -> [Effect] {
        func s(_ t: String?) -> String { Sanitizer.sanitize(t ?? "", maxCharacters: 100) }
        var text: String
        if r.alreadyCurrent {
            text = "Nothing to rebase: the draft is already based on \(s(r.onto))"
        } else if let newName = r.newDraftName {
            text = "Rebased '\(s(r.oldDraftName))' onto \(s(r.onto)) as '\(s(newName))'"
            text += r.oldDraftDiscarded ? "; the old draft was discarded after the new one verified" : "; the old draft '\(s(r.oldDraftName))' is kept"
        } else {
            text = "Rewrote the branch draft on \(s(r.onto))"
        }
        if !r.alreadyCurrent {
            if !r.carried.isEmpty { text += " · yours: \(r.carried.map { s($0) }.joined(separator: ", "))" }
            if !r.keptLive.isEmpty { text += " · no longer reverted: \(r.keptLive.map { s($0) }.joined(separator: ", "))" }
        }
        var isError = false
        if let why = r.cancelled {
            text += " — not completed: " + Sanitizer.sanitize(why, maxCharacters: 200)
            isError = true
        } else if !r.alreadyCurrent {
            text += r.verified ? " (verified)" : " — NOT verified by reading back"
            isError = !r.verified
        }
        status = StatusMessage(text, isError: isError)
        if let list = r.drafts {
            drafts[agentId] = DraftSet(items: list, loaded: true, loading: false)
            refreshStats(agentId)
            if agentId == selectedAgentId, let n = r.newDraftId, r.cancelled == nil {
                filters[.drafts] = nil
                let i = list.firstIndex { $0.draftId == n || $0.id == n } ?? 0
                positions[.drafts] = ListPosition(cursor: i)
                focus = .drafts
                detailOwner = .drafts
                diff = nil
                wantConfigForSelection()
            }
            clampAll()
            return []
        }
        if r.branchId != nil { return reloadBranches(agentId) }
        return [.loadDrafts(agentId: agentId)]
    }

    // MARK: - The extra confirmation

    /// Enter in the review when the review says publishing would undo live changes: the second step.
    mutating func confirmRevertKey(_ key: Key, _ flow: PublishFlow) -> [Effect] {
        var flow = flow
        switch key {
        case .char("R"):
            if let why = whyWriteDisabled() {
                flow.phase = .review
                flow.error = why
                publish = flow
                return []
            }
            return startRebase(agentId: flow.agentId, subject: AppState.reviewTarget(flow))
        case .char("!"), .char("y"):
            if let why = whyWriteDisabled() {
                flow.phase = .review
                flow.error = why
                publish = flow
                return []
            }
            flow.revertConfirmed = true
            flow.phase = .review
            publish = flow
            return reviewEntered(flow)
        case .escape:
            flow.phase = .review
            flow.error = "Not published — Enter asks again, R rebases, Esc closes"
            publish = flow
            return []
        default:
            return []
        }
    }

    /// Enter in the review, once the reversion question is settled: publishes as before.
    mutating func reviewEntered(_ flow: PublishFlow) -> [Effect] {
        var flow = flow
        if flow.branchId != nil { return branchReviewEntered(flow) }
        flow.phase = .publishing
        flow.error = nil
        publish = flow
        writeInFlight = "publishing \(flow.draftTitle)"
        let description = flow.form.description.string
        return [.publishDraft(agentId: flow.agentId, draftId: flow.draftId, label: flow.form.trimmedLabel,
                              description: description.isEmpty ? nil : description)]
    }

    /// Starts a rebase (closing the publish flow if it is open).
    mutating func startRebase(agentId: String, subject: ReviewTarget) -> [Effect] {
        if let why = whyWriteDisabled() {
            status = StatusMessage(why, isError: true)
            return []
        }
        if case .makeLive = subject { return [] }
        publish = nil
        overlay = nil
        writeInFlight = "rebasing the draft"
        status = StatusMessage("Rebasing the draft onto what is live…", isError: false)
        return [.cancel(key: EffectKey.publishDiff), .cancel(key: EffectKey.publishReview),
                .rebaseDraft(agentId: agentId, agentName: (agents.first { $0.id == agentId } ?? agentSearchResults.first { $0.id == agentId })?.name ?? agentId,
                             subject: subject)]
    }

    // MARK: - 3: the three-way view

    /// `3` on a draft (v1) or a branch draft (v2): the three-way view in a dialog.
    mutating func startThreeWay() -> [Effect] {
        guard let agentId = selectedAgentId else { return [] }
        let subject: ReviewTarget
        let title: String
        if isV2 {
            guard let b = selectedBranchDraft ?? actionBranch, b.branch.openDraftId != nil else {
                status = StatusMessage("3 three-way: select a branch draft in the Drafts pane", isError: true)
                return []
            }
            subject = .branchDraft(branchId: b.id)
            title = "the draft of \(branchLabel(b))"
        } else {
            guard let d = selectedDraft else {
                status = StatusMessage("3 three-way: select a draft in the Drafts pane", isError: true)
                return []
            }
            subject = .draft(draftId: d.draftId ?? d.id)
            title = draftLabel(d)
        }
        overlay = .threeWay(ThreeWayPanel(agentId: agentId, subject: subject, title: title))
        return [.loadReview(agentId: agentId, subject: subject)]
    }

    /// Keys in the three-way view: j/k/PgUp/PgDn scroll, R rebases, Esc/q closes.
    mutating func threeWayKey(_ key: Key, _ panel: ThreeWayPanel) -> [Effect] {
        var t = panel
        let count = t.lines?.count ?? 1
        switch key {
        case .escape, .char("q"), .enter:
            overlay = nil
            return [.cancel(key: EffectKey.publishReview)]
        case .char("R"):
            return startRebase(agentId: t.agentId, subject: t.subject)
        case .down, .char("j"): t.scroll = min(max(0, count - 1), t.scroll + 1)
        case .up, .char("k"): t.scroll = max(0, t.scroll - 1)
        case .pageDown: t.scroll = min(max(0, count - 1), t.scroll + 10)
        case .pageUp: t.scroll = max(0, t.scroll - 10)
        default: return []
        }
        overlay = .threeWay(t)
        return []
    }

    // MARK: - Behind marks

    /// "behind v12 by 2" for a v1 draft, from the loaded versions page; nil when up to date or unknown.
    func behindSummary(_ d: AgentVersion) -> String? {
        guard let agentId = selectedAgentId, let page = versions[agentId] else { return nil }
        return DraftBaseStatus.of(sourceVersionId: d.sourceVersionId, activeVersionId: activeVersionId, versions: page.items)?.summary
    }
}

/// The `3` dialog: a draft's three-way review.
public struct ThreeWayPanel: Hashable, Sendable {
    public var agentId: String
    public var subject: ReviewTarget
    /// `draft "name"` / `the draft of branch "x"`.
    public var title: String
    /// The review's lines once loaded (sanitized).
    public var lines: [DetailLine]?
    /// Why it could not load.
    public var failed: String?
    /// First visible line.
    public var scroll = 0

    /// A panel waiting for its review.
    public init(agentId: String, subject: ReviewTarget, title: String) {
        self.agentId = agentId
        self.subject = subject
        self.title = title
    }
}

extension AppState {
    /// The `3` dialog.
    func drawThreeWay(_ screen: inout Screen, _ t: ThreeWayPanel) {
        var lines: [(String, Style)]
        if let f = t.failed {
            lines = [("Could not load the three-way review: \(f)", .failed)]
        } else if let l = t.lines {
            let room = max(1, screen.height - 8)
            let first = max(0, min(t.scroll, max(0, l.count - 1)))
            lines = l[first...].prefix(room).map { ($0.text, $0.style == .normal ? .overlay : $0.style) }
            if l.count > room { lines.append(("\(first + 1)–\(min(l.count, first + room))/\(l.count) (j/k PgUp/PgDn)", .dim)) }
        } else {
            lines = [("Loading base, draft and live…", .dim)]
        }
        drawMessage(&screen, title: "Three-way — \(t.title)", lines: lines,
                    footer: "R rebase onto what is live (keeps only the draft's changes) · Esc close", width: 110)
    }
}
