import AtomsModels
import XCTest
@testable import TUICore

/// Memory follows what was looked at lately: walking through many agents keeps only a few agents'
/// version pages and drafts, while their stats stay for the Agents pane.
final class CacheTests: XCTestCase {
    func testWalkingThroughAgentsKeepsOnlyRecentPages() {
        var s = AppState(isDemo: true, now: Fixtures.now, size: Size(width: 120, height: 32))
        _ = update(&s, .resized(width: 120, height: 32))
        _ = update(&s, .started)
        let agents = Fixtures.agents(count: 30)
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: Fixtures.agentList(agents)))
        for (i, a) in agents.enumerated() {
            s.selectedAgentId = a.id
            _ = update(&s, .versionsLoaded(agentId: a.id, skip: 0, list: VersionList(versions: Fixtures.versions(agent: i, count: 20), total: 20)))
            _ = update(&s, .draftsLoaded(agentId: a.id, drafts: Fixtures.drafts(agent: i)))
        }
        XCTAssertLessThanOrEqual(s.versions.count, AppState.cachedAgents + 1)
        XCTAssertLessThanOrEqual(s.drafts.count, AppState.cachedAgents + 1)
        XCTAssertLessThanOrEqual(s.health.count, AppState.cachedAgents + 1, "release health follows the same rule")
        XCTAssertNotNil(s.versions[agents.last!.id], "the selected agent's pages stay")
        XCTAssertNil(s.versions[agents.first!.id], "an agent looked at long ago is dropped")
        XCTAssertNotNil(s.stats[agents.first!.id], "its stats stay for the Agents pane")
    }
}
