import XCTest
import AtomsModels
@testable import TUICore

/// Server text built to attack a terminal — CSI and OSC sequences (OSC 52 clipboard writes, ESC[2J),
/// C0/C1 controls, bidi overrides, zero-width characters, a 100,000-character line, the replacement
/// characters left by invalid UTF-8 — in every pane, the detail area, the confirmation dialog, the
/// status line and a diff. Every screen must be inert (no control, escape, bidi or invisible format
/// character in any cell), aligned (every row exactly as wide as the screen), and match its golden
/// file (`hostile-*.txt`; `UPDATE_GOLDENS=1` rewrites).
final class HostileTextRenderTests: XCTestCase {
    typealias F = Fixtures

    /// The hostile strings (shared in spirit with ReliabilityTests' CLI goldens).
    enum Hostile {
        static let clear = "Wipe\u{1B}[2J\u{1B}[H\u{1B}[31mRED\u{1B}[0m"
        static let osc52 = "Clip\u{1B}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{07}board"
        static let title = "Title\u{1B}]0;pwned\u{1B}\\ bar"
        static let c0 = "bell\u{07}bs\u{08}cr\rnl\nnul\u{00}del\u{7F}"
        static let c1 = "c1\u{9B}31mcsi\u{9D}osc\u{85}nel"
        static let bidi = "admin\u{202E}txt.exe\u{202C} \u{2066}iso\u{2069}"
        static let zeroWidth = "zero\u{200B}wid\u{200C}th\u{2060}jo\u{FEFF}in"
        static let long = "L" + String(repeating: "o", count: 99_998) + "ng"
        static let badUTF8 = String(decoding: [0x62, 0x61, 0x64, 0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x21], as: UTF8.self)
        static let all = [clear, osc52, title, c0, c1, bidi, zeroWidth, long, badUTF8]
    }

    static let sizes = [Size(width: 120, height: 32), Size(width: 80, height: 24), Size(width: 40, height: 12)]

    static func hostileAgents() -> [Agent] {
        Hostile.all.enumerated().map { i, name in
            var a = Agent(id: F.agentId(i), name: name, activeVersionId: F.versionId(i, 4))
            a.updatedAt = F.iso(minutesAgo: 60 * (i + 1))
            return a
        }
    }

    static func hostileVersions() -> [AgentVersion] {
        F.versions().enumerated().map { i, v in
            var v = v
            v.label = Hostile.all[i % Hostile.all.count]
            v.description = Hostile.all[(i + 3) % Hostile.all.count]
            v.publishedByName = Hostile.all[(i + 5) % Hostile.all.count]
            if v.securityCheck?.status == .failed { v.securityCheck?.reason = Hostile.osc52 }
            return v
        }
    }

    static func hostileDrafts() -> [AgentVersion] {
        F.drafts().enumerated().map { i, d in
            var d = d
            d.draftName = i == 0 ? Hostile.bidi : Hostile.long
            d.lastEditorName = Hostile.c1
            return d
        }
    }

    static let hostileConfig: ConfigDocument = [
        "singlePromptConfig": ["prompt": .string(Hostile.all.joined(separator: "\n")), "tools": []],
        "firstMessage": .string(Hostile.osc52),
        "globalPrompt": .string(Hostile.long),
        "slmModel": "electron",
    ]

