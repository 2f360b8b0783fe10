import XCTest
import AtomsModels
@testable import TUICore

final class UpdateTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0), a1 = Fixtures.agentId(1), a2 = Fixtures.agentId(2)

    func testStartAsksForTheFirstAgentsPage() {
        var s = AppState(now: F.now)
        XCTAssertEqual(update(&s, .started), [.loadAgents(page: 1, pageSize: 50, search: nil)])
        XCTAssertTrue(s.agentsLoading)
        XCTAssertEqual(Effect.loadAgents(page: 1, pageSize: 50, search: nil).key, "agents")
    }

    func testFirstPageSelectsTheFirstAgentAndLoadsItsVersionsAndDraftsConcurrently() {
        var s = AppState(now: F.now, size: Size(width: 120, height: 32))
        _ = update(&s, .started)
        let effects = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents())))
        XCTAssertEqual(effects, [.cancel(key: "versions"), .cancel(key: "drafts"),
                                 .loadVersions(agentId: a0, skip: 0, limit: 50), .loadDrafts(agentId: a0)])
        XCTAssertEqual(effects.map(\.key), ["versions", "drafts", "versions", "drafts"])
        XCTAssertEqual(s.selectedAgentId, a0)
    }

    func testMovingThroughAgentsCancelsUnwantedLoadsAndReusesLoadedOnes() {
        var s = F.loadedState()
        XCTAssertEqual(F.press([.down], &s), [.cancel(key: "versions"), .cancel(key: "drafts"),
                                               .loadVersions(agentId: a1, skip: 0, limit: 50), .loadDrafts(agentId: a1)])
        XCTAssertEqual(F.press([.char("j")], &s), [.cancel(key: "versions"), .cancel(key: "drafts"),
                                                    .loadVersions(agentId: a2, skip: 0, limit: 50), .loadDrafts(agentId: a2)])
        // a1's loads were cancelled before answering: going back asks again.
        XCTAssertEqual(F.press([.up], &s), [.cancel(key: "versions"), .cancel(key: "drafts"),
                                             .loadVersions(agentId: a1, skip: 0, limit: 50), .loadDrafts(agentId: a1)])
        // a0 is fully loaded: only the cancels.
        XCTAssertEqual(F.press([.char("k")], &s), [.cancel(key: "versions"), .cancel(key: "drafts")])
        XCTAssertEqual(s.versionRows.count, 5)
    }

    func testAgentsPageInAsTheCursorNearsTheEnd() {
        var s = AppState(now: F.now, size: Size(width: 120, height: 32))
        _ = update(&s, .started)
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents(count: 50), total: 120, hasMore: true)))
        // 30 rows down: still far from the end.
        for _ in 0..<30 { XCTAssertFalse(F.press([.down], &s).contains { if case .loadAgents = $0 { return true }; return false }) }
        let effects = F.press([.char("G")], &s)
        XCTAssertEqual(effects.last, .loadAgents(page: 2, pageSize: 50, search: nil))
        XCTAssertEqual(s.position(.agents).cursor, 49)
        // While that page loads, no second request.
        XCTAssertFalse(F.press([.up, .down], &s).contains(.loadAgents(page: 2, pageSize: 50, search: nil)))
        _ = update(&s, .agentsLoaded(page: 2, search: nil, list: F.agentList(F.agents(count: 50, offset: 50), total: 120, hasMore: true)))
        XCTAssertEqual(s.agents.count, 100)
        XCTAssertEqual(s.position(.agents).cursor, 49, "the cursor stays where it was")
        XCTAssertEqual(F.press([.char("G")], &s).last, .loadAgents(page: 3, pageSize: 50, search: nil))
    }

    func testVersionsPageInThroughSkipAndLimit() {
        var s = F.loadedState()
        _ = update(&s, .versionsLoaded(agentId: a0, skip: 0, list: VersionList(versions: F.versions(count: 50, from: 500), total: 500)))
        F.press([.tab], &s)
        XCTAssertEqual(s.focus, .versions)
        XCTAssertEqual(F.press([.pageDown], &s), [])
        XCTAssertEqual(F.press([.char("G")], &s), [.loadVersions(agentId: a0, skip: 50, limit: 50)])
        XCTAssertEqual(F.press([.down], &s), [], "no second request while the page loads")
        _ = update(&s, .versionsLoaded(agentId: a0, skip: 50, list: VersionList(versions: F.versions(count: 50, from: 450), total: 500)))
        XCTAssertEqual(s.versionRows.count, 100)
        XCTAssertEqual(s.versionRows[50].versionNumber, 450)
    }

    func testFilterTypingFiltersLocallyAndAsksTheServerSearch() {
        var s = F.loadedState()
        XCTAssertEqual(F.press([.char("/")], &s), [])
        XCTAssertEqual(F.press([.char("b")], &s), [.loadAgents(page: 1, pageSize: 50, search: "b")],
                       "Support Bot still matches: the selection stays")
        XCTAssertEqual(Effect.loadAgents(page: 1, pageSize: 50, search: "b").key, "agents.search")
        XCTAssertEqual(F.press([.char("i")], &s), [.loadAgents(page: 1, pageSize: 50, search: "bi"),
                                                    .cancel(key: "versions"), .cancel(key: "drafts"),
                                                    .loadVersions(agentId: a2, skip: 0, limit: 50), .loadDrafts(agentId: a2)])
        XCTAssertEqual(s.agentRows.map(\.name), ["Billing 🤖 helper"])
        // A stale answer (for "b") is ignored; the current one adds the server's matches.
        _ = update(&s, .agentsLoaded(page: 1, search: "b", list: F.agentList([Agent(id: F.agentId(900), name: "Bob")])))
        XCTAssertEqual(s.agentRows.count, 1)
        _ = update(&s, .agentsLoaded(page: 1, search: "bi", list: F.agentList([Agent(id: F.agentId(901), name: "Big Corp bot"), F.agents()[2]])))
        XCTAssertEqual(s.agentRows.map(\.name), ["Billing 🤖 helper", "Big Corp bot"])
        // Backspace widens again; Enter keeps the filter; Esc clears it and cancels the search.
        XCTAssertEqual(F.press([.backspace], &s), [.loadAgents(page: 1, pageSize: 50, search: "b")])
        XCTAssertEqual(F.press([.enter], &s), [])
        XCTAssertNil(s.filterEditor)
        XCTAssertEqual(s.filter(.agents), "b")
        XCTAssertEqual(F.press([.escape], &s), [.cancel(key: "agents.search")])
        XCTAssertEqual(s.filter(.agents), "")
        XCTAssertEqual(s.agentRows.count, F.agentNames.count)
        XCTAssertEqual(s.selectedAgentId, a2, "the selected agent stays selected when the filter is cleared")
    }

    func testActivateNeedsAnExplicitYAndEnterNeverConfirms() throws {
        var s = F.loadedState()
        F.press([.tab, .down, .down], &s)  // v5, v4, v3 → v3 (older than the active v4)
        XCTAssertEqual(s.selectedVersion?.versionNumber, 3)
        XCTAssertEqual(F.press([.char("a")], &s), [])
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        let text = c.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Support Bot"), text)
        XCTAssertTrue(text.contains("v3") && text.contains("v4"), text)
        XCTAssertTrue(text.contains("ROLLS BACK"), text)
        XCTAssertEqual(F.press([.enter], &s), [], "Enter alone never confirms")
        XCTAssertNil(s.overlay)
        F.press([.char("a")], &s)
        XCTAssertEqual(F.press([.char("n")], &s), [])
        F.press([.char("a")], &s)
        XCTAssertEqual(F.press([.escape], &s), [])
        F.press([.char("a")], &s)
        let v3 = F.versionId(0, 3)
        XCTAssertEqual(F.press([.char("y")], &s), [.activate(agentId: a0, versionId: v3)])
        XCTAssertEqual(s.writeInFlight, "activating v3")
        XCTAssertEqual(update(&s, .activated(agentId: a0, versionId: v3, verified: true)), [])
        XCTAssertEqual(s.activeVersionId, v3)
        XCTAssertEqual(s.versionRows.filter(\.isActive).map(\.versionNumber), [3])
        XCTAssertEqual(s.stats[a0]?.activeVersionNumber, 3)
        XCTAssertEqual(s.status?.isError, false)
    }

    func testActivateIsRefusedWithAReasonForActivePendingAndFailedVersions() {
        var s = F.loadedState()
        F.press([.tab], &s)  // v5: check pending
        XCTAssertEqual(F.press([.char("a")], &s), [])
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.status?.text.contains("security check is still pending") == true, s.status?.text ?? "")
        F.press([.down], &s)  // v4: active
        F.press([.char("a")], &s)
        XCTAssertTrue(s.status?.text.contains("already the active version") == true)
        F.press([.down, .down], &s)  // v2: failed
        F.press([.char("a")], &s)
        XCTAssertTrue(s.status?.text.contains("failed its security check: prompt matched deny-list") == true, s.status?.text ?? "")
        XCTAssertEqual(s.status?.isError, true)
    }

    func testReadOnlyDisablesEveryWriteAndSaysWhy() {
        var s = F.loadedState(readOnly: true)
        F.press([.tab], &s)
        for key: Character in ["a", "*", "n"] {
            s.status = nil
            XCTAssertEqual(F.press([.char(key)], &s), [], "\(key)")
            XCTAssertNil(s.overlay)
            XCTAssertEqual(s.status?.isError, true)
            XCTAssertTrue(s.status?.text.contains("read-only") == true, s.status?.text ?? "")
        }
        F.press([.tab], &s)
        for key: Character in ["r", "x"] {
            s.status = nil
            XCTAssertEqual(F.press([.char(key)], &s), [])
            XCTAssertTrue(s.status?.text.contains("read-only") == true)
        }
        // Reads still work.
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(F.versionId(0, 4)), to: .draft(F.draftId(0, 1)))])
    }

    func testDiscardAsksYesNo() {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        XCTAssertEqual(s.focus, .drafts)
        XCTAssertEqual(F.press([.char("x")], &s), [])
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertTrue(c.lines[0].contains("fix greeting") && c.lines[0].contains("Support Bot"))
        XCTAssertEqual(F.press([.char("N")], &s), [])
        XCTAssertEqual(s.drafts[a0]?.items.count, 2)
        F.press([.char("x")], &s)
        let d1 = F.draftId(0, 1)
        XCTAssertEqual(F.press([.char("Y")], &s), [.discardDraft(agentId: a0, draftId: d1)])
        XCTAssertEqual(F.press([.char("x")], &s), [], "one write at a time")
        XCTAssertTrue(s.status?.text.contains("busy") == true)
        _ = update(&s, .draftDiscarded(agentId: a0, draftId: d1))
        XCTAssertEqual(s.draftRows.map(\.draftName), ["experiment"])
        XCTAssertEqual(s.stats[a0]?.draftCount, 1)
        XCTAssertNil(s.writeInFlight)
    }

    func testForkNameInputHasNormalEditingKeys() {
        var s = F.loadedState()
        F.press([.tab], &s)
        XCTAssertEqual(F.press([.char("n")], &s), [])
        F.press(F.typing("hotfix"), &s)
        F.press([.left, .left, .backspace, .char("F")], &s)       // "hotix", then F at the cursor → "hotFix"
        F.press([.ctrl("a")] + F.typing("x-"), &s)                 // "x-hotFix"
        F.press([.end] + F.typing(" v2"), &s)                      // "x-hotFix v2"
        F.press([.ctrl("w"), .backspace, .home, .delete, .ctrl("e")], &s)  // "-hotFix"
        guard case .input(let p)? = s.overlay else { return XCTFail("no input") }
        XCTAssertEqual(p.editor.string, "-hotFix")
        XCTAssertEqual(F.press([.enter], &s), [.forkDraft(agentId: a0, sourceVersionId: F.versionId(0, 5), sourceDraftId: nil, name: "-hotFix")])
        guard case .input(let waiting)? = s.overlay, waiting.pending else { return XCTFail("the dialog waits for the answer") }
        XCTAssertEqual(F.press([.char("e")], &s), [], "keys typed while it waits run nothing")
        var forked = AgentVersion(id: "f1", agent: a0, status: .draft)
        forked.draftId = "d-new"
        forked.draftName = "-hotFix"
        forked.sourceVersionId = F.versionId(0, 5)
        XCTAssertEqual(update(&s, .draftForked(agentId: a0, draft: forked)), [])
        XCTAssertNil(s.overlay, "closed once the fork went through")
        XCTAssertEqual(s.focus, .drafts)
        XCTAssertEqual(s.selectedDraft?.draftName, "-hotFix")
        XCTAssertEqual(s.stats[a0]?.draftCount, 3)
    }

    func testForkFromADraftAndEscCancels() {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        F.press([.char("n")] + F.typing("abc"), &s)
        XCTAssertEqual(F.press([.escape], &s), [])
        XCTAssertNil(s.overlay)
        F.press([.char("n")], &s)
        XCTAssertEqual(F.press([.enter], &s), [.forkDraft(agentId: a0, sourceVersionId: nil, sourceDraftId: F.draftId(0, 1), name: nil)])
    }

    func testRenameRefusesAnEmptyName() {
        var s = F.loadedState()
        F.press([.tab, .tab, .char("r")], &s)
        guard case .input(let p)? = s.overlay else { return XCTFail("no input") }
        XCTAssertEqual(p.editor.string, "fix greeting")
        XCTAssertEqual(F.press([.ctrl("u"), .enter], &s), [])
        XCTAssertNotNil(s.overlay)
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertEqual(F.press(F.typing("greeting v2") + [.enter], &s), [.renameDraft(agentId: a0, draftId: F.draftId(0, 1), name: "greeting v2")])
        _ = update(&s, .draftRenamed(agentId: a0, draftId: F.draftId(0, 1), name: "greeting v2"))
        XCTAssertEqual(s.draftRows.first?.draftName, "greeting v2")
    }

    func testPinTogglesAndOnlyOneWriteRunsAtATime() {
        var s = F.loadedState()
        F.press([.tab], &s)
        let v5 = F.versionId(0, 5)
        XCTAssertEqual(F.press([.char("*")], &s), [.setPinned(agentId: a0, versionId: v5, pinned: true)])
        XCTAssertEqual(F.press([.char("*")], &s), [])
        _ = update(&s, .pinChanged(agentId: a0, versionId: v5, pinned: true))
        XCTAssertEqual(s.selectedVersion?.isPinned, true)
        XCTAssertEqual(F.press([.char("*")], &s), [.setPinned(agentId: a0, versionId: v5, pinned: false)])
    }

    func testWriteFailureIsShownInWords() {
        var s = F.loadedState()
        F.press([.tab, .char("*")], &s)
        _ = update(&s, .failed(.setPinned(agentId: a0, versionId: F.versionId(0, 5), pinned: true),
                               EffectFailure(kind: .frozen, status: 423, reason: "config freeze active: writes are frozen", requestId: "req-42")))
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertEqual(s.status?.text, "423 config freeze active: writes are frozen (request req-42) — pinning v5 failed",
                       "the reason leads, never the method and path")
        XCTAssertNil(s.writeInFlight)
    }

    func testDiffKeys() {
        var s = F.loadedState()
        F.press([.tab], &s)
        let v4 = F.versionId(0, 4), v5 = F.versionId(0, 5), v3 = F.versionId(0, 3)
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(v4), to: .version(v5))])
        XCTAssertEqual(Effect.loadDiff(agentId: a0, from: .version(v4), to: .version(v5)).key, "diff")
        _ = update(&s, .diffLoaded(agentId: a0, from: .version(v4), to: .version(v5), diff: F.diff))
        let lines = s.detailContent().lines
        XCTAssertTrue(lines.contains(DetailLine("+ Greet by name.", style: .added)))
        XCTAssertTrue(lines.contains(DetailLine("− Be brief.", style: .removed)))
        XCTAssertTrue(lines.contains(DetailLine("  Never share secrets.", style: .normal)))
        XCTAssertEqual(F.press([.escape], &s), [])
        XCTAssertNil(s.diff)
        // The active version has nothing to diff against with d.
        F.press([.down, .char("d")], &s)
        XCTAssertTrue(s.status?.text.contains("is the active version") == true)
        // D marks, D on a second item diffs the two.
        XCTAssertEqual(F.press([.up, .char("D")], &s), [])
        XCTAssertEqual(s.mark?.label, "v5")
        XCTAssertEqual(F.press([.down, .down, .char("D")], &s), [.loadDiff(agentId: a0, from: .version(v5), to: .version(v3))])
        XCTAssertNil(s.mark)
        // A draft diffs against its source version; a draft forked from a draft against the active version.
        F.press([.escape, .tab], &s)
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(v4), to: .draft(F.draftId(0, 1)))])
        F.press([.escape, .down], &s)
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(v4), to: .draft(F.draftId(0, 2)))])
    }

    func testDraftDiffTogglesBetweenSourceAndActive() {
        var s = F.loadedState()
        // Make v5 active so the draft's source (v4) differs from the active version.
        _ = update(&s, .activated(agentId: a0, versionId: F.versionId(0, 5), verified: true))
        F.press([.tab, .tab], &s)
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(F.versionId(0, 4)), to: .draft(F.draftId(0, 1)))])
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(F.versionId(0, 5)), to: .draft(F.draftId(0, 1)))])
        XCTAssertEqual(F.press([.char("d")], &s), [.loadDiff(agentId: a0, from: .version(F.versionId(0, 4)), to: .draft(F.draftId(0, 1)))])
    }

    func testConfigLoadsWhenTheCursorRestsOrAtOnceOnEnter() {
        var s = F.loadedState()
        XCTAssertEqual(F.press([.tab], &s), [])
        XCTAssertEqual(F.press([.down], &s), [])
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(0.1))), [])
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(0.2))), [.loadConfig(agentId: a0, source: .version(F.versionId(0, 4)))])
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(0.5))), [])
        _ = update(&s, .configLoaded(agentId: a0, source: .version(F.versionId(0, 4)), config: F.config))
        XCTAssertTrue(s.detailContent().lines.contains(DetailLine("  prompt: |")))
        // Enter on another version loads at once and focuses the detail area.
        XCTAssertEqual(F.press([.down, .enter], &s), [.loadConfig(agentId: a0, source: .version(F.versionId(0, 3)))])
        XCTAssertEqual(s.focus, .detail)
        // A failure is shown; Enter retries.
        _ = update(&s, .failed(.loadConfig(agentId: a0, source: .version(F.versionId(0, 3))), EffectFailure(kind: .server, status: 500, reason: "Internal Server Error")))
        XCTAssertEqual(s.status?.isError, true)
        F.press([.escape, .escape], &s)  // clear the error, leave the detail area
        XCTAssertEqual(s.focus, .versions)
        XCTAssertEqual(F.press([.enter], &s), [.loadConfig(agentId: a0, source: .version(F.versionId(0, 3)))])
    }

    func testTheDetailHoldsTheLastConfigWhileTheNextOneLoadsAndSaysSoOnlyOnceItLoads() {
        var s = F.loadedState()
        F.press([.tab, .down], &s)
        _ = update(&s, .tick(F.now.addingTimeInterval(0.2)))
        _ = update(&s, .configLoaded(agentId: a0, source: .version(F.versionId(0, 4)), config: F.config))
        let shown = s.detailContent()
        XCTAssertEqual(shown.title, "Config of v4")
        // A move: while the cursor has not rested, the detail and its title stay as they were (the
        // frame of the move redraws the list rows only).
        F.press([.down], &s)
        XCTAssertEqual(s.detailContent().title, "Config of v4")
        XCTAssertEqual(s.detailContent().lines, shown.lines)
        // Once the load starts, the title says what is on the way; the lines stay.
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(0.5))), [.loadConfig(agentId: a0, source: .version(F.versionId(0, 3)))])
        XCTAssertEqual(s.detailContent().title, "Config of v4 · loading v3…")
        XCTAssertEqual(s.detailContent().lines, shown.lines)
        _ = update(&s, .configLoaded(agentId: a0, source: .version(F.versionId(0, 3)), config: F.config))
        XCTAssertEqual(s.detailContent().title, "Config of v3")
        // A failed load is said, not hidden behind the held config.
        F.press([.down], &s)
        _ = update(&s, .tick(F.now.addingTimeInterval(0.8)))
        _ = update(&s, .failed(.loadConfig(agentId: a0, source: .version(F.versionId(0, 2))), EffectFailure(kind: .server, status: 500, reason: "Internal Server Error")))
        XCTAssertEqual(s.detailContent().title, "Config of v2")
    }

    func testLoadFailuresAppearOnTheStatusLineAndRefreshRetries() {
        var s = F.loadedState()
        F.press([.down], &s)
        _ = update(&s, .failed(.loadVersions(agentId: a1, skip: 0, limit: 50), EffectFailure(kind: .server, status: 503, reason: "Service Unavailable (retried 3×)")))
        XCTAssertEqual(s.status, StatusMessage("503 Service Unavailable (retried 3×) — could not load the versions of \"Sales 日本語 アシスタント\"; R retries", isError: true))
        let effects = F.press([.char("R")], &s)
        XCTAssertEqual(effects, [.loadAgents(page: 1, pageSize: 50, search: nil), .cancel(key: "versions"), .cancel(key: "drafts"),
                                 .loadVersions(agentId: a1, skip: 0, limit: 50), .loadDrafts(agentId: a1)])
        XCTAssertEqual(s.status?.isError, false, "the error gave way to the refresh")
    }

    func testQuitSuspendAndHelp() {
        var s = F.loadedState()
        XCTAssertEqual(F.press([.char("?")], &s), [])
        XCTAssertEqual(s.overlay, .help(TextPanel(scroll: 0)))
        XCTAssertEqual(F.press([.char("j"), .char("j")], &s), [])
        XCTAssertEqual(s.overlay, .help(TextPanel(scroll: 2)))
        XCTAssertEqual(F.press([.char("q")], &s), [], "q closes the help, it does not quit")
        XCTAssertNil(s.overlay)
        XCTAssertEqual(F.press([.ctrl("z")], &s), [.suspend])
        XCTAssertEqual(F.press([.char("q")], &s), [.quit])
    }

    func testKeysStillWorkWhenTheTerminalIsTooSmall() {
        var s = F.loadedState(size: Size(width: 20, height: 6))
        XCTAssertEqual(F.press([.down], &s).first, .cancel(key: "versions"))
        XCTAssertEqual(F.press([.char("q")], &s), [.quit])
    }

    func testEveryBindingIsReachableAndDocumented() {
        for generation in APIGeneration.allCases {
            var seen = Set<Key>()
            for b in Keymap.bindings where b.applies(to: generation) {
                XCTAssertFalse(b.help.isEmpty)
                for k in b.keys {
                    XCTAssertFalse(seen.contains(k), "\(k) bound twice on \(generation)")
                    seen.insert(k)
                    XCTAssertEqual(Keymap.binding(for: k, generation: generation)?.action, b.action)
                }
            }
        }
        XCTAssertEqual(Set(Keymap.bindings.map(\.action)), Set(Action.allCases))
    }
}

