import XCTest
import AtomsModels
@testable import TUICore
import TestSupport

/// Server text built to attack a terminal — CSI and OSC sequences (OSC 52 clipboard writes, ESC[2J),
/// C0/C1 controls, bidi overrides, zero-width characters, a 100,000-character line, the replacement
/// characters left by invalid UTF-8 — in every pane, the detail area, the confirmation dialog, the
/// status line and a diff. Every screen must be inert (no control, escape, bidi or invisible format
/// character in any cell), aligned (every row exactly as wide as the screen), and match its golden
/// file (`hostile-*.txt`; `UPDATE_GOLDENS=1` rewrites).
final class HostileTextRenderTests: XCTestCase {
    /// The attack strings shared with ReliabilityTests' CLI goldens.
    typealias Hostile = HostileText
    typealias F = Fixtures


    static let sizes = [Size(width: 120, height: 32), Size(width: 80, height: 24), Size(width: 40, height: 12)]

    static func hostileAgents() -> [Agent] {
        Hostile.attacks.enumerated().map { i, name in
            var a = Agent(id: F.agentId(i), name: name, activeVersionId: F.versionId(i, 4))
            a.updatedAt = F.iso(minutesAgo: 60 * (i + 1))
            return a
        }
    }

    static func hostileVersions() -> [AgentVersion] {
        F.versions().enumerated().map { i, v in
            var v = v
            v.label = Hostile.attacks[i % Hostile.attacks.count]
            v.description = Hostile.attacks[(i + 3) % Hostile.attacks.count]
            v.publishedByName = Hostile.attacks[(i + 5) % Hostile.attacks.count]
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
        "singlePromptConfig": ["prompt": .string(Hostile.attacks.joined(separator: "\n")), "tools": []],
        "firstMessage": .string(Hostile.osc52),
        "globalPrompt": .string(Hostile.long),
        "slmModel": "electron",
    ]

    static func loaded(_ size: Size) -> AppState {
        var s = AppState(isDemo: true, apiGeneration: .v1, accountLabel: Hostile.title, now: F.now, size: size)
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
            _ = update(&s, .failed(.loadVersions(agentId: s.selectedAgentId ?? "", skip: 0, limit: 50),
                                   EffectFailure(kind: .rejected, status: 400, reason: Hostile.attacks.joined(separator: " "))))
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
        for text in Hostile.attacks {
            let out = Sanitizer.sanitize(text, maxCharacters: 300)
            XCTAssertTrue(Sanitizer.isInert(out), out)
            XCTAssertFalse(out.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, out)
            XCTAssertLessThanOrEqual(out.count, 301)
        }
        XCTAssertEqual(Sanitizer.sanitize(Hostile.clear), "Wipe␛[2J␛[H␛[31mRED␛[0m")
        XCTAssertTrue(Sanitizer.sanitize(Hostile.osc52).hasPrefix("Clip␛]52;c;"))
    }
}
