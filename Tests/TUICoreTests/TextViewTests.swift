import XCTest
import AtomsModels
@testable import TUICore

/// The message log, search inside text, the help overlay's scrolling and the detail area's paging/wrapping.
final class TextViewTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0)

    // MARK: - Message log

    func testEveryStatusMessageIsLoggedInFullWithItsTimeAndFailureDetails() {
        var s = F.loadedState()
        s.utcOffsetSeconds = 0
        let long = "writes are frozen for a maintenance window that started at 11:00 and lasts until the operators say so, which is usually about an hour"
        let failure = EffectFailure(kind: .frozen, status: 423, reason: long, hint: "reads still work; try again later", requestId: "req-42")
        _ = update(&s, .failed(.discardDraft(agentId: a0, draftId: "d"), failure))
        _ = update(&s, .tick(F.now.addingTimeInterval(5)))
        F.press([.tab, .tab, .char("a")], &s)  // a refused key: its reason is logged too
        let entries = s.messageLog.entries
        XCTAssertEqual(entries.count, 2)
        XCTAssertTrue(entries[0].isError)
        XCTAssertTrue(entries[0].text.contains(long), "kept in full: \(entries[0].text)")
        XCTAssertEqual(entries[0].time, F.now)
        XCTAssertEqual(entries[0].details, ["reason: " + long, "HTTP status: 423", "hint: reads still work; try again later", "request id: req-42"])
        XCTAssertEqual(entries[1].time, F.now.addingTimeInterval(5))

        // The status line is cut and says where the rest is; the reason comes before any request detail.
        let screen = render(s, Size(width: 80, height: 24))
        let status = screen.rowText(22)
        XCTAssertFalse(status.contains("(M: details)"), "the short refusal fits: \(status)")
        _ = update(&s, .failed(.discardDraft(agentId: a0, draftId: "d"), failure))
        let cut = render(s, Size(width: 80, height: 24)).rowText(22)
        XCTAssertTrue(cut.hasSuffix("(M: details)"), cut)
        // A confirmation too long for the line says where the rest is too, shortly.
        _ = update(&s, .copied(what: "the id of a version with a very long name that does not fit on an eighty column status line at all", text: "x", refusal: nil))
        let confirmation = render(s, Size(width: 80, height: 24)).rowText(22)
        XCTAssertTrue(confirmation.hasSuffix("… (M)"), confirmation)
        XCTAssertTrue(cut.contains("423 writes are frozen"), cut)
        XCTAssertFalse(cut.contains("DELETE") || cut.contains("/agent/"), cut)

        // M opens the log at its newest entry; the whole text and its details are there.
        F.press([.char("M")], &s)
        guard case .messageLog? = s.overlay else { return XCTFail("M did not open the log") }
        let text = render(s, Size(width: 120, height: 32)).text
        XCTAssertTrue(text.contains("Messages (4)"), text)
        XCTAssertTrue(text.contains("12:00:00 ✗ 423 writes are frozen"), text)
        XCTAssertTrue(text.contains("request id: req-42"), text)
        XCTAssertTrue(text.contains("usually about an hour"), text)
        // The clock is local: at UTC+05:30 the same entry reads 17:30:00.
        s.utcOffsetSeconds = 5 * 3600 + 1800
        XCTAssertTrue(render(s, Size(width: 120, height: 32)).text.contains("17:30:00 ✗ 423 writes are frozen"))
        s.utcOffsetSeconds = -13 * 3600
        XCTAssertTrue(render(s, Size(width: 120, height: 32)).text.contains("23:00:00 ✗ 423 writes are frozen"), "the day before")
        s.utcOffsetSeconds = 0
        F.press([.escape], &s)
        XCTAssertNil(s.overlay)
        F.press([.char(":")], &s)
        guard case .messageLog? = s.overlay else { return XCTFail(": did not open the log") }
        F.press([.char(":")], &s)
        XCTAssertNil(s.overlay)
    }

    func testTheLogIsBoundedAndRepeatsOfTheSameMessageAreOneEntry() {
        var s = F.loadedState()
        let before = s.messageLog.entries.count
        F.press([.tab, .tab, .tab, .char("a")], &s)
        F.press([.char("a")], &s)
        XCTAssertEqual(s.messageLog.entries.count, before + 1, "the same refusal again is not a new message")
        var log = MessageLog()
        for i in 0..<(MessageLog.capacity + 10) { log.append(.init(time: F.now, text: "m\(i)", isError: false)) }
        XCTAssertEqual(log.entries.count, MessageLog.capacity)
        XCTAssertEqual(log.entries.first?.text, "m10")
    }

    // MARK: - Search

    func testMatchingIgnoresCaseAndAccents() {
        let ms = TextMatcher.matches(of: "cafe", in: ["Café CAFE", "no", "un café"])
        XCTAssertEqual(ms, [TextMatch(line: 0, start: 0, length: 4), TextMatch(line: 0, start: 5, length: 4), TextMatch(line: 2, start: 3, length: 4)])
        XCTAssertEqual(TextMatcher.matches(of: "ÉTÉ", in: ["l'ete"]), [TextMatch(line: 0, start: 2, length: 3)])
        XCTAssertEqual(TextMatcher.matches(of: "", in: ["x"]), [])
    }

    func testSlashInTheDetailAreaSearchesHighlightsAndNMovesBetweenMatches() {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)  // Drafts
        _ = update(&s, .configLoaded(agentId: a0, source: .draft(F.draftId(0, 1)), config: F.config))
        F.press([.enter], &s)
        XCTAssertEqual(s.focus, .detail)
        F.press([.char("/")] + F.typing("HELP"), &s)
        let lines = s.detailContent().lines.map(\.text)
        let expected = TextMatcher.matches(of: "help", in: lines)
        XCTAssertEqual(expected.count, 2, lines.joined(separator: "\n"))
        var screen = render(s, s.size)
        XCTAssertTrue(screen.rowText(30).contains("/HELP▏  1/2"), screen.rowText(30))
        XCTAssertTrue(screen.text.contains("helpful"))
        XCTAssertTrue(screen.styleText.contains("matchCurrent"), screen.styleText)
        XCTAssertTrue(screen.styleText.contains(" match"), screen.styleText)
        F.press([.enter], &s)
        // n moves to the next match (n no longer forks while a search is on); N back; it wraps.
        XCTAssertEqual(F.press([.char("n")], &s), [])
        XCTAssertNil(s.overlay, "n did not open the fork dialog")
        screen = render(s, s.size)
        XCTAssertTrue(screen.rowText(30).contains("/HELP  2/2"), screen.rowText(30))
        F.press([.char("n")], &s)
        XCTAssertTrue(render(s, s.size).rowText(30).contains("1/2"))
        F.press([.char("N")], &s)
        XCTAssertTrue(render(s, s.size).rowText(30).contains("2/2"))
        // Esc ends the search; n forks again.
        F.press([.escape], &s)
        XCTAssertNil(s.detailSearch)
        XCTAssertFalse(render(s, s.size).styleText.contains("match"))
        F.press([.char("n")], &s)
        guard case .input? = s.overlay else { return XCTFail("n forks once the search ended") }
    }

    func testSlashStillFiltersInTheListPanes() {
        var s = F.loadedState()
        F.press([.char("/")], &s)
        XCTAssertNotNil(s.filterEditor)
        XCTAssertNil(s.detailSearch)
    }

    func testSearchInTheHelpScrollsToTheMatchAndSaysWhichOfHowMany() {
        var s = F.loadedState(size: Size(width: 80, height: 24))
        F.press([.char("?"), .char("/")] + F.typing("DRAFT"), &s)
        guard case .help(let p)? = s.overlay else { return XCTFail("help closed") }
        let g = s.panelGeometry(.help)
        let ms = s.panelMatches(.help, p, g)
        XCTAssertGreaterThanOrEqual(ms.count, 2)
        XCTAssertTrue(ms[0].line >= p.scroll && ms[0].line < p.scroll + g.visible, "the first match is scrolled into view")
        let screen = render(s, s.size)
        XCTAssertTrue(screen.rowText(22).contains("/DRAFT▏  1/\(ms.count)"), screen.rowText(22))
        XCTAssertTrue(screen.styleText.contains("matchCurrent"))
        F.press([.enter, .char("n")], &s)
        XCTAssertTrue(render(s, s.size).rowText(22).contains("2/\(ms.count)"))
        F.press([.escape], &s)
        guard case .help(let q)? = s.overlay else { return XCTFail("the first Esc ends the search only") }
        XCTAssertNil(q.search)
        F.press([.escape], &s)
        XCTAssertNil(s.overlay)
    }

    func testSearchInTheMessageLog() {
        var s = F.loadedState()
        _ = update(&s, .failed(.discardDraft(agentId: a0, draftId: "d"), EffectFailure(kind: .server, status: 503, reason: "Überlastet")))
        F.press([.char("M"), .char("/")] + F.typing("uberlastet") + [.enter], &s)
        XCTAssertTrue(render(s, s.size).rowText(30).contains("/uberlastet  1/2"), render(s, s.size).rowText(30))
    }

    // MARK: - Help overlay

    func testHelpUsesTheTerminalHeightStopsAtItsEndAndKeepsItsFooter() {
        for size in [Size(width: 120, height: 32), Size(width: 80, height: 24), Size(width: 40, height: 12)] {
            var s = F.loadedState(size: size)
            F.press([.char("?")], &s)
            let g = s.panelGeometry(.help)
            XCTAssertEqual(g.rect.height, size.height - 2, "\(size): the help is as tall as the terminal allows")
            F.press(Array(repeating: .char("j"), count: 400), &s)
            guard case .help(let p)? = s.overlay else { return XCTFail() }
            XCTAssertEqual(p.scroll, g.maxScroll, "\(size): scrolling stops at the end")
            let screen = render(s, size)
            // The last help line and the whole footer show.
            XCTAssertTrue(screen.text.contains(g.lines.last!.text.trimmingSpaces), "\(size)\n\(screen.text)")
            for f in g.footer { XCTAssertTrue(screen.text.contains(f), "\(size): footer line cut: \(f)\n\(screen.text)") }
            XCTAssertTrue(g.footer.joined(separator: " ").contains("Esc closes"))
        }
    }

    func testV2HelpSaysRevisionsAndBranches() {
        var s = BranchFixtures.loadedState()
        let help = s.helpLines().map { $0.help + ($0.disabled ?? "") }.joined(separator: "\n")
        XCTAssertFalse(help.contains("version"), help)
        XCTAssertTrue(help.contains("Reload the agents and the selected agent's history and branches"), help)
        F.press([.char("?")], &s)
        let shown = render(s, s.size).text.replacingOccurrences(of: AtomsToolVersion.line.prefix(60), with: "")
        XCTAssertFalse(shown.contains("version"), shown)
        let v1 = F.loadedState().helpLines().map(\.help).joined(separator: "\n")
        XCTAssertTrue(v1.contains("versions and drafts"))
    }

    func testHelpExplainsTheDotPlaceholders() {
        let s = F.loadedState()
        XCTAssertTrue(s.helpNotes()[0].contains("· in the Agents pane's Drafts and Live columns: not known yet"))
    }

    // MARK: - Detail area

    func testWrapBreaksAtWordBoundariesAndKeepsOffsets() {
        let pieces = TextWrap.wrap("the quick brown fox jumps", width: 10)
        XCTAssertEqual(pieces.map(\.text), ["the quick", "brown fox", "jumps"])
        XCTAssertEqual(pieces.map(\.offset), [0, 10, 20])
        XCTAssertEqual(TextWrap.wrap("abcdefghijkl", width: 5).map(\.text), ["abcde", "fghij", "kl"])
        XCTAssertEqual(TextWrap.wrap("    indented words here", width: 10).map(\.text), ["    indent", "ed words", "here"], "indentation is no place to break")
        XCTAssertEqual(TextWrap.wrap("", width: 5).map(\.text), [""])
        XCTAssertEqual(TextWrap.wrap("+ abcdefghijklmnop", width: 8).map(\.text), ["+ abcdef", "ghijklmn", "op"], "a word longer than a line is cut, not moved")
    }

    func testWrappedIndentedLinesContinueUnderTheirText() {
        let pieces = TextWrap.wrap("    alpha beta gamma delta", width: 14, hangingIndent: true)
        XCTAssertEqual(pieces.map(\.text), ["    alpha beta", "gamma", "delta"])
        XCTAssertEqual(pieces.map(\.indent), [0, 4, 4], "continuations start under the line's text")
        XCTAssertEqual(pieces.map(\.offset), [0, 15, 21])
        XCTAssertEqual(TextWrap.wrap("    alpha beta gamma delta", width: 14).map(\.indent), [0, 0], "off unless asked")
        XCTAssertEqual(TextWrap.wrap("        abcdefghijklmnop", width: 12, hangingIndent: true).map(\.indent), [0, 0],
                       "an indent over half the width is not kept")
        for piece in TextWrap.wrap("  " + String(repeating: "word ", count: 30), width: 20, hangingIndent: true) {
            XCTAssertLessThanOrEqual(piece.indent + DisplayWidth.of(piece.text), 20, "a piece fits its row: \(piece)")
        }
    }

    func testTheDetailWrapsAnIndentedPromptUnderItsText() {
        var s = F.loadedState()
        var config = F.config
        let paragraph = "Paragraph one tells the agent to answer callers about orders, returns and delivery windows, briefly and kindly."
        config["singlePromptConfig"] = ["prompt": .string(paragraph + "\n" + paragraph), "tools": []]
        F.press([.tab, .tab], &s)
        _ = update(&s, .configLoaded(agentId: a0, source: .draft(F.draftId(0, 1)), config: config))
        let screen = render(s, s.size)
        let box = Layout(size: s.size, focus: s.focus, detailOwner: s.detailOwner).detail!
        let rows = ((box.y + 1)..<(box.y + box.height - 1)).map { screen.rowText($0) }
        guard let first = rows.firstIndex(where: { $0.contains("Paragraph one") }) else {
            return XCTFail("the prompt shows: \(screen.text)")
        }
        let textColumn = rows[first].distance(from: rows[first].startIndex, to: rows[first].range(of: "Paragraph")!.lowerBound)
        let next = rows[first + 1]
        let nextColumn = next.distance(from: next.startIndex, to: next.firstIndex { $0 != " " && $0 != "│" }!)
        XCTAssertEqual(nextColumn, textColumn, "the wrapped rest of the line starts under its text:\n\(rows[first])\n\(next)")
    }

    func testGShowsTheLastPageAndLongLinesWrapAtWords() {
        var s = F.loadedState()
        var config = F.config
        let prompt = (1...60).map { "Line \($0) of the prompt says something reasonably long so that it has to wrap on a narrow terminal." }.joined(separator: "\n")
        config["singlePromptConfig"] = ["prompt": .string(prompt), "tools": []]
        F.press([.tab, .tab], &s)
        _ = update(&s, .configLoaded(agentId: a0, source: .draft(F.draftId(0, 1)), config: config))
        F.press([.enter, .char("G")], &s)
        let screen = render(s, s.size)
        let lines = s.detailContent().lines
        XCTAssertEqual(s.detailScroll, s.detailMaxScroll(lines))
        XCTAssertGreaterThan(s.detailScroll, 0)
        // The last page is full: the first text row is not blank and the last line of the config shows.
        let (_, rows) = s.detailTextGeometry()!
        let box = Layout(size: s.size, focus: s.focus, detailOwner: s.detailOwner).detail!
        let top = screen.rowText(box.y + 1), bottom = screen.rowText(box.y + rows)
        XCTAssertGreaterThan(top.filter { $0 != " " && $0 != "│" }.count, 0, "the page starts full: \(screen.text)")
        let lastWords = String(lines.last!.text.trimmingSpaces.suffix(12))
        XCTAssertTrue(bottom.contains(lastWords) || screen.rowText(box.y + rows - 1).contains(lastWords), "the last line shows at the bottom: \(screen.text)")
        // j past the end does not scroll further.
        let end = s.detailScroll
        F.press([.char("j"), .char("j")], &s)
        XCTAssertEqual(s.detailScroll, end)
        // Words are not cut at the edge: every row ends with a whole word of the text.
        let words = Set(prompt.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        for y in (box.y + 1)...(box.y + rows) {
            let row = screen.rowText(y)
            guard row.contains("Line") || row.contains("wrap") else { continue }
            for w in row.split(separator: " ") where w != "│" && w != "|" && !w.hasPrefix("│") && !w.hasSuffix("│") {
                XCTAssertTrue(words.contains(String(w)) || w == "-" || w.hasSuffix(":"), "a word was cut: \(w) in \(row)")
            }
        }
    }

    func testAVersionDescriptionKeepsItsLineBreaks() {
        var s = F.loadedState()
        var page = s.versions[a0]!
        page.items[0].description = "First line\nSecond line"
        s.versions[a0] = page
        F.press([.tab], &s)
        let lines = s.detailContent().lines.map(\.text)
        XCTAssertTrue(lines.contains("First line") && lines.contains("Second line"), lines.joined(separator: "\n"))
        XCTAssertFalse(lines.joined().contains("␤"))
    }
}

