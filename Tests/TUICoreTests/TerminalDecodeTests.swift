import XCTest
import TUICore
import Terminal

/// The key decoder is pure; these codes are the ncurses ABI values (KEY_CODE_YES = 0400, KEY_UP = 0403, …).
final class TerminalDecodeTests: XCTestCase {
    let ok: Int32 = 0, keyCodeYes: Int32 = 0o400

    func testCursesKeyCodes() {
        let table: [(Int, Key)] = [(0o403, .up), (0o402, .down), (0o404, .left), (0o405, .right), (0o523, .pageUp), (0o522, .pageDown),
                                   (0o406, .home), (0o550, .end), (0o541, .backTab), (0o527, .enter), (0o407, .backspace),
                                   (0o512, .delete), (0o632, .resize)]
        for (code, key) in table { XCTAssertEqual(Terminal.decode(rc: keyCodeYes, code: code), key, "\(code)") }
        XCTAssertEqual(Terminal.decode(rc: keyCodeYes, code: 0o410 + 5), .unknown(0o415), "F5 is not bound")
    }

    func testCharacters() {
        XCTAssertEqual(Terminal.decode(rc: ok, code: 10), .enter)
        XCTAssertEqual(Terminal.decode(rc: ok, code: 13), .enter)
        XCTAssertEqual(Terminal.decode(rc: ok, code: 9), .tab)
        XCTAssertEqual(Terminal.decode(rc: ok, code: 27), .escape)
        XCTAssertEqual(Terminal.decode(rc: ok, code: 127), .backspace)
        XCTAssertEqual(Terminal.decode(rc: ok, code: 8), .backspace)
        XCTAssertEqual(Terminal.decode(rc: ok, code: 26), .ctrl("z"))
        XCTAssertEqual(Terminal.decode(rc: ok, code: 1), .ctrl("a"))
        XCTAssertEqual(Terminal.decode(rc: ok, code: 0x71), .char("q"))
        XCTAssertEqual(Terminal.decode(rc: ok, code: 0x65E5), .char("日"))
        XCTAssertEqual(Terminal.decode(rc: ok, code: 0x1F916), .char("🤖"))
        XCTAssertEqual(Terminal.decode(rc: ok, code: 0x9B), .unknown(0x9B), "C1 controls are not characters")
    }
}

/// SGR mouse reports that reach the app as characters become mouse keys.
final class MouseDecodeTests: XCTestCase {
    func keys(_ s: String) -> [Key] { s.map { $0 == "\u{1B}" ? .escape : .char($0) } }

    func testSGRReportsBecomeMouseKeys() {
        XCTAssertEqual(Terminal.mergeMouseReports(keys("\u{1B}[<0;51;4M")), [.mouse(MouseEvent(x: 50, y: 3, kind: .click))])
        XCTAssertEqual(Terminal.mergeMouseReports(keys("a\u{1B}[<65;2;3Mb")), [.char("a"), .mouse(MouseEvent(x: 1, y: 2, kind: .wheelDown)), .char("b")])
        XCTAssertEqual(Terminal.mergeMouseReports(keys("\u{1B}[<64;1;1M")), [.mouse(MouseEvent(x: 0, y: 0, kind: .wheelUp))])
        XCTAssertEqual(Terminal.mergeMouseReports(keys("\u{1B}[<0;51;4m")), [], "a release is dropped")
        XCTAssertEqual(Terminal.mergeMouseReports(keys("\u{1B}[<2;5;5M")), [], "other buttons are dropped")
        XCTAssertEqual(Terminal.mergeMouseReports([.escape, .char("j")]), [.escape, .char("j")], "Esc then a key stays")
        XCTAssertEqual(Terminal.mergeMouseReports(keys("\u{1B}[<0;5")), keys("\u{1B}[<0;5"), "an unfinished report stays as it was")
    }
}
