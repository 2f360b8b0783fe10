#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import Terminal
@testable import TUICore

/// The C library's `wcwidth(3)` (not exported by the Glibc module).
@_silgen_name("wcwidth") func c_wcwidth(_ c: Int32) -> Int32

/// Complex scripts (Indic vowel signs and conjuncts, CJK, emoji): the widths the screen model uses are
/// the C library's `wcwidth` — what curses and terminals built on it advance by — and rows holding
/// multi-code-point clusters are the ones the terminal repaints whole when they change.
final class ComplexScriptTests: XCTestCase {
    static let samples = ["தமிழ் Billing Desk", "रीना Support", "क्षमा करें, प्रॉम्प्ट", "日本語 Reception", "🚀 Launch Line",
                          "Zoë — Café Concierge", "কলকাতা", "ગુજરાતી", "ଓଡ଼ିଆ", "मराठी"]

    func testWidthsAreTheCLibrarysWcwidth() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { throw XCTSkip("no C.UTF-8 locale") }
        for s in Self.samples {
            var libc = 0
            for u in s.unicodeScalars { libc += max(0, Int(c_wcwidth(Int32(bitPattern: u.value)))) }
            XCTAssertEqual(DisplayWidth.of(s), libc, "\(s): our width vs wcwidth")
        }
    }

    /// The cells curses makes of a string: each code point with a width starts one, zero-width ones join it.
    static func cursesCells(_ s: String) -> [String] {
        var cells: [String] = []
        for u in s.unicodeScalars {
            if c_wcwidth(Int32(bitPattern: u.value)) > 0 || cells.isEmpty { cells.append(String(u)) } else { cells[cells.count - 1].unicodeScalars.append(u) }
        }
        return cells
    }

    /// "ग्राहक" is one grapheme on screen but three cells on a terminal (ग्, र, ा): the model must hold the
    /// same cells, or a later partial update of the row lands a cell off (QA: "You hlp", a stray "क").
    func testClustersTakeTheCellsTheTerminalGivesThem() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { throw XCTSkip("no C.UTF-8 locale") }
        for sample in ["आप रीना हैं, ग्राहक सहायता प्रतिनिधि। You help", "தமிழ் Billing Desk", "क्षमा करें", "ଓଡ଼ିଆ", "মরাঠী কলকাতা"] {
            var screen = Screen(width: 80, height: 1)
            let used = screen.put(sample, x: 0, y: 0)
            let expected = Self.cursesCells(sample)
            XCTAssertEqual(used, expected.count, "\(sample): cells used")
            let got = (0..<expected.count).map { String(screen[$0, 0].character) }
            XCTAssertEqual(got, expected, "\(sample): cell by cell")
        }
    }

    /// A partial update after a conjunct is written where the terminal has that letter.
    func testAChangeAfterAConjunctIsWrittenAtTheTerminalsColumn() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { throw XCTSkip("no C.UTF-8 locale") }
        var before = Screen(width: 60, height: 1), after = Screen(width: 60, height: 1)
        before.put("ग्राहक सहायता You help broadband", x: 0, y: 0)
        after.put("ग्राहक सहायता You hxlp broadband", x: 0, y: 0)
        let runs = after.changes(from: before)
        XCTAssertEqual(runs.count, 1, "\(runs)")
        let column = Self.cursesCells("ग्राहक सहायता You h").count
        XCTAssertEqual(runs.first?.x, column, "the changed letter's column on the terminal")
        XCTAssertEqual(runs.first?.text, "x")
    }

    func testRowsWithClustersAreFoundAndPlainRowsAreNot() {
        var screen = Screen(width: 40, height: 3)
        screen.put("plain ascii row", x: 0, y: 0)
        screen.put("तमिल: தமிழ்", x: 0, y: 1)
        screen.put("日本語 only wide", x: 0, y: 2)
        XCTAssertFalse(Terminal.hasClusters(screen, row: 0))
        XCTAssertTrue(Terminal.hasClusters(screen, row: 1), "vowel signs and viramas make clusters")
        XCTAssertFalse(Terminal.hasClusters(screen, row: 2), "wide single scalars are not clusters")
    }
}