/// Pane jumps, wrapping Tab, sorting.
final class NavigationTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0)

    func testTabWrapsBothWays() {
        var s = F.loadedState()
        F.press([.tab, .tab], &s)
        XCTAssertEqual(s.focus, .drafts)
        F.press([.tab], &s)
        XCTAssertEqual(s.focus, .agents, "Tab from Drafts wraps to Agents")
        F.press([.backTab], &s)
        XCTAssertEqual(s.focus, .drafts, "S-Tab from Agents wraps to Drafts")
    }

    func testNumberKeysJumpToPanesAndTOpensTheThreeWayView() {
        var s = F.loadedState()
        F.press([.char("2")], &s)
        XCTAssertEqual(s.focus, .versions)
        F.press([.char("3")], &s)
        XCTAssertEqual(s.focus, .drafts)
        XCTAssertEqual(F.press([.char("t")], &s).first.map { if case .loadReview = $0 { return true }; return false }, true)
        s.overlay = nil
        s.publish = nil
        F.press([.char("1")], &s)
        XCTAssertEqual(s.focus, .agents)
        XCTAssertTrue(render(s, s.size).text.contains("Agents"))
    }

    func testSCyclesTheAgentOrderKeepingTheSelection() {
        var s = F.loadedState()
        F.press([.down, .down], &s)  // "Billing 🤖 helper"
        let selected = s.selectedAgentId
        F.press([.char("s")], &s)
        XCTAssertEqual(s.agentSort, .name)
        XCTAssertEqual(s.agentRows.map(\.name), F.agentNames.sorted { $0.localizedStandardCompare($1) == .orderedAscending })
        XCTAssertEqual(s.selectedAgentId, selected)
        XCTAssertEqual(s.agentRows[s.position(.agents).cursor].id, selected, "the cursor stays on the selected agent")
        XCTAssertTrue(render(s, s.size).rowText(0).contains("Agents 8/8 · by name"), render(s, s.size).rowText(0))
        XCTAssertEqual(s.status?.text, "Agents by name — s again: by last update, newest first")
        F.press([.char("s")], &s)
        XCTAssertEqual(s.agentRows.first?.name, "Support Bot", "most recently updated first")
        F.press([.char("s")], &s)
        XCTAssertEqual(s.agentSort, .server)
        XCTAssertEqual(s.agentRows.map(\.name), F.agentNames)
    }

    func testSSortsVersionsByAgeAndIsRefusedInDrafts() {
        var s = F.loadedState()
        var page = s.versions[a0]!
        page.items[3].publishedAt = F.iso(minutesAgo: 1)  // v2 republished most recently
        s.versions[a0] = page
        F.press([.tab, .char("s")], &s)
        XCTAssertEqual(s.versionRows.map(\.displayNumber), ["v2", "v5", "v4", "v3", "v1"])
        XCTAssertTrue(render(s, s.size).rowText(0).contains("· by age"))
        F.press([.char("s")], &s)
        XCTAssertEqual(s.versionRows.map(\.displayNumber), ["v5", "v4", "v3", "v2", "v1"])
        F.press([.tab, .char("s")], &s)
        XCTAssertEqual(s.status?.text, "s sort: sorting works in the Agents and Versions panes")
    }

    func testAForkedDraftIsSelected() {
        var s = F.loadedState()
        F.press([.tab, .down], &s)
        var d = F.drafts()[0]
        d.id = "new-row"; d.draftId = F.draftId(0, 9); d.draftName = "forked"
        _ = update(&s, .draftForked(agentId: a0, draft: d))
        XCTAssertEqual(s.focus, .drafts)
        XCTAssertEqual(s.selectedDraft?.draftName, "forked")
    }
}