    static func loaded(_ size: Size) -> AppState {
        var s = AppState(isDemo: true, apiGeneration: "v1", accountLabel: Hostile.title, now: F.now, size: size)
        _ = update(&s, .resized(width: size.width, height: size.height))
        _ = update(&s, .started)
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(hostileAgents())))
        _ = update(&s, .versionsLoaded(agentId: F.agentId(0), skip: 0, list: VersionList(versions: hostileVersions(), total: 5)))
        _ = update(&s, .draftsLoaded(agentId: F.agentId(0), drafts: hostileDrafts()))
        return s
    }

    static let scenarios: [(String, @Sendable (Size) -> AppState)] = [
        ("panes", { size in
            var s = loaded(size)
            _ = update(&s, .configLoaded(agentId: F.agentId(0), source: .version(F.versionId(0, 5)), config: hostileConfig))
            F.press([.tab], &s)
            return s
        }),
        ("drafts", { size in
            var s = loaded(size)
            F.press([.tab, .tab], &s)
            return s
        }),
        ("confirm", { size in
            var s = loaded(size)
            F.press([.tab, .down, .down, .char("a")], &s)
            return s
        }),
        ("error", { size in
            var s = loaded(size)
            _ = update(&s, .loadFailed(key: "versions", message: "GET /agent/x → 400 " + Hostile.all.joined(separator: " ")))
            return s
        }),
        ("diff", { size in
            var s = loaded(size)
            F.press([.tab, .char("d")], &s)
            let diff = AgentVersionDiff(unchangedSections: [Hostile.zeroWidth], diffs: [
                DiffSection(section: "workflow_prompt", changes: [
                    DiffChange(path: "prompt", oldValue: .string(Hostile.clear + "\n" + Hostile.c0), newValue: .string(Hostile.osc52 + "\n" + Hostile.long)),
                ]),
                DiffSection(section: Hostile.bidi, changes: [DiffChange(path: Hostile.c1, oldValue: .string(Hostile.badUTF8), newValue: .string(Hostile.title))]),
            ])
            _ = update(&s, .diffLoaded(agentId: F.agentId(0), from: .version(F.versionId(0, 4)), to: .version(F.versionId(0, 5)), diff: diff))
            if size.height < 16 { F.press([.enter], &s) }
            return s
        }),
    ]

    func testHostileTextIsInertAlignedAndGolden() {
        for (name, make) in Self.scenarios {
            for size in Self.sizes {
                let screen = render(make(size), size)
                Self.assertInertAndAligned(screen, "\(name) \(size.width)×\(size.height)")
                GoldenFile.assert(GoldenFile.text(of: screen), named: "hostile-\(name)-\(size.width)x\(size.height)")
            }
        }
    }

    /// No cell holds a control, escape, C1, bidi or invisible format character; every row adds up to
    /// exactly the screen's width in cells, and a wide character is always followed by its continuation.
    static func assertInertAndAligned(_ screen: Screen, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for y in 0..<screen.height {
            var total = 0
            var x = 0
            while x < screen.width {
                let c = screen.cells[y * screen.width + x]
                for s in c.character.unicodeScalars {
                    let v = s.value
                    let bad = v < 0x20 || (0x7F...0x9F).contains(v) || s.properties.generalCategory == .format
                        || v == 0x2028 || v == 0x2029
                    if bad { XCTFail("\(what): row \(y) col \(x) holds U+\(String(v, radix: 16, uppercase: true))", file: file, line: line) }
                }
                if c.width == 2 {
                    XCTAssertTrue(x + 1 < screen.width && screen.cells[y * screen.width + x + 1].isContinuation,
                                  "\(what): wide character without its continuation at row \(y) col \(x)", file: file, line: line)
                    total += 2
                    x += 2
                    continue
                }
                XCTAssertFalse(c.isContinuation, "\(what): stray continuation at row \(y) col \(x)", file: file, line: line)
                total += Int(c.width)
                x += 1
            }
            XCTAssertEqual(total, screen.width, "\(what): row \(y) is \(total) cells wide", file: file, line: line)
            XCTAssertLessThanOrEqual(DisplayWidth.of(screen.rowText(y)), screen.width, "\(what): row \(y)", file: file, line: line)
        }
    }

    /// A 100,000-character name costs about what it shows: rendering stays fast.
    func testLongLinesRenderQuickly() {
        let size = Size(width: 120, height: 32)
        let state = Self.loaded(size)
        let start = Date()
        for _ in 0..<20 { _ = render(state, size) }
        XCTAssertLessThan(Date().timeIntervalSince(start) / 20, 0.25, "one frame with 100,000-character names")
    }

    /// The sanitizer on its own: each hostile string comes out inert, one line, and visibly marked.
    func testSanitizerMakesEveryHostileStringInert() {
        for text in Hostile.all {
            let out = Sanitizer.sanitize(text, maxCharacters: 300)
            XCTAssertTrue(Sanitizer.isInert(out), out)
            XCTAssertFalse(out.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, out)
            XCTAssertLessThanOrEqual(out.count, 301)
        }
        XCTAssertEqual(Sanitizer.sanitize(Hostile.clear), "Wipe␛[2J␛[H␛[31mRED␛[0m")
        XCTAssertTrue(Sanitizer.sanitize(Hostile.osc52).hasPrefix("Clip␛]52;c;"))
    }
}
