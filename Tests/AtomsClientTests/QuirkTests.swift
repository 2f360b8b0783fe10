import AtomsModels
import AtomsSimulator
import XCTest
@testable import AtomsClient

/// One test per documented quirk and ruling: the simulator reproduces it, the client handles it.
final class QuirkTests: XCTestCase {
    func testEmptyDraftCreateIs400WithDocumentedMessage() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, _) = try await h.makeAgent()
        do {
            _ = try await h.client.createDraft(agentId, CreateDraftRequest())
            XCTFail("expected 400")
        } catch let e as AtomsError {
            XCTAssertEqual(e.status, 400, "\(e)")
            XCTAssertEqual(e.serverErrors, ["Either sourceVersionId or sourceDraftId is required"])
            XCTAssertTrue(e.description.contains("Either sourceVersionId or sourceDraftId is required"))
        }
    }

    func testLanguageWithoutSwitchingIs400() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        do {
            _ = try await h.client.createAgent(["name": "x", "language": ["default": "en", "supported": ["en"]]])
            XCTFail("expected 400")
        } catch let e as AtomsError {
            XCTAssertEqual(e.status, 400)
            XCTAssertEqual(e.serverErrors, ["Invalid Input: Required"])
        }
    }

    func testPlainDeleteIsExpressHTML404() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, _) = try await h.makeAgent()
        do {
            _ = try await h.client.raw("DELETE", "/agent/\(agentId)", idempotent: true)
            XCTFail("expected 404")
        } catch let e as AtomsError {
            XCTAssertEqual(e.status, 404)
            XCTAssertEqual(e.serverErrors, ["Cannot DELETE /atoms/v1/agent/\(agentId)"])
            XCTAssertTrue(e.description.contains("--base-url"), "HTML 404s get a hint: \(e.description)")
        }
    }

    func testArchiveAndUnarchive() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, _) = try await h.makeAgent()
        let awaited1 = try await h.client.archiveAgent(agentId).message
        XCTAssertEqual(awaited1, "Agent archived")
        let awaited2 = try await h.client.getAgent(agentId).archived
        XCTAssertTrue(awaited2)
        do { _ = try await h.client.archiveAgent(agentId); XCTFail("expected 409") } catch let e as AtomsError {
            XCTAssertEqual(e.status, 409)
        }
        let awaited3 = try await h.client.unarchiveAgent(agentId).message
        XCTAssertEqual(awaited3, "Agent unarchived")
        let awaited4 = try await h.client.getAgent(agentId).archived
        XCTAssertFalse(awaited4)
    }

    func testUnknownAgentIs400NoAgentFound() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        do { _ = try await h.client.getAgent("0123456789abcdef01234567"); XCTFail() } catch let e as AtomsError {
            XCTAssertEqual(e.status, 400)
            XCTAssertEqual(e.serverErrors, ["No agent found"])
        }
    }

    func testConfigFieldOnVersionedAgentPatchIs400() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, _) = try await h.makeAgent()
        do { _ = try await h.client.updateAgent(agentId, ["firstMessage": "x"]); XCTFail() } catch let e as AtomsError {
            XCTAssertEqual(e.status, 400)
            XCTAssertEqual(e.serverErrors, ["Agent has versioning enabled. Config changes must be made through drafts."])
        }
        let awaited5 = try await h.client.updateAgent(agentId, ["name": "Renamed"])
        XCTAssertEqual(awaited5, agentId)
    }

    func testPatchDoesNotEchoAndRotatesBlocks() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let row = try await h.client.patchDraftConfig(agentId, draft.draftId!, ["firstMessage": "Changed"])
        XCTAssertEqual(row.draftRevision, (draft.draftRevision ?? 0) + 1)
        XCTAssertNotEqual(row.blocks?["call_handling"], draft.blocks?["call_handling"], "touched section block id rotates")
        XCTAssertEqual(row.blocks?["voice"], draft.blocks?["voice"], "untouched sections keep their block id")
        let raw = try await h.client.raw("PATCH", "/agent/\(agentId)/drafts/\(draft.draftId!)/config", body: ["firstMessage": JSONValue.string("Again")])
        XCTAssertFalse(String(decoding: raw.body, as: UTF8.self).contains("Again"), "the PATCH answer must not echo the sent fields")
    }

    func testBranchModelAnswersMigration409() async throws {
        let h = try await SimulatorHarness.start { $0.branchModel = true; $0.seedDemo = true }
        defer { Task { await h.sim.stop() } }
        let agents = try await h.client.listAgents()
        let agent = try XCTUnwrap(agents.agents.first)
        do { _ = try await h.client.listVersions(agent.id); XCTFail() } catch let e as AtomsError {
            XCTAssertEqual(e.status, 409)
            XCTAssertTrue(e.isMigrationRequired)
            XCTAssertTrue(e.description.contains("v2 branch model"), e.description)
        }
        let raw = try? await h.client.raw("GET", "/agent/\(agent.id)/drafts")
        XCTAssertNil(raw)
        // by-id reads keep working
        if let active = agent.activeVersionId {
            let awaited6 = try await h.client.getVersion(agent.id, active).version.id
            XCTAssertEqual(awaited6, active)
        }
    }

    func testDeprecationHeaderOnMigration409() async throws {
        let h = try await SimulatorHarness.start { $0.branchModel = true; $0.seedDemo = true }
        defer { Task { await h.sim.stop() } }
        let list = try await h.client.listAgents()
        let agent = try XCTUnwrap(list.agents.first)
        let t = URLSessionTransport()
        var req = HTTPRequest(method: "GET", url: try h.client.url("/agent/\(agent.id)/versions", []))
        req.headers["Authorization"] = "Bearer \(SimulatorHarness.key)"
        let r = try await t.send(req)
        XCTAssertEqual(r.status, 409)
        XCTAssertEqual(r.header("Deprecation"), "true")
    }

    func testUnauthorizedNeverLeaksTheKey() async throws {
        let h = try await SimulatorHarness.start(clientKey: "sk-canary-DO-NOT-LEAK-12345")
        defer { Task { await h.sim.stop() } }
        do { _ = try await h.client.listAgents(); XCTFail() } catch let e as AtomsError {
            XCTAssertEqual(e.status, 401)
            XCTAssertFalse(e.description.contains("canary"), e.description)
            XCTAssertTrue(e.description.contains("SMALLEST_API_KEY"), e.description)
        }
    }

    func testRateLimit429IsRetriedHonouringRetryAfter() async throws {
        let waits = WaitLog()
        let h = try await SimulatorHarness.start({ $0.rateLimit = 2; $0.seedDemo = true },
                                                 sleeper: { s in await waits.add(s); try await Task.sleep(nanoseconds: UInt64(s * 1e9)) })
        defer { Task { await h.sim.stop() } }
        for _ in 0..<5 { _ = try await h.client.listAgents() }
        let seen = await waits.all
        XCTAssertFalse(seen.isEmpty, "the rate limit must have been hit and retried")
        // Each 429 retry waits the Retry-After (1 s). (After the first 429 the client-side limiter also
        // paces requests, at the Free rate it falls back to; its waits are its own, not retry waits.)
        XCTAssertTrue(seen.allSatisfy { $0 >= 0.9 }, "Retry-After (1 s) honoured: \(seen)")
        XCTAssertEqual(h.client.rateLimiter.currentLimit, 10, "the adaptive limiter fell back to the Free rate")
    }

    func testNonIdempotentWriteIsNotRetriedOn500() async throws {
        final class Failing: HTTPTransport, @unchecked Sendable {
            var calls = 0
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                calls += 1
                return HTTPResponse(status: 500, headers: [:], body: Data(#"{"status":false,"errors":["Internal server error"]}"#.utf8))
            }
        }
        let t = Failing()
        let client = AtomsClient(configuration: ClientConfiguration(baseURL: URL(string: "http://127.0.0.1:9/atoms/v1")!, apiKey: "k", baseBackoff: 0.001),
                                 transport: t, sleeper: { _ in })
        _ = try? await client.publishDraft("0123456789abcdef01234567", "0123456789abcdef01234568", label: "x", description: nil)
        XCTAssertEqual(t.calls, 1, "POST publish must not be retried blindly")
        t.calls = 0
        _ = try? await client.listAgents()
        XCTAssertEqual(t.calls, 4, "GET is retried (1 + 3 retries)")
    }

    func testMalformedSuccessBodyIsAClearError() async throws {
        struct Canned: HTTPTransport {
            let body: String
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                HTTPResponse(status: 200, headers: [:], body: Data(body.utf8))
            }
        }
        for body in [#"{"status":true,"data":{"agents":[{"name":"x"}]"#, #"{"status":true,"data":{"agents":"nope"}}"#, "<html>oops</html>"] {
            let client = AtomsClient(configuration: ClientConfiguration(baseURL: URL(string: "http://127.0.0.1:9/atoms/v1")!, apiKey: "k"),
                                     transport: Canned(body: body), sleeper: { _ in })
            do { _ = try await client.listAgents(); XCTFail("decoded garbage: \(body)") } catch let e as AtomsError {
                XCTAssertEqual(e.kind, .decoding, body)
                XCTAssertTrue(e.description.contains("GET /agent"), e.description)
            }
        }
    }

    func testResolverFindsByNameNumberAndReportsAmbiguity() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (a1, _) = try await h.makeAgent(name: "Twin")
        _ = try await h.makeAgent(name: "twin")
        let (solo, _) = try await h.makeAgent(name: "Solo Agent")
        let r = Resolver(client: h.client)
        let awaited7 = try await r.agent("solo agent").id
        XCTAssertEqual(awaited7, solo)
        do { _ = try await r.agent("Twin"); XCTFail("ambiguous") } catch let e as AtomsError {
            XCTAssertTrue(e.description.contains("ambiguous"), e.description)
            XCTAssertTrue(e.description.contains(a1), e.description)
        }
        let awaited8 = try await r.version(agentId: solo, "v1").versionNumber
        XCTAssertEqual(awaited8, 1)
        let awaited9 = try await r.version(agentId: solo, "active").versionNumber
        XCTAssertEqual(awaited9, 1)
        do { _ = try await r.version(agentId: solo, "v99"); XCTFail() } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .invalidInput)
        }
    }

    func testBaseURLPolicyRefusesPlainHTTPToRemoteHosts() {
        XCTAssertThrowsError(try ClientConfiguration.checkBaseURL(URL(string: "http://api.example.com/atoms/v1")!, insecure: false))
        XCTAssertNoThrow(try ClientConfiguration.checkBaseURL(URL(string: "http://api.example.com/atoms/v1")!, insecure: true))
        XCTAssertNoThrow(try ClientConfiguration.checkBaseURL(URL(string: "http://127.0.0.1:8080/atoms/v1")!, insecure: false))
        XCTAssertNoThrow(try ClientConfiguration.checkBaseURL(URL(string: "https://api.smallest.ai/atoms/v1")!, insecure: false))
    }
}

actor WaitLog {
    var all: [TimeInterval] = []
    func add(_ s: TimeInterval) { all.append(s) }
}