/// Without a UTF-8 locale everything drawn is ASCII.
final class ASCIIFallbackTests: XCTestCase {
    typealias F = Fixtures

    func testBordersMarksAndWideTextFallBackToASCII() {
        var s = F.loadedState()
        s.asciiOnly = true
        let screen = render(s, s.size)
        XCTAssertTrue(screen.text.unicodeScalars.allSatisfy { $0.isASCII }, screen.text)
        XCTAssertTrue(screen.rowText(0).hasPrefix("+ Agents 8/8 ---"), screen.rowText(0))
        XCTAssertTrue(screen.text.contains("||*    v4"), "the active mark: \(screen.text)")
        XCTAssertTrue(screen.text.contains("|Sales ?????? ??????~ "), "a wide character keeps its two cells: \(screen.text)")
        XCTAssertTrue(screen.text.contains("Billing ?? helper"), screen.text)
        // The same frame with UTF-8 has the box drawing; columns line up between the two.
        s.asciiOnly = false
        let unicode = render(s, s.size)
        XCTAssertTrue(unicode.rowText(0).hasPrefix("┌ Agents"))
        for y in 0..<screen.height { XCTAssertEqual(screen.styleRuns(y).map(\.start), unicode.styleRuns(y).map(\.start), "row \(y)") }
    }

