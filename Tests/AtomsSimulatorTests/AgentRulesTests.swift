import XCTest
@testable import AtomsSimulator
import AtomsModels

final class AgentRulesTests: XCTestCase {
    func testCreateAgentWithLanguageWithoutSwitchingIsRejected() throws {
        let store = try SimulatorStore(options: SimulatorOptions(), clock: ManualClock())
        assertSimError(400, "Invalid Input: Required") {
            try store.createAgent(["name": "A", "language": ["default": "en", "supported": ["en"]]])
        }
        assertSimError(400) { try store.createAgent(["description": "no name"]) }
        assertSimError(400) { try store.createAgent(["name": "A", "firstMessage": .string(String(repeating: "x", count: 501))]) }
        let id = try store.createAgent(["name": "A", "language": ["default": "hi", "switching": [:]], "backgroundSound": "cafe"])
        let agent = try store.agent(id: id)
        XCTAssertEqual(agent.resolvedConfig?["defaultLanguage"], "hi")
        XCTAssertEqual(agent.resolvedConfig?["supportedLanguages"], ["hi"])
        XCTAssertEqual(agent.resolvedConfig?["backgroundSound"], "", "backgroundSound is overridden by the server default on create")
        XCTAssertEqual(agent.resolvedConfig?["modelName"], "electron")
        XCTAssertNil(agent.configSource)
    }

    func testNewAgentIsVersionedWithAnActivePassedVersionOne() throws {
        let f = try Fixture()
        let list = try f.store.versions(agentId: f.agentId)
        XCTAssertEqual(list.total, 1)
        let v1 = try XCTUnwrap(list.versions.first)
        XCTAssertEqual(v1.id, f.v1)
        XCTAssertEqual(v1.versionNumber, 1)
        XCTAssertTrue(v1.isActive)
        XCTAssertEqual(v1.securityCheck?.status, .passed)
        XCTAssertEqual(v1.publishedByName, "Demo User")
        let detail = try f.store.version(agentId: f.agentId, versionId: f.v1)
        XCTAssertEqual(detail.resolvedConfig["workflow_prompt"]?["prompt"], "You are a helpful assistant.")
        XCTAssertEqual(detail.resolvedConfig["language"]?["language"]?["supported"], ["en", "hi"])
        let agent = try f.store.agent(id: f.agentId, versionId: f.v1)
        XCTAssertEqual(agent.configSource, "version")
        XCTAssertEqual(agent.resolvedConfig?["prompt"], "You are a helpful assistant.")
    }

    func testUnknownAgentReadIs400NoAgentFound() throws {
        let f = try Fixture()
        assertSimError(400, "No agent found") { try f.store.agent(id: String(repeating: "c", count: 24)) }
        assertSimError(404, "Agent not found") { try f.store.versions(agentId: String(repeating: "c", count: 24)) }
    }

    func testVersionedAgentRejectsConfigPatchButTakesMetadata() throws {
        let f = try Fixture()
        assertSimError(400, "Agent has versioning enabled. Config changes must be made through drafts.") {
            try f.store.updateAgent(id: f.agentId, ["firstMessage": "hi"])
        }
        assertSimError(400, "Agent has versioning enabled. Config changes must be made through drafts.") {
            try f.store.updateAgent(id: f.agentId, ["name": "N", "language": ["default": "en"]])
        }
        XCTAssertEqual(try f.store.updateAgent(id: f.agentId, ["name": "Renamed", "allowInboundCall": false]), f.agentId)
        let a = try f.store.agent(id: f.agentId)
        XCTAssertEqual(a.name, "Renamed")
        XCTAssertEqual(a.otherFields["allowInboundCall"], false)
        assertSimError(404) { try f.store.updateAgent(id: String(repeating: "d", count: 24), ["name": "x"]) }
    }

    func testArchiveAndUnarchive() throws {
        let f = try Fixture()
        XCTAssertEqual(try f.store.archiveAgent(id: f.agentId).message, "Agent archived")
        assertSimError(409, "Agent is already archived") { try f.store.archiveAgent(id: f.agentId) }
        XCTAssertTrue(try f.store.agent(id: f.agentId).archived)
        XCTAssertEqual(try f.store.listAgents().count, 0)
        var q = AgentListQuery()
        q.archived = true
        XCTAssertEqual(try f.store.listAgents(q).agents.map(\.id), [f.agentId])
        XCTAssertEqual(try f.store.archiveAgent(id: f.agentId, archive: false).message, "Agent unarchived")
        assertSimError(409, "Agent is already active") { try f.store.archiveAgent(id: f.agentId, archive: false) }
        assertSimError(404) { try f.store.archiveAgent(id: String(repeating: "e", count: 24)) }
    }

