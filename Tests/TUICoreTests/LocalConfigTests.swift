import XCTest
import AtomsModels
@testable import TUICore

/// Configs as code in the TUI: pulled files planned at start and on R, agents marked, `D` shows the plan.
final class LocalConfigTests: XCTestCase {
    typealias F = Fixtures
    let a0 = F.agentId(0), a1 = F.agentId(1)

    func started(generation: APIGeneration = .v1) -> (AppState, [Effect]) {
        var s = AppState(isDemo: false, apiGeneration: generation, accountLabel: "prod", now: F.now, size: Size(width: 120, height: 32))
        s.localConfigDir = "/work/agents"
        _ = update(&s, .resized(width: 120, height: 32))
        let fx = update(&s, .started)
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(F.agents())))
        return (s, fx)
    }

    static let drift = LocalConfigPlan(agentId: F.agentId(0), file: "support-bot.atoms.yaml", status: .drift, marker: "≈",
                                       title: "remote changes only (drift)", lines: [
        "≈ support-bot.atoms.yaml · Support Bot · base v4 · live v5 — remote changes only (drift)",
        "    drift     llm  slmModel: \"electron\" → \"neutron\" (changed on the platform; kept)",
    ])

    func testFilesArePlannedAtStartAndOnRefreshAndDriftedAgentsAreMarked() {
        var (s, fx) = started()
        XCTAssertEqual(fx, [.loadAgents(page: 1, pageSize: 50, search: nil), .planLocalConfigs(dir: "/work/agents", generation: .v1)])
        XCTAssertFalse(render(s, s.size).text.contains("≈"))
        _ = update(&s, .localPlansLoaded(dir: "/work/agents", [Self.drift,
                                                              LocalConfigPlan(agentId: a1, file: "sales.atoms.yaml", status: .unchanged, marker: "=", title: "no changes", lines: [])]))
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("≈ Support Bot"), text)
        XCTAssertFalse(text.contains("= Sales"), "an unchanged file is not marked")
        XCTAssertTrue(text.contains("support-bot.atoms.yaml: remote changes only (drift) — D shows the plan"), text)
        XCTAssertTrue(F.press([.char("R")], &s).contains(.planLocalConfigs(dir: "/work/agents", generation: .v1)))
        // An answer for another directory (stale) changes nothing.
        _ = update(&s, .localPlansLoaded(dir: "/elsewhere", []))
        XCTAssertTrue(render(s, s.size).text.contains("≈ Support Bot"))
    }

    func testDOnAMarkedAgentShowsThePlanReadOnly() {
        var (s, _) = started()
        _ = update(&s, .localPlansLoaded(dir: "/work/agents", [Self.drift]))
        XCTAssertEqual(F.press([.char("D")], &s), [], "D only reads: nothing is sent")
        guard case .plan? = s.overlay else { return XCTFail("no plan panel") }
        let text = render(s, s.size).text
        XCTAssertTrue(text.contains("Plan of support-bot.atoms.yaml"), text)
        XCTAssertTrue(text.contains("slmModel: \"electron\" → \"neutron\" (changed on the platform; kept)"), text)
        XCTAssertTrue(text.contains("atoms-tui push"), text)
        // The plan is a text panel like the help and the log: searchable.
        F.press([.char("/")] + F.typing("neutron") + [.enter], &s)
        XCTAssertEqual(s.searchSummary()?.hasPrefix("/neutron  1/1 "), true, s.searchSummary() ?? "no search")
        F.press([.escape], &s)
        F.press([.escape], &s)
        XCTAssertNil(s.overlay)
        // An agent with no file: D says why it does nothing.
        F.press([.down], &s)
        XCTAssertEqual(F.press([.char("D")], &s), [])
        XCTAssertNil(s.overlay)
        XCTAssertEqual(Keymap.binding(for: .char("D"), generation: .v1)?.whyDisabled(s),
                       "no pulled config file here names this agent (atoms-tui pull writes one); on versions and drafts D marks for a diff")
    }

    func testNoDirectoryNoPlanAndAFailedPlanIsSaid() {
        var s = AppState(isDemo: true, apiGeneration: .v2, now: F.now, size: Size(width: 120, height: 32))
        XCTAssertEqual(update(&s, .started), [.loadAgents(page: 1, pageSize: 50, search: nil)])
        var (t, _) = started(generation: .v2)
        _ = update(&t, .failed(.planLocalConfigs(dir: "/work/agents", generation: .v2), EffectFailure(kind: .network, reason: "connection refused")))
        XCTAssertTrue(t.status?.text.contains("could not plan the config files in /work/agents") == true, t.status?.text ?? "")
    }
}
