import XCTest
import AtomsModels
@testable import TUICore

final class ScreenTests: XCTestCase {
    typealias F = Fixtures

    func testWideCharactersTakeTwoCellsAndClipWhole() {
        var s = Screen(width: 10, height: 2)
        XCTAssertEqual(s.put("日本x", x: 0, y: 0), 5)
        XCTAssertEqual(s[0, 0].width, 2)
        XCTAssertTrue(s[1, 0].isContinuation)
        XCTAssertEqual(s[4, 0].character, "x")
        // Only one cell left for a wide character: a space instead, nothing spills.
        XCTAssertEqual(s.put("ab日", x: 0, y: 1, maxWidth: 3), 3)
        XCTAssertEqual(s.rowText(1), "ab")
        XCTAssertEqual(s[3, 1], .blank)
        // Overwriting half of a wide character leaves no torn glyph.
        s.put("Z", x: 1, y: 0)
        XCTAssertEqual(s.rowText(0), " Z本x")
        XCTAssertEqual(s.text, " Z本x\nab")
    }

    func testPutSanitizesEverything() {
        var s = Screen(width: 30, height: 1)
        s.put("a\u{1B}[2Jb\u{9B}c", x: 0, y: 0)
        XCTAssertEqual(s.rowText(0), "a␛[2Jb\u{FFFD}c")
    }

    func testChangesWriteOnlyChangedCells() {
        var a = Screen(width: 20, height: 3)
        a.put("hello world", x: 0, y: 1)
        XCTAssertEqual(a.changes(from: nil).reduce(0) { $0 + $1.cells }, 60, "the first frame writes everything")
        var b = a
        b.put("W", x: 6, y: 1, style: .bold)
        XCTAssertEqual(b.changes(from: a), [ScreenRun(y: 1, x: 6, text: "W", cells: 1, style: .bold)])
        var c = b
        c.put("日", x: 0, y: 2)
        XCTAssertEqual(c.changes(from: b), [ScreenRun(y: 2, x: 0, text: "日", cells: 2, style: .normal)])
        XCTAssertEqual(c.changes(from: c), [])
        XCTAssertEqual(c.changedRows(from: a), [1, 2])
    }

    func testWideCharactersKeepColumnsAligned() {
        var s = F.loadedState(size: Size(width: 120, height: 32))
        // Stats for every agent so each row has values in the Drafts and Live columns.
        for i in 0..<F.agentNames.count { s.stats[F.agentId(i)] = AgentStats(draftCount: i, activeVersionNumber: 10 + i) }
        let screen = render(s, s.size)
        let pane = s.layout.rect(.agents)!
        let right = pane.x + pane.width - 1
        for row in 1..<(F.agentNames.count + 2) {
            XCTAssertEqual(screen[right, row].character, "│", "row \(row) overflowed: \(screen.rowText(row))")
        }
        // The Live column ends at the same cell in every agent row, whatever the name's width.
        for i in 0..<F.agentNames.count {
            let y = 2 + i
            XCTAssertEqual(screen[right - 1, y].character, Character(String((10 + i) % 10)), screen.rowText(y))
            XCTAssertEqual(screen[right - 3, y].character, "v", screen.rowText(y))
        }
        XCTAssertTrue(screen.rowText(3).contains("│Sales 日本語 アシス…  "), screen.rowText(3))
        XCTAssertTrue(screen.rowText(4).contains("Billing 🤖 helper"))
    }

    func testEverySizeRendersWithoutTornLines() {
        var states: [(String, AppState)] = []
        var panes = F.loadedState()
        _ = update(&panes, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents() + [Agent(id: F.agentId(77), name: String(repeating: "長い名前🤖", count: 40))])))
        states.append(("panes", panes))
        var help = panes
        F.press([.char("?")], &help)
        states.append(("help", help))
        var diff = panes
        F.press([.tab, .char("d")], &diff)
        _ = update(&diff, .diffLoaded(agentId: F.agentId(0), from: .version(F.versionId(0, 4)), to: .version(F.versionId(0, 5)), diff: F.diff))
        F.press([.enter], &diff)
        states.append(("diff", diff))
        var confirm = panes
        F.press([.tab, .down, .down, .char("a")], &confirm)
        states.append(("confirm", confirm))
        var input = panes
        F.press([.tab, .char("n")] + F.typing(String(repeating: "名前", count: 60)), &input)
        states.append(("input", input))
        let widths = [20, 21, 25, 33, 39, 40, 41, 50, 59, 60, 61, 79, 80, 99, 100, 101, 133, 200, 300]
        let heights = [6, 7, 9, 10, 11, 12, 13, 15, 16, 17, 24, 32, 51, 100]
        for (name, base) in states {
            for w in widths {
                for h in heights {
                    var s = base
                    _ = update(&s, .resized(width: w, height: h))
                    let screen = render(s, Size(width: w, height: h))
                    XCTAssertEqual(screen.cells.count, w * h)
                    for y in 0..<h {
                        for x in 0..<w {
                            let c = screen[x, y]
                            if c.width == 2 { XCTAssert(x + 1 < w && screen[x + 1, y].isContinuation, "\(name) \(w)×\(h): torn wide char at \(x),\(y)") }
                            if c.isContinuation { XCTAssert(x > 0 && screen[x - 1, y].width == 2, "\(name) \(w)×\(h): orphan half at \(x),\(y)") }
                        }
                        XCTAssertLessThanOrEqual(DisplayWidth.of(screen.rowText(y)), w)
                    }
                }
            }
        }
    }

    func testACursorMoveChangesOnlyAFewRowsEvenWithTenThousandVersions() {
        var s = F.loadedState()
        _ = update(&s, .versionsLoaded(agentId: F.agentId(0), skip: 0, list: VersionList(versions: F.versions(count: 10_000, from: 10_000), total: 10_000)))
        F.press([.tab], &s)
        var previous = render(s, s.size)
        var scrolled = 0
        for i in 0..<300 {
            let scrollBefore = s.position(.versions).scroll
            let effects = F.press([.down], &s)
            XCTAssertEqual(effects, [], "no load while moving through loaded rows")
            let next = render(s, s.size)
            let rows = next.changedRows(from: previous)
            let cells = next.changes(from: previous).reduce(0) { $0 + $1.cells }
            if s.position(.versions).scroll == scrollBefore {
                // Within the visible rows: the two cursor rows, the position hint, the detail header and
                // the legend (which keys are enabled depends on the selected version).
                XCTAssertLessThanOrEqual(rows.count, 8, "move \(i): rows \(rows)")
                XCTAssertLessThan(cells, next.cells.count / 8, "move \(i)")
            } else {
                // Scrolling by one rewrites the list rows but never the other panes or the bars.
                scrolled += 1
                XCTAssertFalse(rows.contains(30) || rows.contains(31), "status and legend unchanged")
                XCTAssertLessThan(cells, next.cells.count / 2, "move \(i)")
            }
            previous = next
        }
        XCTAssertGreaterThan(scrolled, 200)
        // Speed is measured by `scripts/bench.py` / `atoms-bench` (BENCHMARKS.md), not asserted here.
    }

    func testRenderIsPure() {
        let s = F.loadedState()
        XCTAssertEqual(render(s, s.size), render(s, s.size))
    }
}
