import XCTest
import AtomsModels
import Terminal
@testable import TUICore

/// `y`/`Y`: what is copied, what the status line and the message log say, and when the terminal can.
final class ClipboardTests: XCTestCase {
    typealias F = Fixtures
    let a0 = Fixtures.agentId(0)

    func testYCopiesTheSelectedIdOfEachPane() {
        var s = F.loadedState()
        XCTAssertEqual(F.press([.char("y")], &s), [.copyToClipboard(text: a0, what: "the id of \"Support Bot\"")])
        F.press([.tab], &s)
        XCTAssertEqual(F.press([.char("y")], &s), [.copyToClipboard(text: F.versionId(0, 5), what: "the id of v5")])
        F.press([.tab], &s)
        XCTAssertEqual(F.press([.char("y")], &s), [.copyToClipboard(text: F.draftId(0, 1), what: "the id of draft \"fix greeting\"")])
        XCTAssertFalse(Effect.copyToClipboard(text: "x", what: "y").isWrite, "copying works in read-only mode")
    }

    func testCapitalYCopiesTheLoadedConfigAsYAMLOrSaysWhyNot() {
        var s = F.loadedState()
        F.press([.char("Y")], &s)
        XCTAssertEqual(s.status, StatusMessage("Y copy config: select a version or a draft first", isError: true))
        F.press([.tab, .tab], &s)
        XCTAssertEqual(F.press([.char("Y")], &s), [])
        XCTAssertEqual(s.status?.text, "Y copy config: the config of draft \"fix greeting\" has not loaded yet")
        _ = update(&s, .configLoaded(agentId: a0, source: .draft(F.draftId(0, 1)), config: F.config))
        let fx = F.press([.char("Y")], &s)
        guard case .copyToClipboard(let text, let what)? = fx.first, fx.count == 1 else { return XCTFail("\(fx)") }
        XCTAssertEqual(what, "the config of draft \"fix greeting\" as YAML")
        XCTAssertEqual(text, AppState.configLines(F.config).map(\.text).joined(separator: "\n") + "\n")
        XCTAssertTrue(text.contains("firstMessage: Hello! How can I help?"), text)
    }

    func testTheOutcomeIsSaidAndARefusalPutsTheTextInTheLog() {
        var s = F.loadedState()
        _ = update(&s, .copied(what: "the id of v5", text: "abc", refusal: nil))
        XCTAssertEqual(s.status, StatusMessage("Copied the id of v5 to the clipboard (3 characters)", isError: false))
        _ = update(&s, .copied(what: "the id of v5", text: "6553f10000", refusal: "tmux takes OSC 52 from programs only with set-clipboard on"))
        XCTAssertEqual(s.status?.isError, true)
        XCTAssertTrue(s.status!.text.contains("the text is in the message log (M)"), s.status!.text)
        XCTAssertEqual(s.messageLog.entries.last?.details, ["why: tmux takes OSC 52 from programs only with set-clipboard on", "the text:", "6553f10000"])
        // A second refusal is kept too, the same words or not (QA: only the first reached M).
        let refusal = "tmux takes OSC 52 from programs only with set-clipboard on"
        _ = update(&s, .copied(what: "the config of v5", text: "firstMessage: Hi", refusal: refusal))
        _ = update(&s, .copied(what: "the config of v5", text: "firstMessage: Hi again", refusal: refusal))
        XCTAssertEqual(s.messageLog.entries.suffix(2).map { $0.details.last }, ["firstMessage: Hi", "firstMessage: Hi again"])
        XCTAssertTrue(s.status!.text.hasPrefix("Not copied: the config of v5"), s.status!.text)
        F.press([.char("M")], &s)
        XCTAssertTrue(render(s, s.size).text.contains("Messages"))
    }

    func testYStillConfirmsInDialogsAndIsNotACopyThere() {
        var s = F.loadedState()
        F.press([.tab, .tab, .char("x")], &s)  // discard the draft: a y/N dialog
        guard case .confirm? = s.overlay else { return XCTFail("no dialog") }
        let fx = F.press([.char("y")], &s)
        XCTAssertEqual(fx, [.discardDraft(agentId: a0, draftId: F.draftId(0, 1))])
    }

    func testClipboardDetection() {
        let none: () -> String? = { nil }
        XCTAssertNil(Terminal.clipboardRefusal(environment: ["TERM": "xterm-256color"], tmuxSetClipboard: none))
        XCTAssertNotNil(Terminal.clipboardRefusal(environment: ["TERM": "linux"], tmuxSetClipboard: none))
        XCTAssertNotNil(Terminal.clipboardRefusal(environment: [:], tmuxSetClipboard: none))
        XCTAssertNotNil(Terminal.clipboardRefusal(environment: ["TERM": "screen", "STY": "1.pts"], tmuxSetClipboard: none))
        XCTAssertNil(Terminal.clipboardRefusal(environment: ["TERM": "screen", "TMUX": "/tmp/s,1,0"], tmuxSetClipboard: { "on\n" }))
        let ext = Terminal.clipboardRefusal(environment: ["TERM": "screen", "TMUX": "/tmp/s,1,0"], tmuxSetClipboard: { "external\n" })
        XCTAssertEqual(ext, "tmux takes OSC 52 from programs only with set-clipboard on (it is external): tmux set -g set-clipboard on")
        XCTAssertNil(Terminal.clipboardRefusal(environment: ["TERM": "linux", "ATOMS_CLIPBOARD": "osc52"], tmuxSetClipboard: none))
        XCTAssertNotNil(Terminal.clipboardRefusal(environment: ["TERM": "xterm", "ATOMS_CLIPBOARD": "off"], tmuxSetClipboard: none))
    }

    func testTheEscapeCarriesOnlyBase64() {
        let hostile = "id\u{1B}]0;pwned\u{07}\u{1B}[2J"
        let seq = Terminal.osc52(hostile)
        XCTAssertTrue(seq.hasPrefix("\u{1B}]52;c;") && seq.hasSuffix("\u{07}"))
        let body = seq.dropFirst(7).dropLast()
        XCTAssertTrue(body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=" }, String(body))
        XCTAssertEqual(Data(base64Encoded: String(body)).map { String(decoding: $0, as: UTF8.self) }, hostile)
    }
}