    func testDialogsAndHelpToo() {
        var s = F.loadedState(size: Size(width: 80, height: 24))
        s.asciiOnly = true
        F.press([.char("?")], &s)
        XCTAssertTrue(render(s, s.size).text.unicodeScalars.allSatisfy { $0.isASCII })
        F.press([.escape, .tab, .tab, .char("x")], &s)
        XCTAssertTrue(render(s, s.size).text.unicodeScalars.allSatisfy { $0.isASCII })
    }
}

/// Clicks focus panes and select rows; the wheel scrolls what is under it.
final class MouseTests: XCTestCase {
    typealias F = Fixtures

    func testAClickFocusesThePaneAndSelectsTheRowClicked() {
        var s = F.loadedState()  // 120×32: Agents x 0..<36, Versions 36..<84, Drafts 84..<120; rows start at y 2
        let fx = F.press([.mouse(MouseEvent(x: 5, y: 4, kind: .click))], &s)
        XCTAssertEqual(s.focus, .agents)
        XCTAssertEqual(s.position(.agents).cursor, 2)
        XCTAssertEqual(s.selectedAgentId, F.agentId(2))
        XCTAssertTrue(fx.contains(.loadVersions(agentId: F.agentId(2), skip: 0, limit: 50)), "\(fx)")
        F.press([.mouse(MouseEvent(x: 0, y: 2, kind: .click))], &s)
        F.press([.mouse(MouseEvent(x: 50, y: 3, kind: .click))], &s)
        XCTAssertEqual(s.focus, .versions)
        XCTAssertEqual(s.selectedVersion?.displayNumber, "v4")
        // A click on the header or below the rows selects nothing new.
        F.press([.mouse(MouseEvent(x: 50, y: 1, kind: .click)), .mouse(MouseEvent(x: 50, y: 12, kind: .click))], &s)
        XCTAssertEqual(s.selectedVersion?.displayNumber, "v4")
        XCTAssertTrue(render(s, s.size).text.contains("Config of v4"))
    }

