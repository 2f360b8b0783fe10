import AtomsModels
import XCTest

/// `ThreeWayReview.shortSideBySide`: the values of one change cut with one window, so that the difference
/// is in view on every side (QA: two prompts sharing their first 120 characters printed as the same text).
final class ShortSideBySideTests: XCTestCase {
    let head = String(repeating: "You run the RSVP line for the launch party. ", count: 5)   // 220 characters alike

    func testACommonBeginningLongerThanTheLimitShowsTheDifferenceOnBothSides() {
        let live = JSONValue.string(head + "Keep answers under 50 words and ask one question at a time.")
        let draft = JSONValue.string(head + "Keep answers under 40 words and ask one question at a time.")
        // Before: the same first 60 characters on both sides.
        XCTAssertEqual(ThreeWayReview.short(live), ThreeWayReview.short(draft))
        let v = ThreeWayReview.shortSideBySide([live, draft])
        XCTAssertEqual(v.count, 2)
        XCTAssertNotEqual(v[0], v[1])
        XCTAssertTrue(v[0].contains("under 50 words"), v[0])
        XCTAssertTrue(v[1].contains("under 40 words"), v[1])
        for s in v {
            XCTAssertTrue(s.hasPrefix("…"), "text before the window is marked: \(s)")
            XCTAssertLessThanOrEqual(s.count, 60 + 2, s)
        }
        // The window starts a little before the difference, the same for both.
        XCTAssertEqual(v[0].replacingOccurrences(of: "50", with: "40"), v[1])
    }

    func testADifferenceInTheMiddleOfLongTextIsFramedWithContextAndAnEllipsisOnBothEnds() {
        let tail = String(repeating: " and more text after it", count: 10)
        let v = ThreeWayReview.shortSideBySide([.string(head + "RED" + tail), .string(head + "BLUE" + tail)], limit: 60)
        XCTAssertTrue(v[0].hasPrefix("…") && v[0].hasSuffix("…") && v[0].contains("RED"), v[0])
        XCTAssertTrue(v[1].hasPrefix("…") && v[1].hasSuffix("…") && v[1].contains("BLUE"), v[1])
        // Some of what comes just before the difference is shown.
        XCTAssertTrue(v[0].contains("party. RED"), v[0])
    }

    func testADifferenceAtTheStartCutsLikeShort() {
        let a = JSONValue.string("A" + head), b = JSONValue.string("B" + head)
        XCTAssertEqual(ThreeWayReview.shortSideBySide([a, b]), [ThreeWayReview.short(a), ThreeWayReview.short(b)])
        XCTAssertEqual(ThreeWayReview.shortSideBySide([a, b], limit: 120), [ThreeWayReview.short(a, limit: 120), ThreeWayReview.short(b, limit: 120)])
    }

    func testAnAbsentSide() {
        let long = JSONValue.string(head)
        XCTAssertEqual(ThreeWayReview.shortSideBySide([nil, long]), ["(absent)", ThreeWayReview.short(long)])
        XCTAssertEqual(ThreeWayReview.shortSideBySide([long, nil]), [ThreeWayReview.short(long), "(absent)"])
        XCTAssertEqual(ThreeWayReview.shortSideBySide([nil, nil]), ["(absent)", "(absent)"])
    }

    func testATripleSharesOneWindow() {
        let base = JSONValue.string(head + "Tone: warm.")
        let live = JSONValue.string(head + "Tone: formal.")
        let yours = JSONValue.string(head + "Tone: playful.")
        let v = ThreeWayReview.shortSideBySide([base, live, yours])
        XCTAssertEqual(v.count, 3)
        XCTAssertTrue(v[0].hasSuffix("Tone: warm.\""), v[0])
        XCTAssertTrue(v[1].hasSuffix("Tone: formal.\""), v[1])
        XCTAssertTrue(v[2].hasSuffix("Tone: playful.\""), v[2])
        XCTAssertEqual(Set(v).count, 3)
        XCTAssertTrue(v.allSatisfy { $0.hasPrefix("…") }, "\(v)")
    }

    func testValuesThatFitAreShownWhole() {
        XCTAssertEqual(ThreeWayReview.shortSideBySide([.string("en"), .string("hi")]), ["\"en\"", "\"hi\""])
        XCTAssertEqual(ThreeWayReview.shortSideBySide([.number(1.2), .number(1), nil]), [JSONValue.number(1.2).description, JSONValue.number(1).description, "(absent)"])
        XCTAssertEqual(ThreeWayReview.shortSideBySide([.bool(true), .bool(false)]), ["true", "false"])
        // A short value beside a long one stays whole; the long one is cut.
        let long = JSONValue.string(head)
        XCTAssertEqual(ThreeWayReview.shortSideBySide([.string("hi"), long]), ["\"hi\"", ThreeWayReview.short(long)])
        // Newlines show as ⏎, as `short` does.
        XCTAssertEqual(ThreeWayReview.shortSideBySide([.string("a\nb"), .string("a\nc")]), ["\"a⏎b\"", "\"a⏎c\""])
        // One value: the same as `short`.
        XCTAssertEqual(ThreeWayReview.shortSideBySide([long]), [ThreeWayReview.short(long)])
        XCTAssertEqual(ThreeWayReview.shortSideBySide([]), [])
    }

    func testEqualLongValuesCutLikeShort() {
        let long = JSONValue.string(head)
        XCTAssertEqual(ThreeWayReview.shortSideBySide([long, long]), [ThreeWayReview.short(long), ThreeWayReview.short(long)])
    }

    func testMultiByteCharactersAndEmojiAreNeverSplit() {
        // A family emoji is several scalars joined (one character); "é" here is e + a combining accent.
        let family = "👩‍👩‍👧", accent = "e\u{301}"
        let common = String(repeating: family + accent + "🚀", count: 40)
        let v = ThreeWayReview.shortSideBySide([.string(common + "日本語 first"), .string(common + "日本語 second")], limit: 31)
        XCTAssertTrue(v[0].contains("日本語 f"), v[0])
        XCTAssertTrue(v[1].contains("日本語 s"), v[1])
        let allowed: Set<Character> = [Character(family), Character(accent), "🚀", "…", "\"", "日", "本", "語", " "]
        for s in v {
            let inWindow = s.prefix { $0 != "日" }
            XCTAssertTrue(inWindow.allSatisfy { allowed.contains($0) }, "a character was split: \(s.unicodeScalars.map { String($0.value, radix: 16) })")
            XCTAssertLessThanOrEqual(s.count, 31 + 2)
        }
    }
}
