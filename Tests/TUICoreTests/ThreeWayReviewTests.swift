import XCTest
import AtomsModels
@testable import TUICore

/// The three-way review in the TUI: the "would undo" section of the publish review, the extra
/// confirmation before publishing reversions, the rebase messages, the `3` view and the behind marks.
final class ThreeWayReviewTests: XCTestCase {
    typealias F = Fixtures
    typealias B = BranchFixtures
    static let sizes = [Size(width: 120, height: 32), Size(width: 80, height: 24)]
    let a0 = F.agentId(0)
    var d1: String { F.draftId(0, 1) }

    static func change(_ path: String, _ kind: ThreeWayKind, base: JSONValue?, draft: JSONValue?, live: JSONValue?,
                       by: [HistoryRef] = []) -> ThreeWayChange {
        ThreeWayChange(steps: ThreeWayComparison.parse(path), kind: kind, base: base, draft: draft, live: live, introducedBy: by)
    }

    /// v1: "fix greeting" forked from v2 while v4 is active; v3 and v4 changed two fields it would revert,
    /// and one field was changed on both sides differently. The label of v3 carries an escape sequence.
    static func v1Review(reverting: Bool = true) -> ThreeWayReview {
        let v3 = HistoryRef(id: F.versionId(0, 3), name: "v3", label: "release 3\u{1B}[31m")
        let v4 = HistoryRef(id: F.versionId(0, 4), name: "v4", label: "release 4")
        var changes = [
            change("firstMessage", .yours, base: "Hello! How can I help?", draft: "Hi there! What can I do for you?", live: "Hello! How can I help?"),
            change("language.default", .both, base: "en", draft: "hi", live: "hi"),
        ]
        if reverting {
            changes += [
                change("allowInterruptions", .theirs, base: true, draft: true, live: false, by: [v3]),
                change("language.supported[1]", .theirs, base: nil, draft: nil, live: "hi", by: [v4]),
                change("slmModel", .conflict, base: "electron", draft: "proton", live: "neutron", by: [v3, v4]),
            ]
        }
        return ThreeWayReview(subject: "draft", agentId: F.agentId(0),
                              base: ReviewPoint(id: F.versionId(0, 2), name: "v2", document: [:]),
                              draft: ReviewPoint(id: F.draftId(0, 1), name: "draft 'fix greeting' r3", document: [:]),
                              live: ReviewPoint(id: F.versionId(0, 4), name: "v4 (active)", document: [:]),
                              history: [v3, v4], comparison: ThreeWayComparison(changes: changes))
    }

    /// v2: main's draft opened on r1 while the head is r3.
    static func v2Review(reverting: Bool = true) -> ThreeWayReview {
        let r2 = HistoryRef(id: B.revisionId(0, 2), name: "main r2", label: "release 2")
        if !reverting {
            return ThreeWayReview(subject: "branchDraft", agentId: F.agentId(0),
                                  base: ReviewPoint(id: B.revisionId(0, 3), name: "main r3", document: [:]),
                                  draft: ReviewPoint(id: B.mainDraftId, name: "draft of main", document: [:]),
                                  live: ReviewPoint(id: B.revisionId(0, 3), name: "main r3 (live)", document: [:]),
                                  history: [], comparison: ThreeWayComparison(changes: [
                                    change("firstMessage", .yours, base: "Hello", draft: "Hi", live: "Hello")]))
        }
        return ThreeWayReview(subject: "branchDraft", agentId: F.agentId(0),
                              base: ReviewPoint(id: B.revisionId(0, 1), name: "main r1", document: [:]),
                              draft: ReviewPoint(id: B.mainDraftId, name: "draft of main", document: [:]),
                              live: ReviewPoint(id: B.revisionId(0, 3), name: "main r3 (live)", document: [:]),
                              history: [r2, HistoryRef(id: B.revisionId(0, 3), name: "main r3")],
                              comparison: ThreeWayComparison(changes: [
                                change("firstMessage", .yours, base: "Hello", draft: "Hi", live: "Hello"),
                                change("singlePromptConfig.tools[0].name", .theirs, base: "lookup", draft: "lookup", live: "find_order", by: [r2]),
                              ]))
    }