    func testTheWheelMovesTheListUnderItAndScrollsTheHelp() {
        var s = F.loadedState()
        F.press([.mouse(MouseEvent(x: 5, y: 5, kind: .wheelDown))], &s)
        XCTAssertEqual(s.position(.agents).cursor, 3)
        F.press([.mouse(MouseEvent(x: 5, y: 5, kind: .wheelUp))], &s)
        XCTAssertEqual(s.position(.agents).cursor, 0)
        F.press([.char("?"), .mouse(MouseEvent(x: 50, y: 10, kind: .wheelDown))], &s)
        XCTAssertEqual(s.overlay, .help(TextPanel(scroll: 3)))
        F.press([.mouse(MouseEvent(x: 50, y: 10, kind: .click))], &s)
        XCTAssertEqual(s.overlay, .help(TextPanel(scroll: 3)), "a click in a dialog does nothing")
    }

    func testDialogsIgnoreTheMouse() {
        var s = F.loadedState()
        F.press([.tab, .tab, .char("x")], &s)
        XCTAssertEqual(F.press([.mouse(MouseEvent(x: 5, y: 4, kind: .click))], &s), [])
        guard case .confirm? = s.overlay else { return XCTFail("the dialog closed") }
        XCTAssertEqual(s.focus, .drafts)
    }
}