/// The defects the TUI-core redesign fixed, each pinned by a test that failed before.
final class RedesignRegressionTests: XCTestCase {
    typealias F = Fixtures

    func testARejectedRenameKeepsItsDialogWithTheReasonAndNextKeysAreNotCommands() {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        let fx = F.press([.char("r")] + F.typing("2") + [.enter], &s)
        guard case .renameDraft = fx.first else { return XCTFail("no rename sent: \(fx)") }
        _ = update(&s, .failed(fx[0], EffectFailure(kind: .rejected, status: 400, reason: "a draft with this name already exists")))
        guard case .input(let p)? = s.overlay else { return XCTFail("the dialog closed on a refusal") }
        XCTAssertEqual(p.error, "400 a draft with this name already exists")
        XCTAssertFalse(p.pending)
        XCTAssertTrue(render(s, s.size).text.contains("a draft with this name already exists"))
        XCTAssertEqual(F.press([.char("e")], &s), [], "e types into the name, it does not open the editor")
        guard case .input(let q)? = s.overlay else { return XCTFail("dialog gone") }
        XCTAssertTrue(q.editor.string.hasSuffix("2e"))
    }

    func testTransientMessagesClearAndRefreshingEnds() {
        var s = F.loadedState()
        _ = F.press([.char("R")], &s)
        XCTAssertEqual(s.status?.text, "Refreshing…")
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents())))
        XCTAssertEqual(s.status?.text, "Up to date", "Refreshing… does not stay forever")
        _ = update(&s, .tick(s.now.addingTimeInterval(AppState.statusLifetime + 1)))
        XCTAssertNil(s.status, "a confirmation goes away by itself")
        // Errors stay.
        _ = update(&s, .failed(.loadAgents(page: 1, pageSize: 50, search: nil), EffectFailure(kind: .server, status: 503, reason: "down")))
        _ = update(&s, .tick(s.now.addingTimeInterval(AppState.statusLifetime * 3)))
        XCTAssertEqual(s.status?.isError, true)
    }

    func testARefusedKeySaysSoInsteadOfNoAgents() {
        var s = AppState(isDemo: false, apiGeneration: .v1, accountLabel: "prod", now: F.now, size: Size(width: 120, height: 32))
        _ = update(&s, .resized(width: 120, height: 32))
        let fx = update(&s, .started)
        _ = update(&s, .failed(fx[0], EffectFailure(kind: .unauthorized, status: 401, reason: "the API key was refused",
                                                       hint: "check the key given by --api-key, SMALLEST_API_KEY or the profile's apiKey")))
        let text = render(s, s.size).text
        XCTAssertFalse(text.contains("No agents"), text)
        XCTAssertTrue(text.contains("The API key was refused (401)"), text)
    }

    func testAgesReadAsSentences() {
        let now = F.now
        XCTAssertEqual(RelativeAge.phrase(iso: F.iso(minutesAgo: 0), now: now), "just now")
        XCTAssertEqual(RelativeAge.phrase(iso: F.iso(minutesAgo: 3), now: now), "3m ago")
    }

    func testCtrlLRepaintsFromAnywhere() {
        var s = F.loadedState()
        XCTAssertEqual(F.press([.ctrl("l")], &s), [.repaint])
        F.press([.char("?")], &s)
        XCTAssertEqual(F.press([.ctrl("l")], &s), [.repaint])
    }

    func testReadOnlyRefusesEveryWriteBindingOfBothGenerations() {
        for generation in APIGeneration.allCases {
            for b in Keymap.bindings where b.applies(to: generation) && b.action.isWrite {
                var s = generation == .v2 ? BranchFixtures.loadedState() : F.loadedState()
                s.readOnly = true
                for pane in [0, 1, 2] {
                    var t = s
                    F.press(Array(repeating: Key.tab, count: pane), &t)
                    for k in b.keys {
                        var u = t
                        let fx = F.press([k], &u)
                        XCTAssertTrue(fx.allSatisfy { !$0.isWrite }, "\(generation) \(b.label) in pane \(pane) sent \(fx)")
                        XCTAssertNil(u.overlay.flatMap { if case .help = $0 { return nil } else { return $0 } }, "\(generation) \(b.label) opened a dialog")
                        XCTAssertEqual(u.status?.isError, true)
                        XCTAssertTrue(u.status?.text.contains("read-only") == true, "\(generation) \(b.label): \(u.status?.text ?? "")")
                    }
                }
            }
        }
    }

    /// No answer to a fork: the dialog closes (Enter there would fork a second draft of the same name) and
    /// the lists are read again to show whether it was made.
    func testAForkWithNoAnswerClosesTheDialogAndReadsTheListsAgain() {
        var s = F.loadedState()
        F.press([.tab, .char("n")] + F.typing("lost"), &s)
        let sent = F.press([.enter], &s)
        guard case .forkDraft? = sent.first else { return XCTFail("\(sent)") }
        let fx = update(&s, .failed(sent[0], EffectFailure(kind: .timeout, reason: "the server did not answer in time")))
        XCTAssertNil(s.overlay, "no dialog left to press Enter in")
        XCTAssertTrue(fx.contains(.loadDrafts(agentId: Fixtures.agentId(0))), "\(fx)")
        XCTAssertTrue(s.status?.text.contains("may or may not have been applied") == true, s.status?.text ?? "")
        // A name the server refused still keeps its dialog.
        F.press([.char("n")] + F.typing("taken"), &s)
        let again = F.press([.enter], &s)
        _ = update(&s, .failed(again[0], EffectFailure(kind: .rejected, status: 400, reason: "a draft with that name exists")))
        guard case .input(let p)? = s.overlay else { return XCTFail("the refused name keeps its dialog") }
        XCTAssertEqual(p.error, "400 a draft with that name exists")
    }

    /// A draft name another draft already has — ignoring case and accents, as the CLI compares — keeps the
    /// dialog with the reason and sends nothing (QA: the TUI made "BEHIND" beside "behind").
    func testADraftNameAlreadyTakenIsRefusedInTheDialog() {
        var s = F.loadedState()
        F.press([.tab, .char("n")] + F.typing("FIX Gréeting"), &s)
        XCTAssertEqual(F.press([.enter], &s), [], "nothing is sent")
        guard case .input(let p)? = s.overlay else { return XCTFail("the dialog stays") }
        XCTAssertEqual(p.error, "a draft named \"fix greeting\" already exists — choose another name (names are compared ignoring case and accents)")
        F.press([.ctrl("u")] + F.typing("fresh"), &s)
        guard case .forkDraft? = F.press([.enter], &s).first else { return XCTFail("a free name forks") }
    }
}
