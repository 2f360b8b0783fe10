import XCTest
import AtomsModels
@testable import TUICore

/// The Agents pane's `/` filter folds case and accents as the CLI's name matching does (one function,
/// `NameFolding.fold`): `/zoe`, `/CAFE`, `/clinica` find the accented names; the server search still runs.
final class AgentFilterFoldingTests: XCTestCase {
    typealias F = Fixtures

    func state() -> AppState {
        var s = F.loadedState()
        let names = ["Zoë — Café Concierge", "Clínica Marta Scheduler", "Support Bot", "ＡＢＣ wide"]
        let agents = names.enumerated().map { i, n in Agent(id: F.agentId(100 + i), name: n) }
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(agents)))
        return s
    }

    func rows(_ filter: String) -> [String] {
        var s = state()
        XCTAssertEqual(F.press([.char("/")], &s), [])
        var effects: [Effect] = []
        for c in filter { effects += F.press([.char(c)], &s) }
        XCTAssertTrue(effects.contains(.loadAgents(page: 1, pageSize: 50, search: filter)),
                      "the server search is still asked for what was typed: \(effects)")
        return s.agentRows.map(\.name)
    }

    func testAccentsAndCaseAreIgnored() {
        XCTAssertEqual(rows("zoe"), ["Zoë — Café Concierge"])
        XCTAssertEqual(rows("CAFE"), ["Zoë — Café Concierge"])
        XCTAssertEqual(rows("café"), ["Zoë — Café Concierge"])
        XCTAssertEqual(rows("clinica"), ["Clínica Marta Scheduler"])
        XCTAssertEqual(rows("CLÍNICA marta"), ["Clínica Marta Scheduler"])
        XCTAssertEqual(rows("abc"), ["ＡＢＣ wide"], "full-width letters fold too")
        XCTAssertEqual(rows("bot"), ["Support Bot"])
        XCTAssertEqual(rows("zzz"), [])
    }

    func testAnIdPrefixStillMatches() {
        let id = F.agentId(101)
        XCTAssertEqual(rows(id), ["Clínica Marta Scheduler"])
    }

    func testTheFoldIsTheCLIsOne() {
        XCTAssertEqual(NameFolding.fold("  Zoë Café "), "zoe cafe")
        XCTAssertEqual(NameFolding.fold("CLÍNICA"), "clinica")
        XCTAssertEqual(NameFolding.fold("Support Bot"), "support bot")
    }
}