/// Key names in dialog footers and in the legend are buttons: a click acts like the key.
final class ButtonClickTests: XCTestCase {
    typealias F = Fixtures

    /// The cell where `text` starts on the screen (first row that holds it), for clicking.
    func cell(of text: String, in s: AppState, below: Int = 0) -> MouseEvent? {
        let screen = render(s, s.size)
        for y in below..<screen.height {
            let row = screen.rowText(y)
            if let r = row.range(of: text) {
                return MouseEvent(x: DisplayWidth.of(String(row[..<r.lowerBound])), y: y, kind: .click)
            }
        }
        return nil
    }

    func testFooterWordsThatNameKeysBecomeButtons() {
        func keys(_ line: String, continuation: Bool = false) -> [String] {
            Screen.keyButtons(in: line, continuation: continuation).map { "\($0.key)@\($0.offset)+\($0.width)" }
        }
        XCTAssertEqual(keys("Enter publish · Tab field · ^N new line · PgUp/PgDn diff · Esc cancel"),
                       ["Enter@0+5", "Tab@16+3", "^N@28+2", "PgUp@42+4", "PgDn@47+4", "Esc@59+3"])
        XCTAssertEqual(keys("Press y to confirm · n, Esc or Enter cancels  [y/N]"), ["y@6+1", "n@21+1", "Esc@24+3", "Enter@31+5"])
        XCTAssertEqual(keys("e edit again (theirs + your changes) · o overwrite with yours · c/Esc cancel (your text is kept)"),
                       ["e@0+1", "o@39+1", "c@64+1", "Esc@66+3"])
        XCTAssertEqual(keys("any other key closes"), [], "prose is not a button")
        XCTAssertEqual(keys("new line · Esc cancel", continuation: true), ["Esc@11+3"], "a wrapped row's start is not a key")
        XCTAssertEqual(keys("Enter pressed: waiting for the review · Esc cancel", continuation: true), ["Esc@40+3"])
    }

    func testAClickOnYInAConfirmationDoesWhatYDoes() throws {
        var s = F.loadedState()
        F.press([.tab, .tab, .char("x")], &s)
        guard case .confirm? = s.overlay else { return XCTFail("no confirmation") }
        var typed = s
        let byKey = F.press([.char("y")], &typed)
        guard case .discardDraft? = byKey.first else { return XCTFail("y did not discard: \(byKey)") }
        let y = try XCTUnwrap(cell(of: "Press y", in: s))
        // "Press" itself is not a button; the y after it is.
        XCTAssertEqual(F.press([.mouse(y)], &s), [])
        guard case .confirm? = s.overlay else { return XCTFail("a click on \"Press\" closed the dialog") }
        let fx = F.press([.mouse(MouseEvent(x: y.x + 6, y: y.y, kind: .click))], &s)
        XCTAssertEqual(fx, byKey)
        XCTAssertNil(s.overlay)
    }

    func testAClickOnEscClosesTheHelpAndTheInputAndThePublishReview() throws {
        var s = F.loadedState()
        F.press([.char("?")], &s)
        let esc = try XCTUnwrap(cell(of: "Esc closes", in: s))
        F.press([.mouse(esc)], &s)
        XCTAssertNil(s.overlay, "the help's Esc closes it")
        F.press([.tab, .tab, .char("r")], &s)
        guard case .input? = s.overlay else { return XCTFail("no rename dialog") }
        let cancel = try XCTUnwrap(cell(of: "Esc cancel", in: s))
        F.press([.mouse(cancel)], &s)
        XCTAssertNil(s.overlay)
        F.press([.char("p")], &s)
        XCTAssertNotNil(s.publish)
        let stop = try XCTUnwrap(cell(of: "Esc cancel", in: s))
        F.press([.mouse(stop)], &s)
        XCTAssertNil(s.publish, "the review's Esc cancel closes it")
    }

    func testTheLegendIsClickableOnlyWhenNothingModalIsOpen() throws {
        var s = F.loadedState()
        let help = try XCTUnwrap(cell(of: "? help", in: s, below: s.size.height - 1))
        F.press([.mouse(help)], &s)
        XCTAssertEqual(s.overlay, .help(TextPanel()), "the legend's ? opens the help")
        F.press([.escape, .tab, .tab, .char("r")], &s)
        guard case .input(let before)? = s.overlay else { return XCTFail("no rename dialog") }
        let fork = try XCTUnwrap(cell(of: "n fork", in: s, below: s.size.height - 1))
        XCTAssertEqual(F.press([.mouse(fork)], &s), [])
        XCTAssertEqual(s.overlay, .input(before), "a legend click does not type into the dialog")
    }
}

