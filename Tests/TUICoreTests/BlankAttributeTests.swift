import CNcurses
import XCTest
@testable import Terminal

/// How runs of blanks are handed to curses: what decides whether a scrolled-in row costs an erase.
final class BlankAttributeTests: XCTestCase {
    let plain = (tui_A_NORMAL(), Int16(0))
    let boldCyan = (tui_A_BOLD(), Int16(4))
    let dim = (tui_A_DIM(), Int16(0))

    func testAPaneSEmptyAreaIsWrittenPlainWhateverIsSet() {
        let got = Terminal.blankAttributes(cells: 34, style: dim, current: boldCyan)
        XCTAssertTrue(got == plain, "a long blank must match the blank row a terminal scroll brings in (got \(got))")
    }

    func testAShortGapKeepsTheAttributesAlreadySet() {
        let got = Terminal.blankAttributes(cells: 3, style: dim, current: boldCyan)
        XCTAssertTrue(got == boldCyan, "no SGR switch for a gap between words (got \(got))")
    }

    func testBlanksWithABackgroundKeepTheirStyle() {
        let highlight = (tui_A_NORMAL(), Int16(7))  // white on blue: the cursor row
        XCTAssertTrue(Terminal.blankAttributes(cells: 40, style: highlight, current: plain) == highlight)
        XCTAssertTrue(Terminal.blankAttributes(cells: 2, style: highlight, current: plain) == highlight)
        let reverse = (tui_A_REVERSE(), Int16(0))
        XCTAssertTrue(Terminal.blankAttributes(cells: 40, style: reverse, current: plain) == reverse)
        // A short gap after a highlighted run is not written in the highlight.
        XCTAssertTrue(Terminal.blankAttributes(cells: 2, style: dim, current: highlight) == dim)
    }
}
