import XCTest
import AtomsModels
@testable import TUICore

/// v2 (branches + revisions): the exact effects of each flow, from keys and stubbed results.
final class BranchUpdateTests: XCTestCase {
    typealias F = Fixtures
    typealias B = BranchFixtures
    var agent: String { F.agentId(0) }

    func passed(_ r: AgentVersion, elapsed: Double = 2) -> CheckUpdate {
        var row = r
        row.status = .published
        row.revisionNumber = 4
        row.securityCheck = SecurityCheck(status: .passed)
        return CheckUpdate(phase: .passed, elapsed: elapsed, expected: 6, status: .passed, version: row, requests: 3)
    }

    func testSelectingAnAgentLoadsBranchesThenTheLiveBranchHistory() {
        var s = AppState(isDemo: true, apiGeneration: .v2, now: F.now, size: Size(width: 120, height: 32))
        _ = update(&s, .started)
        let fx = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents())))
        XCTAssertEqual(fx, [.cancel(key: EffectKey.versions), .cancel(key: EffectKey.branches), .loadBranches(agentId: agent)])
        let fx2 = update(&s, .branchesLoaded(agentId: agent, branches: B.branches()))
        XCTAssertEqual(fx2, [.cancel(key: EffectKey.versions), .loadRevisions(agentId: agent, branchId: B.mainId, skip: 0, limit: 50)]
                       + B.branches().filter(\.hasOpenDraft).map { .loadDraftBase(agentId: agent, branch: $0) },
                       "each open branch draft's base is read for the behind mark")
        XCTAssertEqual(s.currentBranch?.branch.name, "main")
        XCTAssertTrue(render(s, s.size).text.contains("History · main ● live"))
        XCTAssertTrue(render(s, s.size).text.contains("API v2 (branches)"))
    }

    func testApiDetectedMidRunSwitchesAndReloadsTheSelectedAgent() {
        var s = F.loadedState()
        let fx = update(&s, .apiDetected(generation: .v2, reason: "switched to branches + revisions"))
        XCTAssertEqual(s.apiGeneration, .v2)
        XCTAssertEqual(fx, [.cancel(key: EffectKey.versions), .cancel(key: EffectKey.branches), .loadBranches(agentId: agent)])
        XCTAssertEqual(s.status?.text, "switched to branches + revisions")
        XCTAssertEqual(update(&s, .apiDetected(generation: .v2, reason: nil)), [], "the same generation again changes nothing")
    }

    func testBracketsSwitchTheHistoryBranch() {
        var s = B.loadedState()
        let fx = F.press([.tab, .char("]")], &s)
        XCTAssertEqual(s.currentBranch?.id, B.featureId)
        XCTAssertEqual(fx, [.cancel(key: EffectKey.versions), .loadRevisions(agentId: agent, branchId: B.featureId, skip: 0, limit: 50)])
        // A late answer for main is dropped; feature's is taken.
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.mainId, skip: 0, list: B.revisions()))
        XCTAssertEqual(s.versionRows.count, 0)
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.featureId, skip: 0, list: B.revisions(branch: 1, count: 1)))
        XCTAssertEqual(s.versionRows.map(\.revisionLabel), ["r1"])
        F.press([.char("[")], &s)
        XCTAssertEqual(s.currentBranch?.id, B.mainId)
    }

    func testPublishOnTheLiveBranchAsksYThenWatchesThenReadsTheAgentBack() {
        var s = B.loadedState()
        F.press([.tab, .tab], &s)  // Drafts: main's draft first
        XCTAssertEqual(s.selectedBranchDraft?.id, B.mainId)
        let review = F.press([.char("p")], &s)
        XCTAssertEqual(review, [.loadPublishDiff(agentId: agent, from: .version(B.revisionId(0, 3)),
                                                 to: .branchDraft(branchId: B.mainId, draftId: B.mainDraftId), generation: .v2),
                                .loadReview(agentId: agent, subject: .branchDraft(branchId: B.mainId))])
        F.deliverCleanReview(&s)
        XCTAssertEqual(F.press(F.typing("greet") + [.enter], &s), [], "Enter on the live branch sends nothing")
        XCTAssertEqual(s.publish?.phase, .confirmPublish)
        XCTAssertTrue(render(s, s.size).text.contains("r4 serves live traffic"))
        // Enter alone never confirms: back to the review.
        XCTAssertEqual(F.press([.enter], &s), [])
        XCTAssertEqual(s.publish?.phase, .review)
        F.press([.enter], &s)
        let sent = F.press([.char("y")], &s)
        let watchId = s.publish?.watchId ?? -1
        XCTAssertEqual(sent, [.publishBranch(watchId: watchId, agentId: agent, branchId: B.mainId, label: "greet", timeout: AppState.checkTimeout)])
        XCTAssertEqual(s.publish?.phase, .publishing)
        let row = B.scanning()
        XCTAssertEqual(update(&s, .branchPublished(watchId: watchId, agentId: agent, branchId: B.mainId, state: "scanning", revision: row, restored: false)), [])
        XCTAssertEqual(s.publish?.phase, .checking)
        XCTAssertEqual(s.versionRows.first?.id, row.id, "the scanning revision is listed at once")
        _ = update(&s, .checkProgress(watchId: watchId, CheckUpdate(phase: .checking, elapsed: 1, expected: 6, status: .queued, version: row, requests: 1)))
        XCTAssertTrue(render(s, s.size).text.contains("░"))
        let done = update(&s, .checkProgress(watchId: watchId, passed(row)))
        XCTAssertEqual(done, [.makeBranchLive(agentId: agent, branchId: B.mainId), .loadBranches(agentId: agent)])
        XCTAssertEqual(s.publish?.phase, .activating)
        _ = update(&s, .branchMadeLive(agentId: agent, branchId: B.mainId, activeVersionId: row.id))
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.status?.text, "r4 \"greet\" of \"Support Bot\" on branch \"main\" is live (verified)")
        XCTAssertEqual(s.activeVersionId, row.id)
    }

    func testPublishOffTheLiveBranchAsksMakeBranchLiveAfterThePass() {
        var s = B.loadedState()
        F.press([.tab, .tab, .down], &s)
        XCTAssertEqual(s.selectedBranchDraft?.id, B.featureId)
        F.pressReviewed([.char("p")] + F.typing("try") + [.enter], &s)
        let watchId = s.publish?.watchId ?? -1
        XCTAssertEqual(s.publish?.phase, .publishing, "off the live branch Enter publishes")
        let row = B.scanning(branch: 1, n: 2)
        _ = update(&s, .branchPublished(watchId: watchId, agentId: agent, branchId: B.featureId, state: "scanning", revision: row, restored: false))
        let fx = update(&s, .checkProgress(watchId: watchId, passed(row)))
        XCTAssertEqual(fx, [.loadReview(agentId: agent, subject: .makeLive(branchId: B.featureId)), .loadBranches(agentId: agent)],
                       "the question comes with the review of what going live would undo")
        XCTAssertEqual(s.publish?.phase, .confirmActivate)
        XCTAssertTrue(render(s, s.size).text.contains("Make branch live?"))
        XCTAssertEqual(F.press([.enter], &s), [.cancel(key: EffectKey.publishReview), .loadBranches(agentId: agent)], "Enter never confirms")
        XCTAssertNil(s.publish)
        // Asked again through m: y makes it live.
        F.press([.tab, .tab, .tab, .char("]")], &s)
        XCTAssertEqual(s.currentBranch?.id, B.featureId)
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.featureId, skip: 0, list: B.revisions(branch: 1, count: 1)))
        F.pressReviewed([.char("m")], &s)
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.lines.first, "Make branch \"feature\" of \"Support Bot\" live?")
        XCTAssertTrue(c.lines.contains("Live now: branch \"main\" at r3 → will serve: branch \"feature\" at r1."), "\(c.lines)")
        XCTAssertEqual(F.press([.char("y")], &s), [.makeBranchLive(agentId: agent, branchId: B.featureId)])
    }

    /// The scan passed off the live branch: "Make branch live?" shows what going live would undo on the live
    /// branch — the same warning `m` shows — and a `y` typed before the review is here waits for it.
    func testMakeLiveQuestionAfterAPublishWarnsWhatGoingLiveWouldUndo() {
        func committed() -> AppState {
            var s = B.loadedState()
            F.press([.tab, .tab, .down], &s)
            F.pressReviewed([.char("p")] + F.typing("try") + [.enter], &s)
            let watchId = s.publish?.watchId ?? -1
            let row = B.scanning(branch: 1, n: 2)
            _ = update(&s, .branchPublished(watchId: watchId, agentId: agent, branchId: B.featureId, state: "scanning", revision: row, restored: false))
            _ = update(&s, .checkProgress(watchId: watchId, passed(row)))
            return s
        }
        // A review that reverts: an early y is dropped, the warning is drawn, the next y makes it live.
        var s = committed()
        XCTAssertTrue(render(s, s.size).text.contains("Checking what making it live would undo"), render(s, s.size).text)
        XCTAssertEqual(F.press([.char("y")], &s), [], "y before the review is held")
        XCTAssertTrue(render(s, s.size).text.contains("y pressed: checking what making it live would undo first"), render(s, s.size).text)
        XCTAssertEqual(update(&s, .reviewLoaded(agentId: agent, subject: .makeLive(branchId: B.featureId), ThreeWayReviewTests.v2Review())), [],
                       "the review warns: the early y does not count")
        XCTAssertEqual(s.publish?.phase, .confirmActivate)
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Making it live would undo"), text)
        XCTAssertTrue(text.contains("singlePromptConfig.tools[0].name"), "the reverted field is named: \(text)")
        XCTAssertTrue(text.contains("introduced by main r2"), text)
        XCTAssertEqual(F.press([.char("y")], &s), [.makeBranchLive(agentId: agent, branchId: B.featureId)])
        // A clean review: the early y goes ahead when it arrives.
        var clean = committed()
        XCTAssertEqual(F.press([.char("y")], &clean), [])
        XCTAssertEqual(update(&clean, .reviewLoaded(agentId: agent, subject: .makeLive(branchId: B.featureId), ThreeWayReviewTests.v2Review(reverting: false))),
                       [.makeBranchLive(agentId: agent, branchId: B.featureId)])
        // A review that cannot load says so; y then goes ahead knowingly.
        var failed = committed()
        _ = update(&failed, .failed(.loadReview(agentId: agent, subject: .makeLive(branchId: B.featureId)),
                                    EffectFailure(kind: .server, status: 503, reason: "service unavailable")))
        XCTAssertTrue(render(failed, failed.size).text.contains("Could not check what making it live would undo"), render(failed, failed.size).text)
        XCTAssertEqual(F.press([.char("y")], &failed), [.makeBranchLive(agentId: agent, branchId: B.featureId)])
    }

    /// A revision whose scan failed is not a version: its config is read through its branch (the by-id
    /// version read answered 404 "Version not found" and Enter retried the same 404).
    func testAFailedRevisionsConfigIsReadThroughItsBranch() {
        var s = B.loadedState()
        var failed = B.scanning(branch: 0, n: 4, label: "bad scan")
        failed.securityCheck = SecurityCheck(status: .failed, reason: "prompt injection pattern")
        var list = B.revisions()
        list.revisions.insert(failed, at: 0)
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.mainId, skip: 0, list: list))
        F.press([.tab], &s)
        XCTAssertEqual(s.selectedVersion?.id, failed.id)
        XCTAssertEqual(F.press([.enter], &s), [.loadConfig(agentId: agent, source: .revision(branchId: B.mainId, revisionId: failed.id))])
        _ = update(&s, .configLoaded(agentId: agent, source: .revision(branchId: B.mainId, revisionId: failed.id), config: F.config))
        let detail = s.detailContent().lines.map(\.text)
        XCTAssertTrue(s.detailContent().lines.contains(DetailLine("  prompt: |")), "\(detail)")
        XCTAssertFalse(detail.contains { $0.contains("published by") || $0.hasPrefix("Health") }, "never published, never served: \(detail)")
        // A committed revision is still read by id.
        F.press([.char("2")], &s)
        XCTAssertEqual(s.focus, .versions)
        XCTAssertEqual(F.press([.down, .enter], &s), [.loadConfig(agentId: agent, source: .version(B.revisionId(0, 3)))])
    }

    /// The branch's newest row is a submission whose scan failed: the draft's detail says so before `p`
    /// runs into the server's 409.
    func testABranchDraftWhoseLastPublishFailedSaysSo() {
        var s = B.loadedState()
        F.press([.char("2"), .char("]")], &s)
        XCTAssertEqual(s.currentBranch?.id, B.featureId)
        var failed = B.scanning(branch: 1, n: 2, label: "bad")
        failed.securityCheck = SecurityCheck(status: .failed, reason: "prompt matches deny pattern")
        var list = B.revisions(branch: 1, count: 1)
        list.revisions.insert(failed, at: 0)
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.featureId, skip: 0, list: list))
        F.press([.char("3")], &s)
        for _ in 0..<3 where s.selectedBranchDraft?.id != B.featureId { F.press([.down], &s) }
        XCTAssertEqual(s.selectedBranchDraft?.id, B.featureId)
        let text = s.detailContent().lines.map(\.text)
        XCTAssertTrue(text.contains { $0.contains("its last publish failed the security check: prompt matches deny pattern — edit it (e)") }, "\(text)")
        // Committed again: the note is gone.
        var committed = failed
        committed.status = .published
        committed.securityCheck = SecurityCheck(status: .passed)
        list.revisions[0] = committed
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.featureId, skip: 0, list: list))
        XCTAssertFalse(s.detailContent().lines.contains { $0.text.contains("failed the security check") })
    }

    /// v2 diff titles name revisions by their r-number, and the live revision with its branch when History
    /// shows another branch (QA: "Diff: v10 vs the active version r2" — v-number, and r2 of which branch?).
    func testV2DiffTitlesNameRevisionsAndTheLiveBranch() {
        var s = B.loadedState()
        F.press([.tab, .down, .down], &s)
        XCTAssertEqual(s.selectedVersion?.revisionLabel, "r1")
        _ = F.press([.char("d")], &s)
        XCTAssertEqual(s.diff?.title, "r1 vs the live revision r3")
        F.press([.escape, .char("2"), .char("]")], &s)
        XCTAssertEqual(s.currentBranch?.id, B.featureId)
        _ = update(&s, .revisionsLoaded(agentId: agent, branchId: B.featureId, skip: 0, list: B.revisions(branch: 1, count: 1)))
        _ = F.press([.char("d")], &s)
        XCTAssertEqual(s.diff?.title, "r1 vs the live revision r3 of branch \"main\"")
    }

    /// The diff of a branch draft closes once the draft is committed (QA: the detail kept "Diff: the draft
    /// of branch … vs its head" after the draft was published and gone).
    func testADraftsDiffClosesWhenTheDraftIsCommitted() {
        var s = B.loadedState()
        F.press([.tab, .tab, .down], &s)
        XCTAssertEqual(s.selectedBranchDraft?.id, B.featureId)
        _ = F.press([.char("d")], &s)
        XCTAssertNotNil(s.diff)
        F.pressReviewed([.char("p")] + F.typing("try") + [.enter], &s)
        let watchId = s.publish?.watchId ?? -1
        let row = B.scanning(branch: 1, n: 2)
        _ = update(&s, .branchPublished(watchId: watchId, agentId: agent, branchId: B.featureId, state: "scanning", revision: row, restored: false))
        XCTAssertNotNil(s.diff, "still a draft while the scan runs")
        _ = update(&s, .checkProgress(watchId: watchId, passed(row)))
        XCTAssertNil(s.diff, "committed: the draft's diff is gone")
    }

    /// Wording of the v2 review: a sentence starts with a capital, the empty-label refusal does not talk
    /// about fields v2 does not have.
    func testV2ReviewWording() {
        var s = B.loadedState()
        F.press([.tab, .tab, .down, .char("p")], &s)
        _ = update(&s, .reviewLoaded(agentId: agent, subject: .branchDraft(branchId: B.featureId), ThreeWayReviewTests.v2Review(reverting: false)))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Branch \"feature\" is not live"), text)
        F.press([.enter], &s)
        XCTAssertEqual(s.publish?.error, "a label is required", "one field on v2: nothing to Tab to")
    }

    func testCancelDuringTheScan() {
        var s = B.loadedState()
        F.pressReviewed([.tab, .tab, .down, .char("p")] + F.typing("x") + [.enter], &s)
        let watchId = s.publish?.watchId ?? -1
        _ = update(&s, .branchPublished(watchId: watchId, agentId: agent, branchId: B.featureId, state: "scanning",
                                        revision: B.scanning(branch: 1, n: 2), restored: false))
        XCTAssertEqual(F.press([.char("c")], &s), [.cancelBranchPublish(agentId: agent, branchId: B.featureId)])
        // The watch may see the dropped revision as failed before the cancel answers: that is not a failed check.
        var early = s
        _ = update(&early, .checkProgress(watchId: watchId, CheckUpdate(phase: .failed, elapsed: 1, expected: 6, status: .failed, reason: "the publish was cancelled")))
        XCTAssertNil(early.publish, "a cancelled scan is never shown as a failed security check")
        XCTAssertNotEqual(early.status?.isError, true)
        let fx = update(&s, .branchPublishCancelled(agentId: agent, branchId: B.featureId))
        XCTAssertEqual(fx.first, .cancel(key: EffectKey.branchPublish(B.featureId)), "the scan's watch stops")
        _ = update(&s, .checkProgress(watchId: watchId, CheckUpdate(phase: .failed, elapsed: 1, expected: 6, status: .failed, reason: "the publish was cancelled")))
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.status?.text, "Cancelled the scan of branch \"feature\" — nothing was committed; the draft stays open")
        XCTAssertFalse(render(s, s.size).text.contains("Security check failed"))
        // From the main screen too, while a scan runs in the background.
        var t = B.loadedState()
        F.pressReviewed([.tab, .tab, .char("p")] + F.typing("x") + [.enter, .char("y")], &t)
        _ = update(&t, .branchPublished(watchId: t.publish!.watchId!, agentId: agent, branchId: B.mainId, state: "scanning", revision: B.scanning(), restored: false))
        F.press([.escape], &t)
        XCTAssertNil(t.publish)
        XCTAssertEqual(F.press([.char("c")], &t), [.cancelBranchPublish(agentId: agent, branchId: B.mainId)])
    }

    func testRestoreAnOlderRevisionOnTheLiveBranchSaysWhatWillServe() {
        var s = B.loadedState()
        F.press([.tab, .down, .down], &s)
        XCTAssertEqual(s.selectedVersion?.revisionLabel, "r1")
        XCTAssertEqual(F.press([.char("a")], &s), [])
        guard case .confirm(let c)? = s.overlay, case .restoreRevision(let watchId, _, _, _, _) = c.effect else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.lines[0], "Restore r1 of branch \"main\" of \"Support Bot\" as its new head r4?")
        XCTAssertEqual(c.lines[2], "branch \"main\" is LIVE: live traffic moves from r3 to r4 (= r1) at once.")
        XCTAssertEqual(F.press([.enter], &s), [], "Enter cancels")
        F.press([.char("a")], &s)
        guard case .confirm(let c2)? = s.overlay, case .restoreRevision(let id2, _, _, _, _) = c2.effect else { return XCTFail("no confirmation") }
        XCTAssertGreaterThan(id2, watchId)
        XCTAssertEqual(F.press([.char("y")], &s),
                       [.restoreRevision(watchId: id2, agentId: agent, branchId: B.mainId, revisionId: B.revisionId(0, 1), timeout: AppState.checkTimeout)])
        var row = B.revisions().revisions[2]
        row.id = B.revisionId(0, 4)
        row.revisionNumber = 4
        row.restoredFromLabel = "Version 1"
        _ = update(&s, .branchPublished(watchId: id2, agentId: agent, branchId: B.mainId, state: "committed", revision: row, restored: true))
        XCTAssertEqual(s.versionRows.first?.id, row.id, "the new head is listed on top")
        XCTAssertEqual(s.selectedVersion?.revisionLabel, "r1", "the cursor stays on the revision it was on, not on the row number")
        XCTAssertEqual(s.position(.versions).scroll, 0, "the view stays: the new head on top is in view")
        let fx = update(&s, .checkProgress(watchId: id2, CheckUpdate(phase: .passed, elapsed: 0, expected: 6, status: .passed, version: row)))
        XCTAssertEqual(fx, [.makeBranchLive(agentId: agent, branchId: B.mainId), .loadBranches(agentId: agent)], "the live branch is read back")
        // The head itself cannot be restored.
        var t = B.loadedState()
        F.press([.tab], &t)
        XCTAssertEqual(Keymap.binding(for: .char("a"), generation: .v2)?.whyDisabled(t), "r3 is already the head of branch \"main\"")
    }

    func testBranchCreateRenameArchive() {
        var s = B.loadedState()
        F.press([.tab, .char("b")] + F.typing("exp"), &s)
        XCTAssertEqual(F.press([.enter], &s), [.createBranch(agentId: agent, name: "exp", fromBranchId: B.mainId)])
        var created = Branch(id: ObjectID.make(seconds: 1_740_000_000, counter: 9), agent: agent, name: "exp")
        created.headRevisionId = B.revisionId(0, 3)
        XCTAssertEqual(update(&s, .branchCreated(agentId: agent, branch: created)), [.loadBranches(agentId: agent)])
        XCTAssertEqual(s.selectedBranchIds[agent], created.id)
        // main cannot be renamed or archived; the live branch cannot be archived.
        var t = B.loadedState()
        F.press([.tab], &t)
        XCTAssertEqual(Keymap.binding(for: .char("r"), generation: .v2)?.whyDisabled(t), "branch \"main\" is the default branch: it cannot be renamed")
        F.press([.tab, .down], &t)
        XCTAssertEqual(F.press([.char("r"), .ctrl("u")] + F.typing("feat-2") + [.enter], &t),
                       [.renameBranch(agentId: agent, branchId: B.featureId, name: "feat-2")])
        _ = update(&t, .branchRenamed(agentId: agent, branchId: B.featureId, name: "feat-2"))
        F.press([.char("X")], &t)
        guard case .confirm(let c)? = t.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.lines.first, "Archive branch \"feat-2\" of \"Support Bot\"?")
        XCTAssertEqual(F.press([.char("y")], &t), [.archiveBranch(agentId: agent, branchId: B.featureId)])
        XCTAssertEqual(update(&t, .branchArchived(agentId: agent, branchId: B.featureId)), [.loadBranches(agentId: agent)])
        XCTAssertEqual(t.branchList.map(\.branch.name), ["main"])
    }

    func testEditABranchDraftUsesTheSharedFlowAndTheConflictDialog() {
        var s = B.loadedState()
        F.press([.tab], &s)  // History: e edits the draft of the branch shown
        let target = EditTarget(agentId: agent, draftId: "branch-" + B.mainId, agentName: "Support Bot", draftName: "main", branchId: B.mainId)
        XCTAssertEqual(F.press([.char("e")], &s), [.beginEdit(target, resume: nil)])
        let begun = Carried("begun"), ready = Carried("ready"), conflicted = Carried("conflicted")
        XCTAssertEqual(update(&s, .edit(agentId: agent, draftId: target.draftId, .begun(session: begun))),
                       [.editDraft(agentId: agent, draftId: target.draftId, rebase: false, session: begun)])
        XCTAssertEqual(update(&s, .edit(agentId: agent, draftId: target.draftId, .ready(fields: ["firstMessage"], session: ready))),
                       [.saveEdit(agentId: agent, draftId: target.draftId, overwrite: false, session: ready)])
        let conflict = EditConflict(fields: [.init(name: "firstMessage", theirs: "Hi", mine: "Hello")], latestRevision: 5)
        _ = update(&s, .edit(agentId: agent, draftId: target.draftId, .conflict(conflict, session: conflicted)))
        XCTAssertEqual(s.overlay, .editConflict(target, conflict))
        XCTAssertTrue(render(s, s.size).text.contains("Someone else changed the draft of branch \"main\""))
        XCTAssertEqual(F.press([.char("o")], &s), [.saveEdit(agentId: agent, draftId: target.draftId, overwrite: true, session: conflicted)])
        XCTAssertEqual(update(&s, .edit(agentId: agent, draftId: target.draftId, .saved(revision: 6, notPersisted: [], recoveryPath: nil))),
                       [.loadBranches(agentId: agent)])
        XCTAssertEqual(s.status?.text, "the draft of branch \"main\" saved · rev 6 · verified")
    }

    func testV1OnlyKeysDoNothingOnV2AndHelpListsTheV2Keys() {
        var s = B.loadedState()
        F.press([.tab], &s)
        XCTAssertEqual(F.press([.char("n"), .char("*"), .char("L"), .char("P")], &s), [])
        XCTAssertNil(s.overlay)
        let help = s.helpLines().map(\.keys)
        XCTAssertTrue(help.contains("]") && help.contains("c") && help.contains("m") && help.contains("b"))
        XCTAssertFalse(help.contains("P") || help.contains("*") || help.contains("n"))
    }

    func testTheV2AreaHoldsBranchesAndRevisionsOnlyAndTheDiffEffectSaysV2() {
        var s = B.loadedState()
        guard case .v2(let area) = s.area else { return XCTFail("a v2 state has a v2 area") }
        XCTAssertFalse(area.branches.isEmpty)
        XCTAssertTrue(s.drafts.isEmpty, "v2 has no v1 drafts")
        s.drafts[agent] = DraftSet(items: [], loaded: true, loading: false)
        XCTAssertTrue(s.drafts.isEmpty, "a v1 write on v2 has nowhere to go")
        // `d` on an older revision: the effect itself says which API's diff to call.
        F.press([.tab, .down], &s)
        let fx = F.press([.char("d")], &s)
        XCTAssertTrue(fx.contains { if case .loadDiff(_, _, _, .v2) = $0 { return true }; return false }, "\(fx)")
        // Switching generation starts the other area empty.
        _ = update(&s, .apiDetected(generation: .v1, reason: nil))
        guard case .v1(let v1) = s.area else { return XCTFail("switched to v1") }
        XCTAssertTrue(v1.versions.values.allSatisfy { $0.items.isEmpty } && v1.drafts.values.allSatisfy { $0.items.isEmpty },
                      "nothing of the v2 area carried over")
        XCTAssertTrue(s.branches.isEmpty)
        var t = F.loadedState()
        F.press([.tab], &t)
        let v1fx = F.press([.char("d")], &t)
        XCTAssertTrue(v1fx.contains { if case .loadDiff(_, _, _, .v1) = $0 { return true }; return false }, "\(v1fx)")
    }

    func testBranchDraftsOpenedOnAnOlderHeadAreMarkedBehind() {
        var s = B.loadedState()
        F.press([.tab, .tab], &s)
        XCTAssertEqual(s.selectedBranchDraft?.id, B.mainId)
        XCTAssertFalse(render(s, s.size).text.contains("↓"), "no mark before the base is known")
        // main's draft was opened on r1; main's head is r3.
        _ = update(&s, .draftBaseLoaded(agentId: agent, branchId: B.mainId,
                                        DraftBaseStatus(baseVersionNumber: 1, liveVersionNumber: 3, behindBy: 2, prefix: "r")))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("r3 ↓2"), text)
        XCTAssertTrue(text.contains("opened on r1 · head r3"), text)
        XCTAssertTrue(text.contains("its base is behind r3 by 2"), text)
        // A reload with the same head keeps the mark; a moved head drops it until it is read again.
        let fx = update(&s, .branchesLoaded(agentId: agent, branches: B.branches()))
        XCTAssertTrue(render(s, s.size).text.contains("r3 ↓2"))
        XCTAssertTrue(fx.contains(.loadDraftBase(agentId: agent, branch: B.branches()[0])), "\(fx)")
        var moved = B.branches()
        moved[0].headRevisionNumber = 4
        _ = update(&s, .branchesLoaded(agentId: agent, branches: moved))
        XCTAssertFalse(render(s, s.size).text.contains("↓2"))
    }
}