    /// v1: the review of "fix greeting" open with its diff and (reverting) review loaded.
    func v1Reviewing(size: Size = Size(width: 120, height: 32), reverting: Bool = true) -> AppState {
        var s = F.loadedState(size: size)
        F.press([.tab, .tab], &s)
        let fx = F.press([.char("p")], &s)
        XCTAssertEqual(fx, [.loadPublishDiff(agentId: a0, from: .version(F.versionId(0, 4)), to: .draft(d1)),
                            .loadReview(agentId: a0, subject: .draft(draftId: d1))])
        XCTAssertEqual(Effect.loadReview(agentId: a0, subject: .draft(draftId: d1)).key, EffectKey.publishReview)
        _ = update(&s, .diffLoaded(agentId: a0, from: .version(F.versionId(0, 4)), to: .draft(d1), diff: F.diff))
        XCTAssertEqual(update(&s, .reviewLoaded(agentId: a0, subject: .draft(draftId: d1), Self.v1Review(reverting: reverting))), [])
        return s
    }

    func v2Reviewing(size: Size = Size(width: 120, height: 32)) -> AppState {
        var s = B.loadedState(size: size)
        F.press([.tab, .tab], &s)
        let fx = F.press([.char("p")], &s)
        XCTAssertEqual(fx, [.loadPublishDiff(agentId: a0, from: .version(B.revisionId(0, 3)), to: .branchDraft(branchId: B.mainId, draftId: B.mainDraftId), generation: .v2),
                            .loadReview(agentId: a0, subject: .branchDraft(branchId: B.mainId))])
        _ = update(&s, .diffLoaded(agentId: a0, from: .version(B.revisionId(0, 3)), to: .branchDraft(branchId: B.mainId, draftId: B.mainDraftId), diff: F.diff))
        _ = update(&s, .reviewLoaded(agentId: a0, subject: .branchDraft(branchId: B.mainId), Self.v2Review()))
        return s
    }