/// The agents pane's `·` (drafts and live number not read yet) is explained where it shows.
final class PlaceholderTests: XCTestCase {
    typealias F = Fixtures

    func testTheBorderExplainsTheDotWhileARowOnScreenShowsOne() {
        var s = F.loadedState()
        XCTAssertTrue(render(s, s.size).rowText(14).contains("· = not read yet (Enter)"), render(s, s.size).text)
        XCTAssertTrue(render(s, s.size).text.contains("drafts   2"), "agent 0 was read")
        F.press([.down], &s)
        XCTAssertTrue(render(s, s.size).text.contains("drafts   · not read yet — Enter opens the agent and reads them"))
        // Once every agent on screen has been read, the note goes.
        for i in 0..<F.agentNames.count {
            _ = update(&s, .versionsLoaded(agentId: F.agentId(i), skip: 0, list: VersionList(versions: F.versions(agent: i), total: 5)))
            _ = update(&s, .draftsLoaded(agentId: F.agentId(i), drafts: F.drafts(agent: i)))
        }
        XCTAssertFalse(render(s, s.size).text.contains("not read yet"), render(s, s.size).text)
    }
}

/// Live refresh in the background.
final class WatchTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0)

    func testEveryAgentPageOnScreenIsReadAgainAndKeepsTheOthers() throws {
        // Pages of 10; three loaded (30 agents); the cursor on agent 25, so rows ~14–25 show (pages 2 and 3).
        var s = AppState(isDemo: true, apiGeneration: .v1, accountLabel: "demo@atoms", now: F.now, size: Size(width: 120, height: 32),
                         agentPageSize: 10)
        _ = update(&s, .resized(width: 120, height: 32))
        _ = update(&s, .started)
        for page in 1...3 {
            _ = update(&s, .agentsLoaded(page: page, search: nil, list: F.agentList(F.agents(count: 10, offset: (page - 1) * 10), total: 30, hasMore: page < 3)))
        }
        s.watchInterval = 30
        F.press(Array(repeating: .down, count: 25), &s)
        XCTAssertEqual(s.selectedAgentId, F.agentId(25))
        let scroll = s.position(.agents).scroll
        XCTAssertGreaterThan(scroll, 10, "the first page is off screen")
        let fx = update(&s, .tick(F.now.addingTimeInterval(31)))
        XCTAssertEqual(fx.filter { if case .loadAgents = $0 { return true }; return false },
                       [.loadAgents(page: 1, pageSize: 10, search: nil), .loadAgents(page: 2, pageSize: 10, search: nil),
                        .loadAgents(page: 3, pageSize: 10, search: nil)], "page 1 (new agents) and the pages on screen")
        // Page 2 read again: agent 12 was deleted elsewhere, agent 99 is new; pages 1 and 3 stay.
        var page2 = F.agents(count: 10, offset: 10).filter { $0.id != F.agentId(12) }
        page2.insert(F.agents(count: 1, offset: 99)[0], at: 0)
        _ = update(&s, .agentsLoaded(page: 2, search: nil, list: F.agentList(page2, total: 30, hasMore: true)))
        XCTAssertEqual(s.agents.count, 30)
        XCTAssertFalse(s.agents.contains { $0.id == F.agentId(12) })
        XCTAssertEqual(s.agents[10].id, F.agentId(99))
        XCTAssertEqual(s.agents.last?.id, F.agentId(29), "page 3 is kept")
        XCTAssertEqual(s.selectedAgentId, F.agentId(25), "the cursor stays on its agent")
        XCTAssertFalse(s.agentsHasMore, "whether more follow is the last page's word, not page 2's")
        // Page 1 read again while three are loaded does not drop pages 2 and 3.
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents(count: 10), total: 30, hasMore: true)))
        XCTAssertEqual(s.agents.count, 30)
        XCTAssertEqual(s.agentPagesLoaded, 3)
        // R reads the same pages.
        let r = F.press([.char("R")], &s).filter { if case .loadAgents = $0 { return true }; return false }
        XCTAssertEqual(r.count, 3, "\(r)")
    }

    func testListsAreReadAgainEveryIntervalAndTheStatusLineSaysWhen() {
        var s = F.loadedState()
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(300))), [], "off unless asked for (--no-watch is the Runtime's default off switch)")
        s = F.loadedState()
        s.watchInterval = 30
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(12))), [])
        XCTAssertTrue(render(s, s.size).rowText(30).hasSuffix("updated 12 s ago"), render(s, s.size).rowText(30))
        _ = update(&s, .failed(.loadDrafts(agentId: a0), EffectFailure(kind: .server, status: 503, reason: "down")))
        XCTAssertFalse(render(s, s.size).rowText(30).contains("updated"), "a message has the line to itself")
        F.press([.escape], &s)
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(31))),
                       [.loadAgents(page: 1, pageSize: 50, search: nil), .loadVersions(agentId: a0, skip: 0, limit: 50), .loadDrafts(agentId: a0)])
        XCTAssertEqual(update(&s, .tick(F.now.addingTimeInterval(32))), [], "once per interval")
        XCTAssertNil(s.status, "no Refreshing… noise")
    }

    func testPausedInDialogsAndWhileTyping() {
        var s = F.loadedState()
        s.watchInterval = 30
        func listLoads(_ fx: [Effect]) -> [Effect] {
            fx.filter { switch $0 { case .loadAgents, .loadVersions, .loadDrafts: return true; default: return false } }
        }
        F.press([.tab, .tab, .char("x")], &s)
        XCTAssertEqual(listLoads(update(&s, .tick(F.now.addingTimeInterval(31)))), [], "a dialog is open")
        F.press([.escape, .char("/")], &s)
        XCTAssertEqual(listLoads(update(&s, .tick(F.now.addingTimeInterval(62)))), [], "a filter is typed")
        F.press([.enter], &s)
        XCTAssertEqual(listLoads(update(&s, .tick(F.now.addingTimeInterval(93)))).count, 3)
    }

    func testANewRowAboveKeepsTheSelection() {
        var s = F.loadedState()
        s.watchInterval = 30
        F.press([.tab, .down], &s)  // v4
        XCTAssertEqual(s.selectedVersion?.displayNumber, "v4")
        // Someone published v6 meanwhile: it lists first, the cursor stays on v4.
        _ = update(&s, .versionsLoaded(agentId: a0, skip: 0, list: VersionList(versions: F.versions(count: 6), total: 6)))
        XCTAssertEqual(s.selectedVersion?.displayNumber, "v4")
        XCTAssertEqual(s.versionRows.first?.displayNumber, "v6")
        // The agents list reordered: the selected agent stays selected, nothing else is loaded.
        F.press([.char("1")], &s)
        let fx = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(Array(F.agents().reversed()))))
        XCTAssertEqual(s.selectedAgentId, a0)
        XCTAssertEqual(fx, [])
    }
}

