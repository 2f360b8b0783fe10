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
