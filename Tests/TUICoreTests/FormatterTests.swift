import XCTest
import AtomsModels
@testable import TUICore

final class FormatterTests: XCTestCase {
    func testSanitizerMakesControlsInert() {
        XCTAssertEqual(Sanitizer.sanitize("\u{1B}[2Jclear"), "␛[2Jclear")
        // OSC 52 (clipboard write) with BEL and ST terminators.
        XCTAssertEqual(Sanitizer.sanitize("\u{1B}]52;c;aGk=\u{07}x"), "␛]52;c;aGk=␇x")
        XCTAssertEqual(Sanitizer.sanitize("\u{1B}]52;c;aGk=\u{1B}\\x"), "␛]52;c;aGk=␛\\x")
        // C1: CSI (U+009B) and NEL.
        XCTAssertEqual(Sanitizer.sanitize("a\u{9B}31mb\u{85}c"), "a\u{FFFD}31mb\u{FFFD}c")
        // Bidi override (Trojan Source) and isolates.
        XCTAssertEqual(Sanitizer.sanitize("abc\u{202E}fed\u{202C}\u{2066}x\u{2069}"), "abc\u{FFFD}fed\u{FFFD}\u{FFFD}x\u{FFFD}")
        // Zero-width characters are shown, not hidden.
        XCTAssertEqual(Sanitizer.sanitize("pay\u{200B}pal\u{FEFF}\u{2060}"), "pay\u{FFFD}pal\u{FFFD}\u{FFFD}")
        XCTAssertEqual(Sanitizer.sanitize("tab\there\nnew\r\u{7F}\u{0}"), "tab␉here␤new␍␡␀")
        // Plain text and emoji sequences pass (the ZWJ inside an emoji sequence is dropped).
        XCTAssertEqual(Sanitizer.sanitize("Zoë ✓ 日本 🤖"), "Zoë ✓ 日本 🤖")
        XCTAssertEqual(Sanitizer.sanitize("👩\u{200D}💻"), "👩💻")
        XCTAssertTrue(Sanitizer.isInert("Zoë ✓ 日本"))
        XCTAssertFalse(Sanitizer.isInert("a\u{1B}b"))
        for s in ["\u{1B}[2J", "\u{9B}", "\u{202E}", "\u{200B}", "x\u{7}"] {
            XCTAssertFalse(Sanitizer.sanitize(s).unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.properties.generalCategory == .format }, s)
        }
    }

    func testSanitizerHandlesAHundredThousandCharacterLine() {
        let line = String(repeating: "ab\u{1B}[31m日", count: 12_500)  // 100,000 characters
        XCTAssertEqual(line.count, 100_000)
        let start = Date()
        let out = Sanitizer.sanitize(line)
        XCTAssertEqual(out.count, 100_000)
        XCTAssertFalse(out.unicodeScalars.contains("\u{1B}"))
        XCTAssertEqual(Sanitizer.sanitize(line, maxCharacters: 10), "ab␛[31m日ab…")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // Drawn in a pane it is clipped to the pane.
        var s = Fixtures.loadedState()
        var a = Fixtures.agents()
        a[0].name = line
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: Fixtures.agentList(a)))
        let screen = render(s, s.size)
        let pane = s.layout.rect(.agents)!
        XCTAssertEqual(screen[pane.x + pane.width - 1, 2].character, "│")
        XCTAssertFalse(screen.text.contains("\u{1B}"))
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("日本語"), 6)
        XCTAssertEqual(DisplayWidth.of("🤖"), 2)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "combining accent")
        XCTAssertEqual(DisplayWidth.of("ｱ"), 1, "halfwidth katakana")
        XCTAssertEqual(DisplayWidth.of("ＡＢ"), 4, "fullwidth latin")
        XCTAssertEqual(DisplayWidth.of("한국"), 4)
        XCTAssertEqual(DisplayWidth.of("✓✗★●"), 4)
        XCTAssertEqual(DisplayWidth.of("⌚"), 2)
        XCTAssertEqual(DisplayWidth.truncate("日本語テキスト", to: 7), "日本語…")
        XCTAssertEqual(DisplayWidth.pad("日本", to: 6), "日本  ")
        XCTAssertEqual(DisplayWidth.pad("7", to: 3, alignRight: true), "  7")
        XCTAssertEqual(DisplayWidth.wrap("ab日本c", width: 3), ["ab", "日", "本c"])
    }

    func testRelativeAge() {
        let now = Fixtures.now
        XCTAssertEqual(RelativeAge.format(now, now: now), "now")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(-45), now: now), "45s")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(-180), now: now), "3m")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(-7200), now: now), "2h")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(-5 * 86400), now: now), "5d")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(-70 * 86400), now: now), "10w")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(-800 * 86400), now: now), "2y")
        XCTAssertEqual(RelativeAge.format(now.addingTimeInterval(30), now: now), "now")
        XCTAssertEqual(RelativeAge.format(iso: "2026-08-21T11:57:00.000Z", now: now), "3m")
        XCTAssertEqual(RelativeAge.format(iso: "garbage", now: now), "-")
        XCTAssertEqual(RelativeAge.format(iso: nil, now: now), "-")
    }

    func testISODate() {
        XCTAssertEqual(ISODate.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970, 0)
        XCTAssertEqual(ISODate.parse("2026-08-21T12:00:00.500Z")?.timeIntervalSince1970, 1_787_313_600.5)
        XCTAssertEqual(ISODate.parse("2026-08-21T17:30:00+05:30")?.timeIntervalSince1970, 1_787_313_600)
        XCTAssertEqual(ISODate.parse("2026-08-21")?.timeIntervalSince1970, 1_787_270_400)
        XCTAssertNil(ISODate.parse("2026-13-01T00:00:00Z"))
        XCTAssertNil(ISODate.parse("yesterday"))
        XCTAssertEqual(Fixtures.iso(minutesAgo: 0), "2026-08-21T12:00:00Z")
    }

    func testTextTableAlignsByDisplayWidth() {
        let t = TextTable(headers: ["NAME", "DRAFTS", "LIVE"], alignments: [.left, .right, .right],
                          rows: [["Support Bot", "2", "v7"], ["日本語 bot", "10", "v12"], ["evil\u{1B}[2J", "0", "-"]])
        XCTAssertEqual(t.lines(), [
            "NAME         DRAFTS  LIVE",
            "Support Bot       2    v7",
            "日本語 bot       10   v12",
            "evil␛[2J          0     -",
        ])
        XCTAssertEqual(t.lines(maxWidth: 24).first, "NAME         DRAFTS  LI…")
    }

    func testLineDiff() {
        let d = LineDiff.diff(["a", "b", "c", "d"], ["a", "B", "c", "d", "e"])
        XCTAssertEqual(d, [.same("a"), .removed("b"), .added("B"), .same("c"), .same("d"), .added("e")])
        XCTAssertEqual(LineDiff.diff([], ["x"]), [.added("x")])
        XCTAssertEqual(LineDiff.diff(["x"], []), [.removed("x")])
    }

    func testConfigLinesPutThePromptFirstAsABlockScalar() {
        let lines = AppState.configLines(Fixtures.config).map(\.text)
        XCTAssertEqual(Array(lines.prefix(5)), ["singlePromptConfig:", "  prompt: |", "    You are a helpful support agent.", "    Be brief.", "    Never share secrets."])
        XCTAssertEqual(lines[lines.firstIndex(of: "  tools: []")! + 1], "firstMessage: Hello! How can I help?")
        // Control characters inside a config are inert in the detail area.
        let evil = AppState.configLines(["firstMessage": "hi\u{1B}]52;c;x\u{07}"]).map(\.text)
        XCTAssertFalse(evil.joined().unicodeScalars.contains { $0.value < 0x20 })
    }

    func testLineEditor() {
        var e = LineEditor("hello world")
        e.handle(.ctrl("w"))
        XCTAssertEqual(e.string, "hello ")
        e.handle(.ctrl("a"))
        e.handle(.ctrl("k"))
        XCTAssertEqual(e.string, "")
        for c in "日本" { e.handle(.char(c)) }
        e.handle(.left)
        e.handle(.char("x"))
        XCTAssertEqual(e.string, "日x本")
        XCTAssertEqual(e.cursor, 2)
        XCTAssertFalse(e.handle(.enter))
        XCTAssertTrue(e.handle(.char("\u{1B}")), "control characters are swallowed, not inserted")
        XCTAssertEqual(e.string, "日x本")
        var short = LineEditor("", maxLength: 3)
        for c in "abcdef" { short.handle(.char(c)) }
        XCTAssertEqual(short.string, "abc")
    }

    /// The Sanitizer's fast paths skip the Unicode property lookup below U+0600 and in U+2100..<U+FEFF:
    /// no format character (other than the soft hyphen, handled on its own) may lie there.
    func testSanitizerFastRangesHoldNoFormatCharacters() {
        let ranges: [Range<UInt32>] = [0..<0x0600, 0x2100..<0xFEFF]
        for r in ranges {
            for v in r where v != 0xAD {
                if let s = Unicode.Scalar(v), s.properties.generalCategory == .format { XCTFail("U+\(String(v, radix: 16)) is a format character") }
            }
        }
        XCTAssertEqual(Sanitizer.sanitize("a\u{00AD}b"), "a\u{FFFD}b")
        XCTAssertEqual(Sanitizer.sanitize("┌─★ ● ↓ 日本"), "┌─★ ● ↓ 日本")
    }
}