    func testReviewShowsYoursFirstThenWhatWouldBeUndoneWithTheVersionsThatIntroducedIt() {
        let s = v1Reviewing()
        guard let flow = s.publish else { return XCTFail("no review") }
        let lines = s.reviewLines(flow).map(\.text)
        let yours = lines.firstIndex { $0.hasPrefix("Your changes") } ?? -1
        let undo = lines.firstIndex { $0.contains("Publishing this would undo") } ?? -1
        XCTAssertTrue(yours >= 0 && undo > yours, "\(lines)")
        XCTAssertTrue(lines.contains("  firstMessage: \"Hello! How can I help?\" → \"Hi there! What can I do for you?\""), "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("allowInterruptions: live false → true — introduced by v3 'release 3") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("language.supported[1]: live \"hi\" → (absent) — introduced by v4 'release 4'") }, "\(lines)")
        let joined = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(joined.contains("slmModel: conflict — live \"neutron\", yours \"proton\", base \"electron\" — introduced by v3 'release 3␛[31m', v4 'release 4'"), joined)
        XCTAssertFalse(lines.joined().contains("\u{1B}"), "server text is sanitized")
        XCTAssertTrue(lines.contains("Full diff against what is live:"), "the plain diff follows")
        let screen = render(s, s.size).text
        XCTAssertTrue(screen.contains("Publishing this would undo"), screen)
    }

    func testEnterWithReversionsAsksFirstEscGoesBackBangPublishes() {
        var s = v1Reviewing()
        XCTAssertEqual(F.press([.enter], &s), [], "nothing is sent")
        XCTAssertEqual(s.publish?.phase, .confirmRevert)
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("R rebase (recommended)"), text)
        XCTAssertTrue(text.contains("allowInterruptions"), text)
        XCTAssertEqual(F.press([.char("x")], &s), [], "other keys do nothing")
        XCTAssertEqual(s.publish?.phase, .confirmRevert)
        XCTAssertEqual(F.press([.escape], &s), [])
        XCTAssertEqual(s.publish?.phase, .review)
        XCTAssertEqual(F.press([.enter], &s), [])
        XCTAssertEqual(s.publish?.phase, .confirmRevert)
        XCTAssertEqual(F.press([.char("!")], &s), [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)])
        XCTAssertEqual(s.publish?.phase, .publishing)
    }

    func testYAlsoPublishesAnyway() {
        var s = v1Reviewing()
        F.press([.enter], &s)
        XCTAssertEqual(F.press([.char("y")], &s), [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)])
    }

    func testWithoutReversionsEnterPublishesAtOnceAndTheReviewIsTheDiff() {
        var s = v1Reviewing(reverting: false)
        guard let flow = s.publish else { return XCTFail("no review") }
        XCTAssertEqual(s.reviewLines(flow), flow.diff?.value, "no reversions: the review is the plain diff, as before")
        XCTAssertEqual(F.press([.enter], &s), [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)])
    }

    func testAReviewThatFailedToLoadIsSaidAndDoesNotBlock() {
        var s = F.loadedState()
        F.press([.tab, .tab, .char("p")], &s)
        let effect = Effect.loadReview(agentId: a0, subject: .draft(draftId: d1))
        _ = update(&s, .failed(effect, EffectFailure(kind: .refused, reason: "draft names no source version")))
        guard let flow = s.publish else { return XCTFail("no review") }
        XCTAssertTrue(s.reviewLines(flow).contains { $0.text.contains("Could not check what publishing would undo") })
    }

    func testRRebasesAndTheFinishedRebaseSelectsTheNewDraft() {
        var s = v1Reviewing()
        F.press([.enter], &s)
        let fx = F.press([.char("R")], &s)
        XCTAssertEqual(fx, [.cancel(key: EffectKey.publishDiff), .cancel(key: EffectKey.publishReview),
                            .rebaseDraft(agentId: a0, agentName: "Support Bot", subject: .draft(draftId: d1))])
        XCTAssertTrue(Effect.rebaseDraft(agentId: a0, agentName: "x", subject: .draft(draftId: d1)).isWrite)
        XCTAssertNil(s.publish)
        XCTAssertNotNil(s.writeInFlight)
        // Conflicts: the editor (inline effect), then the last phase; each carries the plan the step before brought.
        let planned = Carried("plan"), edited = Carried("plan and the editor's result")
        XCTAssertEqual(update(&s, .rebase(agentId: a0, subject: .draft(draftId: d1), .needsEditor(conflicts: 1, newDraftName: "fix greeting (rebased on v4)",
                                                                                             rebase: planned))),
                       [.rebaseConflicts(agentId: a0, subject: .draft(draftId: d1), rebase: planned)])
        XCTAssertEqual(update(&s, .rebase(agentId: a0, subject: .draft(draftId: d1), .edited(rebase: edited))),
                       [.finishRebase(agentId: a0, subject: .draft(draftId: d1), rebase: edited)])
        var fresh = AgentVersion(id: "newrow", agent: a0, status: .draft)
        fresh.draftId = "newdraft"
        fresh.draftName = "fix greeting (rebased on v4)"
        fresh.sourceVersionId = F.versionId(0, 4)
        let list = F.drafts() + [fresh]
        let result = RebaseResult(oldDraftId: d1, oldDraftName: "fix greeting", newDraftId: "newdraft", newDraftName: fresh.draftName,
                                  onto: "v4 (active)", verified: true, carried: ["firstMessage"], keptLive: ["allowInterruptions"], drafts: list)
        XCTAssertEqual(update(&s, .rebase(agentId: a0, subject: .draft(draftId: d1), .finished(result))), [])
        XCTAssertNil(s.writeInFlight)
        XCTAssertEqual(s.selectedDraft?.draftId, "newdraft", "the new draft is selected")
        XCTAssertEqual(s.draftRows.count, 3, "the old draft is kept")
        let status = s.status?.text ?? ""
        XCTAssertTrue(status.contains("Rebased 'fix greeting' onto v4 (active) as 'fix greeting (rebased on v4)'"), status)
        XCTAssertTrue(status.contains("the old draft 'fix greeting' is kept"), status)
        XCTAssertTrue(status.contains("no longer reverted: allowInterruptions"), status)
        XCTAssertTrue(status.contains("(verified)"), status)
        XCTAssertEqual(s.status?.isError, false)
    }

    func testACancelledOrUnverifiedRebaseIsAnError() {
        var s = F.loadedState()
        let r = RebaseResult(oldDraftId: d1, oldDraftName: "fix greeting", onto: "v4 (active)", verified: false,
                             cancelled: "rebase cancelled in the editor (saved empty); the new draft was discarded and 'fix greeting' is unchanged")
        XCTAssertEqual(update(&s, .rebase(agentId: a0, subject: .draft(draftId: d1), .finished(r))), [.loadDrafts(agentId: a0)])
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertTrue(s.status?.text.contains("not completed: rebase cancelled in the editor") == true, s.status?.text ?? "")
        let f = update(&s, .failed(.rebaseDraft(agentId: a0, agentName: "x", subject: .draft(draftId: d1)), EffectFailure(kind: .network, reason: "no answer")))
        XCTAssertEqual(f, [])
        XCTAssertTrue(s.status?.text.hasSuffix("— the rebase failed") == true, s.status?.text ?? "")
    }

    func testRebaseIsRefusedReadOnly() {
        var s = v1Reviewing()
        F.press([.enter], &s)
        XCTAssertEqual(s.publish?.phase, .confirmRevert)
        s.readOnly = true
        XCTAssertEqual(F.press([.char("R")], &s), [])
        XCTAssertTrue(s.publish?.error?.contains("read-only") == true, s.publish?.error ?? "")
        XCTAssertEqual(s.publish?.phase, .review)
    }

    func testV2ReversionsAskBeforeTheProductionQuestion() {
        var s = v2Reviewing()
        guard let flow = s.publish else { return XCTFail("no review") }
        let joined = s.reviewLines(flow).map { $0.text.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(joined.contains("singlePromptConfig.tools[0].name: live \"find_order\" → \"lookup\" — introduced by main r2 'release 2'"), joined)
        F.press(F.typing("greet"), &s)
        XCTAssertEqual(F.press([.enter], &s), [])
        XCTAssertEqual(s.publish?.phase, .confirmRevert)
        XCTAssertEqual(F.press([.char("!")], &s), [])
        XCTAssertEqual(s.publish?.phase, .confirmPublish, "the live branch still asks y")
        let sent = F.press([.char("y")], &s)
        XCTAssertEqual(sent, [.publishBranch(watchId: s.publish?.watchId ?? -1, agentId: a0, branchId: B.mainId, label: "greet", timeout: AppState.checkTimeout)])
    }

    func testV2RebaseOfTheBranchDraftReloadsTheBranches() {
        var s = v2Reviewing()
        F.press(F.typing("greet") + [.enter], &s)
        XCTAssertEqual(s.publish?.phase, .confirmRevert)
        XCTAssertEqual(F.press([.char("R")], &s).last, .rebaseDraft(agentId: a0, agentName: "Support Bot", subject: .branchDraft(branchId: B.mainId)))
        let r = RebaseResult(branchId: B.mainId, onto: "main r3 (live)", verified: true, carried: ["firstMessage"])
        XCTAssertEqual(update(&s, .rebase(agentId: a0, subject: .branchDraft(branchId: B.mainId), .finished(r))), [.loadBranches(agentId: a0)])
        XCTAssertTrue(s.status?.text.hasPrefix("Rewrote the branch draft on main r3 (live)") == true, s.status?.text ?? "")
    }

    /// The review with its diff loaded but the three-way review still on the way.
    func v1ReviewingBeforeTheThreeWay() -> AppState {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        F.press([.char("p")], &s)
        _ = update(&s, .diffLoaded(agentId: a0, from: .version(F.versionId(0, 4)), to: .draft(d1), diff: F.diff))
        return s
    }

    func testEnterBeforeTheThreeWayReviewWaitsAndThenAsksAboutReversions() {
        var s = v1ReviewingBeforeTheThreeWay()
        XCTAssertEqual(F.press(F.typing("greet") + [.enter], &s), [], "nothing is published before the review says what it undoes")
        XCTAssertEqual(s.publish?.phase, .review)
        XCTAssertTrue(render(s, s.size).text.contains("Enter pressed: waiting for the three-way review"), render(s, s.size).text)
        XCTAssertEqual(update(&s, .reviewLoaded(agentId: a0, subject: .draft(draftId: d1), Self.v1Review(reverting: true))), [])
        XCTAssertEqual(s.publish?.phase, .confirmRevert, "the held Enter leads to the reversion question, not to a publish")
        XCTAssertTrue(render(s, s.size).text.contains("undo"), render(s, s.size).text)
    }

    func testEnterBeforeACleanThreeWayReviewPublishesWhenItArrives() {
        var s = v1ReviewingBeforeTheThreeWay()
        XCTAssertEqual(F.press([.enter], &s), [])
        XCTAssertEqual(update(&s, .reviewLoaded(agentId: a0, subject: .draft(draftId: d1), Self.v1Review(reverting: false))),
                       [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)])
        XCTAssertEqual(s.publish?.phase, .publishing)
    }

    func testEnterBeforeAThreeWayReviewThatFailsPublishesNothingAndSaysWhy() {
        var s = v1ReviewingBeforeTheThreeWay()
        XCTAssertEqual(F.press([.enter], &s), [])
        let failure = EffectFailure(kind: .server, status: 503, reason: "service unavailable")
        XCTAssertEqual(update(&s, .failed(.loadReview(agentId: a0, subject: .draft(draftId: d1)), failure)), [])
        XCTAssertEqual(s.publish?.phase, .review)
        XCTAssertTrue(s.publish?.error?.contains("could not load") == true, s.publish?.error ?? "")
        XCTAssertEqual(F.press([.enter], &s), [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)],
                       "a second Enter, after the failure is on screen, publishes without the review")
    }

    func testYBeforeTheMakeLiveReviewIsHeldAndDroppedWhenTheReviewWarns() {
        var s = B.loadedState()
        F.press([.tab, .char("]")], &s)
        _ = update(&s, .revisionsLoaded(agentId: a0, branchId: B.featureId, skip: 0, list: B.revisions(branch: 1, count: 1)))
        F.press([.char("m")], &s)
        XCTAssertEqual(F.press([.char("y")], &s), [], "y before the review is held")
        XCTAssertTrue(render(s, s.size).text.contains("y pressed: checking what this would undo first"), render(s, s.size).text)
        XCTAssertEqual(update(&s, .reviewLoaded(agentId: a0, subject: .makeLive(branchId: B.featureId), Self.v2Review())), [],
                       "the review warns: the early y does not count")
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertTrue(c.lines.contains { $0.contains("Making it live would undo") }, "\(c.lines)")
        XCTAssertEqual(F.press([.char("y")], &s), [.makeBranchLive(agentId: a0, branchId: B.featureId)])
    }

    func testYBeforeACleanMakeLiveReviewGoesAheadWhenItArrives() {
        var s = B.loadedState()
        F.press([.tab, .char("]")], &s)
        _ = update(&s, .revisionsLoaded(agentId: a0, branchId: B.featureId, skip: 0, list: B.revisions(branch: 1, count: 1)))
        F.press([.char("m")], &s)
        XCTAssertEqual(F.press([.char("y")], &s), [])
        XCTAssertEqual(update(&s, .reviewLoaded(agentId: a0, subject: .makeLive(branchId: B.featureId), Self.v2Review(reverting: false))),
                       [.makeBranchLive(agentId: a0, branchId: B.featureId)])
        XCTAssertNil(s.overlay)
    }

    func testMakeLiveConfirmationShowsWhatWouldBeUndone() {
        var s = B.loadedState()
        F.press([.tab, .char("]")], &s)
        _ = update(&s, .revisionsLoaded(agentId: a0, branchId: B.featureId, skip: 0, list: B.revisions(branch: 1, count: 1)))
        XCTAssertEqual(F.press([.char("m")], &s), [.loadReview(agentId: a0, subject: .makeLive(branchId: B.featureId))])
        guard case .confirm(let before)? = s.overlay else { return XCTFail("no confirmation") }
        _ = update(&s, .reviewLoaded(agentId: a0, subject: .makeLive(branchId: B.featureId), Self.v2Review()))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.lines.prefix(before.lines.count), before.lines[...])
        XCTAssertTrue(c.lines.contains { $0.contains("Making it live would undo") }, "\(c.lines)")
        XCTAssertTrue(c.lines.contains { $0.contains("introduced by main r2") }, "\(c.lines)")
        XCTAssertEqual(F.press([.char("y")], &s), [.makeBranchLive(agentId: a0, branchId: B.featureId)])
    }

    func testThreeKeyShowsTheThreeWayViewOfADraft() {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        XCTAssertEqual(F.press([.char("t")], &s), [.loadReview(agentId: a0, subject: .draft(draftId: d1))])
        XCTAssertTrue(render(s, s.size).text.contains("Loading base, draft and live"))
        _ = update(&s, .reviewLoaded(agentId: a0, subject: .draft(draftId: d1), Self.v1Review()))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Three-way — draft \"fix greeting\""), text)
        XCTAssertTrue(text.contains("Publishing this would undo"), text)
        XCTAssertEqual(F.press([.escape], &s), [.cancel(key: EffectKey.publishReview)])
        XCTAssertNil(s.overlay)
        // On a version it says what to select.
        var v = F.loadedState()
        F.press([.tab], &v)
        XCTAssertEqual(F.press([.char("t")], &v), [])
        s = v
        XCTAssertTrue(s.status?.text.contains("select a draft") == true, s.status?.text ?? "")
    }

    func testDraftsBehindWhatIsLiveAreMarked() {
        var s = F.loadedState()
        var old = F.drafts()[0]
        old.sourceVersionId = F.versionId(0, 2)
        _ = update(&s, .draftsLoaded(agentId: a0, drafts: [old]))
        F.press([.tab, .tab], &s)
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("v2 ↓2"), text)
        XCTAssertTrue(text.contains("its base is behind v4 by 2"), text)
        XCTAssertEqual(s.behindSummary(old), "behind v4 by 2")
        XCTAssertNil(s.behindSummary(F.drafts()[0]), "based on the active version: no mark")
    }

    func testGoldenReviewWithRevertedFields() {
        for size in Self.sizes {
            var s = v1Reviewing(size: size)
            GoldenFile.assert(GoldenFile.text(of: render(s, size)), named: "publish-review-revert-\(size.width)x\(size.height)")
            F.press([.enter], &s)
            GoldenFile.assert(GoldenFile.text(of: render(s, size)), named: "publish-confirm-revert-\(size.width)x\(size.height)")
            let v2 = v2Reviewing(size: size)
            GoldenFile.assert(GoldenFile.text(of: render(v2, size)), named: "v2-publish-review-revert-\(size.width)x\(size.height)")
        }
    }
}
