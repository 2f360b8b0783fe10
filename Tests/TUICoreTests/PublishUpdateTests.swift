import XCTest
import AtomsModels
@testable import TUICore

/// `p`/`P`/`L`: review → publishing → checking → confirm → activating → done, and every way out, with exact effects.
final class PublishUpdateTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0)
    let d1 = Fixtures.draftId(0, 1)
    let v4 = Fixtures.versionId(0, 4)
    let v6 = Fixtures.versionId(0, 6)

    func published(_ status: SecurityCheckStatus = .pending, reason: String? = nil) -> AgentVersion {
        var v = AgentVersion(id: v6, agent: a0, status: .published, versionNumber: 6, label: "fix greeting")
        v.securityCheck = SecurityCheck(status: status, reason: reason)
        v.draftId = d1
        return v
    }

    func check(_ phase: CheckUpdate.Phase, _ elapsed: Double, _ status: SecurityCheckStatus, reason: String? = nil) -> CheckUpdate {
        CheckUpdate(phase: phase, elapsed: elapsed, expected: 6, status: status, reason: reason, version: published(status, reason: reason),
                    requests: Int(elapsed))
    }

    /// A state with the review of draft "fix greeting" open (`P` when `andActivate`), its diff loaded.
    func reviewing(andActivate: Bool = false) -> AppState {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        XCTAssertEqual(F.press([.char(andActivate ? "P" : "p")], &s), [.loadPublishDiff(agentId: a0, from: .version(v4), to: .draft(d1)),
                                                                      .loadReview(agentId: a0, subject: .draft(draftId: d1))])
        XCTAssertEqual(Effect.loadPublishDiff(agentId: a0, from: .version(v4), to: .draft(d1)).key, "publish.diff")
        _ = update(&s, .diffLoaded(agentId: a0, from: .version(v4), to: .draft(d1), diff: F.diff))
        _ = update(&s, .reviewLoaded(agentId: a0, subject: .draft(draftId: d1), ThreeWayReviewTests.v1Review(reverting: false)))
        return s
    }

    /// From the review to the running check (watch 1).
    func checking(andActivate: Bool = false) -> AppState {
        var s = reviewing(andActivate: andActivate)
        XCTAssertEqual(F.press([.enter], &s), [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)])
        XCTAssertEqual(s.publish?.phase, .publishing)
        XCTAssertEqual(update(&s, .published(agentId: a0, draftId: d1, version: published())),
                       [.watchCheck(watchId: 1, agentId: a0, version: published(), timeout: 120)])
        XCTAssertEqual(Effect.watchCheck(watchId: 1, agentId: a0, version: published(), timeout: 120).key, "watch:" + v6)
        return s
    }

    func testWholeFlowReviewPublishCheckConfirmActivate() {
        var s = reviewing()
        var all: [Effect] = []
        guard let review = s.publish else { return XCTFail("no review") }
        XCTAssertEqual(review.phase, .review)
        XCTAssertEqual(review.form.label.string, "fix greeting", "the label starts as the draft name")
        XCTAssertTrue(review.diff?.value?.contains(DetailLine("+ Greet by name.", style: .added)) == true)
        // A description over two lines.
        all += F.press([.tab] + F.typing("Warmer greeting") + [.ctrl("n")] + F.typing("and names"), &s)
        all += F.press([.enter], &s)
        XCTAssertEqual(all, [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: "Warmer greeting\nand names")])
        XCTAssertEqual(s.writeInFlight, "publishing draft \"fix greeting\"")
        all = update(&s, .published(agentId: a0, draftId: d1, version: published()))
        XCTAssertEqual(s.publish?.phase, .checking)
        XCTAssertNil(s.writeInFlight)
        // The history shows it at once: published, inactive, check pending; the draft is gone.
        XCTAssertEqual(s.versions[a0]?.items.first?.id, v6)
        XCTAssertEqual(s.versions[a0]?.items.first?.isActive, false)
        XCTAssertEqual(s.versions[a0]?.total, 6)
        XCTAssertEqual(s.drafts[a0]?.items.map(\.draftName), ["experiment"])
        // Ticks animate; observations arrive.
        all += update(&s, .tick(F.now.addingTimeInterval(1)))
        all += update(&s, .checkProgress(watchId: 1, check(.checking, 1, .pending)))
        all += update(&s, .tick(F.now.addingTimeInterval(3)))
        all += update(&s, .checkProgress(watchId: 1, check(.checking, 3, .pending)))
        all.removeAll { if case .loadConfig = $0 { return true }; return false }  // the detail area follows the cursor
        XCTAssertEqual(all, [.watchCheck(watchId: 1, agentId: a0, version: published(), timeout: 120)],
                       "nothing activates before the check passes")
        XCTAssertEqual(update(&s, .checkProgress(watchId: 1, check(.passed, 6.2, .passed))), [])
        XCTAssertEqual(s.publish?.phase, .confirmActivate)
        XCTAssertEqual(s.versions[a0]?.items.first?.securityCheck?.status, .passed)
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Activate v6 \"fix greeting\" of \"Support Bot\"? It will serve live traffic. [y/N]"), text)
        XCTAssertEqual(F.press([.char("y")], &s), [.activate(agentId: a0, versionId: v6)])
        XCTAssertEqual(s.publish?.phase, .activating)
        XCTAssertEqual(s.writeInFlight, "activating v6")
        XCTAssertEqual(update(&s, .activated(agentId: a0, versionId: v6, verified: true)), [])
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.activeVersionId, v6)
        XCTAssertEqual(s.versions[a0]?.items.filter(\.isActive).map(\.id), [v6])
        XCTAssertEqual(s.status, StatusMessage("v6 of \"Support Bot\" is live (verified)", isError: false))
        XCTAssertTrue(s.watches.isEmpty)
    }

    func testAnyOtherKeyThanYLeavesTheVersionInactive() {
        var s = checking()
        _ = update(&s, .checkProgress(watchId: 1, check(.passed, 6, .passed)))
        XCTAssertEqual(F.press([.enter], &s), [], "Enter never confirms an activation")
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.activeVersionId, v4)
        XCTAssertTrue(s.status?.text.contains("stays published and inactive") == true, s.status?.text ?? "")
    }

    func testLabelIsRequiredAndEscCancelsWithoutSending() {
        var s = reviewing()
        XCTAssertEqual(F.press([.ctrl("u"), .enter], &s), [])
        XCTAssertEqual(s.publish?.phase, .review)
        XCTAssertEqual(s.publish?.error, "a label is required (Tab moves between the fields)")
        XCTAssertTrue(render(s, s.size).text.contains("a label is required"))
        F.press(F.typing(String(repeating: "x", count: 250)), &s)
        XCTAssertEqual(s.publish?.form.label.string.count, 200, "the label stops at 200 characters")
        XCTAssertEqual(F.press([.escape], &s), [.cancel(key: "publish.diff"), .cancel(key: "publish.review")])
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.status?.text, "Cancelled — nothing was published")
        XCTAssertEqual(s.drafts[a0]?.items.count, 2)
    }

    func testReviewWarnsWhenTheDraftDoesNotDiffer() {
        var s = F.loadedState()
        F.pressReviewed([.tab, .tab, .char("p")], &s)
        _ = update(&s, .diffLoaded(agentId: a0, from: .version(v4), to: .draft(d1), diff: AgentVersionDiff(unchangedSections: ["llm"], diffs: [])))
        XCTAssertEqual(s.publish?.noDifferences, true)
        XCTAssertTrue(render(s, s.size).text.contains("does not differ from the active version"))
        XCTAssertEqual(F.press([.enter], &s), [.publishDraft(agentId: a0, draftId: d1, label: "fix greeting", description: nil)],
                       "a warning, not a refusal")
    }

    func testPublishFailureReturnsToTheReview() {
        var s = reviewing()
        let effects = F.press([.enter], &s)
        _ = update(&s, .failed(effects[0], EffectFailure(kind: .frozen, status: 423, reason: "config freeze active", hint: "try again later")))
        XCTAssertEqual(s.publish?.phase, .review)
        XCTAssertEqual(s.publish?.error, "Publishing failed: 423 config freeze active — try again later")
        XCTAssertNil(s.writeInFlight)
        XCTAssertEqual(s.messageLog.entries.last?.text, "Publishing failed: 423 config freeze active — try again later", "M keeps it")
    }

    /// No answer to the publish: it may have gone through. The flow ends — no "Cancelled — nothing was
    /// published" on Esc, no second send on Enter — and the lists are read again to show what happened.
    func testAPublishWithNoAnswerEndsTheFlowAndReadsTheListsAgain() {
        var s = reviewing()
        let effects = F.press([.enter], &s)
        let fx = update(&s, .failed(effects[0], EffectFailure(kind: .network, reason: "no answer from the server (network error)",
                                                                hint: "no answer to the publish: a new inactive version may or may not exist")))
        XCTAssertNil(s.publish, "the flow ends")
        XCTAssertTrue(fx.contains(.loadVersions(agentId: a0, skip: 0, limit: s.versionPageSize)) && fx.contains(.loadDrafts(agentId: a0)), "\(fx)")
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertTrue(s.status?.text.contains("may or may not have gone through") == true, s.status?.text ?? "")
        XCTAssertFalse(s.status?.text.contains("atoms-tui versions list") == true, "no CLI command in the TUI: \(s.status?.text ?? "")")
        XCTAssertEqual(F.press([.escape], &s), [])
        XCTAssertFalse(s.status?.text.contains("nothing was published") == true, s.status?.text ?? "")
    }

    /// A long refusal is read whole in the review (wrapped), not cut at the dialog's edge.
    func testALongPublishRefusalWrapsInTheReview() {
        var s = reviewing()
        let effects = F.press([.enter], &s)
        let reason = "this draft failed its security scan and was not edited since — edit it (e), then publish again; the scan found a deny-list pattern"
        _ = update(&s, .failed(effects[0], EffectFailure(kind: .conflict, status: 409, reason: reason)))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Publishing failed: 409"), text)
        XCTAssertTrue(text.contains("deny-list pattern"), "the end of the reason is on screen: \(text)")
    }

    func testFailedCheckShowsTheReasonAndNForksAFixDraft() {
        var s = checking()
        let reason = "prompt matched deny-list: ignore previous instructions"
        XCTAssertEqual(update(&s, .checkProgress(watchId: 1, check(.failed, 6, .failed, reason: reason))), [])
        XCTAssertEqual(s.publish?.phase, .failed(reason: reason))
        let screen = render(s, s.size)
        XCTAssertTrue(screen.text.contains("✗ Security check failed: prompt matched deny-list"), screen.text)
        let row = (0..<screen.height).first { screen.rowText($0).contains("✗ Security check failed") }!
        XCTAssertTrue(screen.styleRuns(row).contains { $0.style == .failed }, "the reason is drawn in the failure style")
        XCTAssertEqual(F.press([.char("n")], &s), [.forkDraft(agentId: a0, sourceVersionId: v6, sourceDraftId: nil, name: "fix v6")])
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.activeVersionId, v4)
    }

    func testTimeoutSaysWhatHappenedAndHowToActivateLater() {
        var s = checking()
        _ = update(&s, .checkProgress(watchId: 1, check(.timedOut, 120, .pending)))
        XCTAssertEqual(s.publish?.phase, .timedOut(status: "pending", after: 120))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("still pending after 120 s"), text)
        XCTAssertTrue(text.contains("press a once its check has passed"), text)
        XCTAssertEqual(F.press([.char("y")], &s), [], "no key activates after a timeout")
        XCTAssertNil(s.publish)
        XCTAssertTrue(s.status?.text.contains("press a") == true)
    }

    func testEscLeavesTheWaitAndTheBackgroundOutcomeIsReportedWithoutActivating() {
        var s = checking(andActivate: true)
        _ = update(&s, .checkProgress(watchId: 1, check(.checking, 2, .pending)))
        XCTAssertEqual(F.press([.escape], &s), [])
        XCTAssertNil(s.publish)
        XCTAssertTrue(s.status?.text.hasPrefix("Left the wait: v6 \"fix greeting\" stays published and inactive") == true, s.status?.text ?? "")
        XCTAssertEqual(s.versions[a0]?.items.first?.isActive, false)
        XCTAssertTrue(render(s, s.size).rowText(30).contains("checking v6 \"fix greeting\"…"))
        // The app stays usable meanwhile.
        XCTAssertEqual(F.press([.char("?")], &s), [])
        F.press([.escape], &s)
        XCTAssertEqual(update(&s, .checkProgress(watchId: 1, check(.passed, 6.1, .passed))), [], "leaving the wait never activates")
        XCTAssertEqual(s.status?.text, "v6 \"fix greeting\" of \"Support Bot\" passed its security check — press a on it to activate")
        XCTAssertEqual(s.versions[a0]?.items.first?.securityCheck?.status, .passed)
        XCTAssertEqual(s.activeVersionId, v4)
        XCTAssertTrue(s.watches.isEmpty)
    }

    func testBackgroundFailureIsReportedInRed() {
        var s = checking()
        F.press([.escape], &s)
        _ = update(&s, .checkProgress(watchId: 1, check(.failed, 6, .failed, reason: "secret-like token")))
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertTrue(s.status?.text.contains("failed its security check: secret-like token") == true)
    }

    func testCapitalPActivatesWithoutTheSecondQuestion() {
        var s = checking(andActivate: true)
        XCTAssertTrue(render(s, s.size).text.contains("Then it is activated right away (P)."))
        XCTAssertEqual(update(&s, .checkProgress(watchId: 1, check(.checking, 3, .pending))), [])
        XCTAssertEqual(update(&s, .checkProgress(watchId: 1, check(.passed, 6, .passed))), [.activate(agentId: a0, versionId: v6)])
        XCTAssertEqual(s.publish?.phase, .activating)
        _ = update(&s, .activated(agentId: a0, versionId: v6, verified: true))
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.activeVersionId, v6)
    }

    func testActivationFailureKeepsTheVersionInactive() {
        var s = checking(andActivate: true)
        _ = update(&s, .checkProgress(watchId: 1, check(.passed, 6, .passed)))
        _ = update(&s, .failed(.activate(agentId: a0, versionId: v6), EffectFailure(kind: .rejected, status: 400, reason: "Security check pending for this version")))
        XCTAssertNil(s.publish)
        XCTAssertNil(s.writeInFlight)
        XCTAssertEqual(s.status?.text, "400 Security check pending for this version — activating v6 failed; v6 \"fix greeting\" stays published and inactive")
        XCTAssertEqual(s.activeVersionId, v4)
    }

    func testStaleAndSupersededWatchResultsAreDropped() {
        var s = checking()
        XCTAssertEqual(update(&s, .checkProgress(watchId: 7, check(.passed, 6, .passed))), [], "unknown watch")
        XCTAssertEqual(s.publish?.phase, .checking)
        _ = update(&s, .checkProgress(watchId: 1, check(.failed, 6, .failed, reason: "x")))
        F.press([.escape], &s)
        s.status = nil
        XCTAssertEqual(update(&s, .checkProgress(watchId: 1, check(.passed, 7, .passed))), [], "a finished watch says nothing more")
        XCTAssertNil(s.status)
        XCTAssertEqual(s.versions[a0]?.items.first?.securityCheck?.status, .failed)
        // A second watch of the same version supersedes the first one.
        var t = checking()
        _ = update(&t, .published(agentId: a0, draftId: d1, version: published()))
        XCTAssertEqual(t.watches.keys.sorted(), [2])
        XCTAssertEqual(update(&t, .checkProgress(watchId: 1, check(.passed, 6, .passed))), [])
        XCTAssertEqual(t.publish?.phase, .checking, "the superseded watch's pass is ignored")
    }

    func testWatchErrorEndsTheWaitWithAReason() {
        var s = checking()
        _ = update(&s, .checkWatchFailed(watchId: 1, EffectFailure(kind: .notFound, status: 404, reason: "No agent found")))
        XCTAssertNil(s.publish)
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertTrue(s.status?.text.contains("stays published and inactive") == true)
    }

    func testPublishKeysAreDisabledWithReasons() {
        var ro = F.loadedState(readOnly: true)
        F.press([.tab, .tab], &ro)
        for key: Character in ["p", "P"] {
            XCTAssertEqual(F.press([.char(key)], &ro), [])
            XCTAssertTrue(ro.status?.text.contains("read-only mode") == true)
        }
        var s = F.loadedState()
        F.press([.tab], &s)
        XCTAssertEqual(F.press([.char("p")], &s), [])
        XCTAssertEqual(s.status?.text, "p publish: v5 is already published; select a draft in the Drafts pane")
        F.press([.tab, .char("L")], &s)
        XCTAssertEqual(s.status?.text, "L label: select a published version in the Versions pane (r renames a draft)")
        XCTAssertNil(s.overlay)
    }

    func testLEditsAVersionsLabelAndDescription() {
        var s = F.loadedState()
        F.press([.tab], &s)
        let v5 = F.versionId(0, 5)
        XCTAssertEqual(F.press([.char("L")], &s), [])
        guard case .versionMeta(let p)? = s.overlay else { return XCTFail("no form") }
        XCTAssertEqual(p.form.label.string, "release 5")
        XCTAssertEqual(F.press([.ctrl("u"), .enter], &s), [], "a label is required")
        XCTAssertNotNil(s.overlay)
        XCTAssertTrue(render(s, s.size).text.contains("a label is required"))
        let effects = F.press(F.typing("Spring release") + [.tab] + F.typing("Line one") + [.ctrl("n")] + F.typing("Line two") + [.enter], &s)
        XCTAssertEqual(effects, [.updateVersionMeta(agentId: a0, versionId: v5, label: "Spring release", description: "Line one\nLine two")])
        XCTAssertNil(s.overlay)
        var v = AgentVersion(id: v5, agent: a0, status: .published, versionNumber: 5, label: "Spring release", description: "Line one\nLine two")
        v.isPinned = false
        _ = update(&s, .versionMetaChanged(agentId: a0, version: v))
        XCTAssertEqual(s.versionRows.first?.label, "Spring release")
        XCTAssertEqual(s.status?.text, "Saved the label and description of v5")
        XCTAssertNil(s.writeInFlight)
    }

    func testCheckBarNeverShowsAFalseHundredPercent() {
        XCTAssertEqual(AppState.checkBar(elapsed: 0, expected: 6, width: 10), "░░░░░░░░░░")
        XCTAssertEqual(AppState.checkBar(elapsed: 3, expected: 6, width: 10), "█████░░░░░")
        XCTAssertEqual(AppState.checkBar(elapsed: 5.99, expected: 6, width: 10), "█████████░")
        let over = AppState.checkBar(elapsed: 6.5, expected: 6, width: 10)
        XCTAssertFalse(over.contains("█"), over)
        XCTAssertEqual(over.filter { $0 == "▓" }.count, 4)
        XCTAssertNotEqual(AppState.checkBar(elapsed: 7, expected: 6, width: 10), AppState.checkBar(elapsed: 7.4, expected: 6, width: 10), "it moves")
    }

    func testTextArea() {
        var t = TextArea("ab")
        t.handle(.ctrl("n")); t.handle(.char("c")); t.handle(.up); t.handle(.home); t.handle(.char("x"))
        XCTAssertEqual(t.string, "xab\nc")
        t.handle(.down); t.handle(.home); t.handle(.backspace)
        XCTAssertEqual(t.string, "xabc")
        XCTAssertEqual(t.count, 4)
        var full = TextArea(String(repeating: "y", count: 2000))
        full.handle(.char("z")); full.handle(.ctrl("n"))
        XCTAssertEqual(full.count, 2000)
    }
}