/// v2: a branch draft made with `e` on "+ new draft on BRANCH…" is selected once it lists.
final class NewBranchDraftSelectionTests: XCTestCase {
    typealias F = Fixtures
    typealias B = BranchFixtures

    func testTheNewBranchDraftRowIsSelected() {
        var s = B.loadedState()
        let agent = F.agentId(0)
        _ = update(&s, .branchesLoaded(agentId: agent, branches: B.branches(mainDraft: false)))
        F.press([.char("3"), .char("G")], &s)  // Drafts: the "+ new draft on main…" row
        guard case .newDraft? = s.selectedBranchDraftRow else { return XCTFail("not on the new-draft row: \(String(describing: s.selectedBranchDraftRow))") }
        let fx = F.press([.char("e")], &s)
        guard case .beginEdit(let target, _)? = fx.first else { return XCTFail("\(fx)") }
        XCTAssertEqual(target.branchId, B.mainId)
        _ = update(&s, .edit(agentId: agent, draftId: target.draftId, .begun(session: Carried("session"))))
        _ = update(&s, .edit(agentId: agent, draftId: target.draftId, .ready(fields: ["firstMessage"], session: Carried("session"))))
        _ = update(&s, .edit(agentId: agent, draftId: target.draftId, .saved(revision: 1, notPersisted: [], recoveryPath: nil)))
        _ = update(&s, .branchesLoaded(agentId: agent, branches: B.branches(mainDraft: true)))
        guard case .draft(let b)? = s.selectedBranchDraftRow else { return XCTFail("no draft row selected") }
        XCTAssertEqual(b.id, B.mainId, "the new draft's row, not the row that took the cursor's old place")
    }
}

/// Rows made elsewhere show up marked for a moment.
final class FreshRowTests: XCTestCase {
    typealias F = Fixtures

    func testARowThatAppearsOnARefreshIsMarkedBriefly() {
        var s = F.loadedState()
        let a0 = F.agentId(0)
        XCTAssertTrue(s.freshRows.isEmpty, "the first load marks nothing")
        F.press([.tab, .down], &s)  // v4: the new row above does not take the cursor
        _ = update(&s, .versionsLoaded(agentId: a0, skip: 0, list: VersionList(versions: F.versions(count: 6), total: 6)))
        XCTAssertEqual(Array(s.freshRows.keys), [F.versionId(0, 6)])
        let screen = render(s, s.size)
        let y = (0..<screen.height).first { screen.rowText($0).contains("v6") }!
        XCTAssertTrue(screen.styleRuns(y).contains { $0.style == .added }, screen.styleText)
        _ = update(&s, .tick(F.now.addingTimeInterval(AppState.freshFor + 1)))
        let later = render(s, s.size)
        XCTAssertFalse(later.styleRuns(y).contains { $0.style == .added }, "the mark goes away")
    }
}