    func testListAgentsPagesSearchesAndSorts() throws {
        let clock = ManualClock()
        let store = try SimulatorStore(options: SimulatorOptions(), clock: clock)
        for name in ["Bravo", "alpha", "Charlie", "Zoë — Café", "delta"] {
            _ = try store.createAgent(["name": .string(name)])
            clock.advance(by: 60)
        }
        var q = AgentListQuery()
        q.offset = 2
        let p1 = try store.listAgents(q)
        XCTAssertEqual(p1.agents.map(\.name), ["delta", "Zoë — Café"])
        XCTAssertEqual(p1.total, 5)
        XCTAssertEqual(p1.totalCount, 5)
        XCTAssertEqual(p1.totalPages, 3)
        XCTAssertEqual(p1.hasMore, true)
        XCTAssertEqual(p1.isSearchResults, false)
        XCTAssertNil(p1.agents.first?.resolvedConfig)
        q.page = 3
        XCTAssertEqual(try store.listAgents(q).hasMore, false)
        q = AgentListQuery()
        q.sortField = "name"
        q.sortOrder = "asc"
        XCTAssertEqual(try store.listAgents(q).agents.map(\.name), ["alpha", "Bravo", "Charlie", "delta", "Zoë — Café"])
        q.search = "CAF"
        let found = try store.listAgents(q)
        XCTAssertEqual(found.agents.map(\.name), ["Zoë — Café"])
        XCTAssertEqual(found.isSearchResults, true)
        q = AgentListQuery()
        q.sortField = "bogus"
        assertSimError(400) { try store.listAgents(q) }
    }

    func testVersionsListIsNewestFirstAndTotalIgnoresThePinFilter() throws {
        let f = try Fixture()
        for i in 0..<3 { _ = try f.publish(["firstMessage": .string("m\(i)")]) }
        let all = try f.store.versions(agentId: f.agentId)
        XCTAssertEqual(all.versions.map(\.versionNumber), [4, 3, 2, 1])
        let pinned = try f.store.updateVersion(agentId: f.agentId, versionId: all.versions[2].id,
                                               UpdateVersionMetaRequest(label: "Pinned one", isPinned: true))
        XCTAssertTrue(pinned.isPinned)
        let filtered = try f.store.versions(agentId: f.agentId, isPinned: true)
        XCTAssertEqual(filtered.versions.map(\.versionNumber), [2])
        XCTAssertEqual(filtered.total, 4)
        XCTAssertEqual(try f.store.versions(agentId: f.agentId, limit: 2, skip: 1).versions.map(\.versionNumber), [3, 2])
        assertSimError(400) { try f.store.versions(agentId: f.agentId, limit: 0) }
        assertSimError(400) { try f.store.versions(agentId: f.agentId, limit: 101) }
        assertSimError(400, "At least one of label, description, or isPinned must be provided") {
            try f.store.updateVersion(agentId: f.agentId, versionId: f.v1, UpdateVersionMetaRequest())
        }
        assertSimError(400) {
            try f.store.updateVersion(agentId: f.agentId, versionId: f.v1, UpdateVersionMetaRequest(label: String(repeating: "x", count: 201)))
        }
    }

    func testBranchModelGatesTheNineV1EndpointsButKeepsByIdReads() throws {
        let f = try Fixture()
        let handle = try XCTUnwrap(try f.draft().draftId)
        try f.store.updateOptions { $0.branchModel = true }
        let gated: [() throws -> Any] = [
            { try f.store.createDraft(agentId: f.agentId, CreateDraftRequest(sourceVersionId: f.v1)) },
            { try f.store.drafts(agentId: f.agentId) },
            { try f.store.renameDraft(agentId: f.agentId, draftId: handle, RenameDraftRequest(draftName: "x")) },
            { try f.store.discardDraft(agentId: f.agentId, draftId: handle) },
            { try f.store.updateDraftConfig(agentId: f.agentId, draftId: handle, ["firstMessage": "x"]) },
            { try f.store.publishDraft(agentId: f.agentId, draftId: handle) },
            { try f.store.versions(agentId: f.agentId) },
            { try f.store.updateVersion(agentId: f.agentId, versionId: f.v1, UpdateVersionMetaRequest(isPinned: true)) },
            { try f.store.activateVersion(agentId: f.agentId, versionId: f.v1) },
        ]
        for op in gated {
            let e = assertSimError(409, migrationRequiredMessage) { try op() }
            XCTAssertEqual(e?.body.errorType, .versioningV2MigrationRequired)
            XCTAssertEqual(e?.headers["Deprecation"], "true")
        }
        XCTAssertNoThrow(try f.store.draft(agentId: f.agentId, draftId: handle))
        XCTAssertNoThrow(try f.store.version(agentId: f.agentId, versionId: f.v1))
        XCTAssertNoThrow(try f.store.draftDiff(agentId: f.agentId, draftId: handle))
        XCTAssertNoThrow(try f.store.versionDiff(agentId: f.agentId, versionA: f.v1, versionB: f.v1))
        XCTAssertNoThrow(try f.store.agent(id: f.agentId))
    }

    func testFreezeRefusesWritesWith423() throws {
        let f = try Fixture()
        try f.store.updateOptions { $0.freeze = true }
        let e = assertSimError(423, "Agent config changes are frozen for a maintenance window") {
            try f.store.createDraft(agentId: f.agentId, CreateDraftRequest(sourceVersionId: f.v1))
        }
        XCTAssertEqual(e?.body.errorType, .configFreezeActive)
        assertSimError(423) { try f.store.createAgent(["name": "x"]) }
        assertSimError(423) { try f.store.archiveAgent(id: f.agentId) }
        XCTAssertNoThrow(try f.store.versions(agentId: f.agentId))
    }
}
