import AtomsModels
import AtomsSimulator
import Foundation
import TestSupport
import XCTest
@testable import AtomsClient

/// Each fault kind on its own, and the dangerous one — a publish applied whose answer is lost — through
/// the client and the CLI: never published twice, nothing activated, a clear exit 1.
final class FaultInjectionTests: XCTestCase {
    static let key = "fault-key"

    func start(_ faults: FaultMix?) throws -> EmbeddedSimulator {
        var o = SimulatorOptions()
        o.apiKey = Self.key
        o.scanSeconds = 0.2
        o.faults = faults
        let opts = o
        return try blocking { try await EmbeddedSimulator.start(opts) }
    }

    func agentAndDraft(_ store: SimulatorStore) throws -> (String, String) {
        let id = try store.createAgent([
            "name": "Fault Agent", "singlePromptConfig": ["prompt": "p", "tools": []], "firstMessage": "Hello!",
            "language": ["default": "en", "supported": ["en"], "switching": ["isEnabled": false]],
        ])
        let v1 = try XCTUnwrap(try store.agent(id: id).activeVersionId)
        let d = try store.createDraft(agentId: id, CreateDraftRequest(sourceVersionId: v1, draftName: "d"))
        return (id, try XCTUnwrap(d.draftId))
    }

    func testParseAndDescribe() throws {
        let m = try FaultMix.parse("500=0.1,503=0.05,429=0.05,slow=0.1,drop=0.05,lost=0.05,slow-max-ms=800,only=publish")
        XCTAssertEqual(m.total, 0.4, accuracy: 1e-9)
        XCTAssertEqual(m.slowMaxMilliseconds, 800)
        XCTAssertEqual(m.onlyMatching, "publish")
        XCTAssertEqual(try FaultMix.parse(m.description), m)
        XCTAssertEqual(try FaultMix.parse("soak"), FaultMix.soak)
        XCTAssertEqual(FaultMix.soak.total, 0.2, accuracy: 1e-9)
        XCTAssertThrowsError(try FaultMix.parse("teapot=0.1"))
        XCTAssertThrowsError(try FaultMix.parse("500=0.7,503=0.7"))
    }

    func testEachKindThroughTheClient() async throws {
        func client(_ sim: EmbeddedSimulator, retries: Int = 0) -> AtomsClient {
            AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: Self.key, requestTimeout: 10, maxRetries: retries, baseBackoff: 0.01),
                        sleeper: { _ in })
        }
        for (kind, check) in [
            (FaultMix.Kind.serverError, { (e: AtomsError) in e.status == 500 }),
            (.unavailable, { (e: AtomsError) in e.status == 503 }),
            (.throttled, { (e: AtomsError) in e.status == 429 }),
            (.dropped, { (e: AtomsError) in e.kind == .network }),
            (.lost, { (e: AtomsError) in e.kind == .network }),
        ] {
            var m = FaultMix()
            m[kind] = 1
            let sim = try start(m)
            do { _ = try await client(sim).listAgents(); XCTFail("\(kind) answered") } catch let e as AtomsError {
                XCTAssertTrue(check(e), "\(kind): \(e)")
            }
            XCTAssertEqual(sim.faults.count(kind), 1)
            await sim.stop()
        }
        // 429 and 503 carry Retry-After: 1 and are retried (the sleeper is told to wait 1 s).
        var m = FaultMix()
        m.throttled = 0.5
        let sim = try start(m)
        let waits = Locked<[Double]>([])
        let c = AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: Self.key, maxRetries: 10),
                            sleeper: { s in waits.withLock { $0.append(s) } })
        for _ in 0..<10 { _ = try await c.listAgents() }
        XCTAssertTrue(waits.withLock { $0 }.allSatisfy { $0 == 1 } && !waits.withLock { $0 }.isEmpty, "\(waits.withLock { $0 })")
        await sim.stop()
        // Slowed answers arrive, late.
        var slow = FaultMix()
        slow.slow = 1
        slow.slowMaxMilliseconds = 600
        let slowSim = try start(slow)
        let t0 = Date()
        for _ in 0..<4 { _ = try await client(slowSim).listAgents() }
        XCTAssertGreaterThan(Date().timeIntervalSince(t0), 0.4)
        await slowSim.stop()
    }

    /// The simulator really applies a lost publish; the client does not resend it.
    func testLostPublishIsAppliedOnceAndNeverResent() async throws {
        var m = FaultMix()
        m.lost = 1
        m.onlyMatching = "publish"
        let sim = try start(m)
        let (agent, draft) = try agentAndDraft(sim.store)
        let c = AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: Self.key, maxRetries: 3, baseBackoff: 0.01), sleeper: { _ in })
        do { _ = try await Lifecycle(client: c).publish(agentId: agent, draftId: draft, label: "once", description: nil); XCTFail() } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .network)
            XCTAssertTrue(e.description.contains("nothing was activated") && e.description.contains("may or may not"), e.description)
        }
        XCTAssertEqual(try sim.store.versions(agentId: agent).versions.count, 2, "applied once, not resent")
        XCTAssertEqual(sim.faults.count(.lost), 1, "the client sent the publish exactly once")
        // What a blind retry meets: the publish went through (v1 publishing consumes the draft), so a
        // resent request fails with "not found" — a client that retried would report a missing draft
        // while a new version exists. Ours says the truth instead (above).
        try sim.store.updateOptions { $0.faults = nil }
        do { _ = try await c.publishDraft(agent, draft, label: "again", description: nil); XCTFail("the draft was consumed") } catch let e as AtomsError {
            XCTAssertTrue([400, 404].contains(e.status ?? 0), e.description)
        }
        XCTAssertEqual(try sim.store.versions(agentId: agent).versions.count, 2)
        await sim.stop()
    }

    /// A write whose connection dies before any byte of answer is not resent underneath us either:
    /// libcurl retries a request on a reused keep-alive connection that turns out dead, so writes go
    /// on a connection of their own. The stub keeps connections alive and drops the one a POST/PATCH came on.
    func testAWriteOnADroppedKeepAliveConnectionIsSentOnce() async throws {
        let list = #"{"status":true,"data":{"agents":[],"total":0,"totalPages":1,"hasMore":false}}"#
        let stub = try StubHTTPServer { method, _ in
            method == "GET" ? StubHTTPServer.Answer(body: Data(list.utf8)) : StubHTTPServer.Answer(status: 0, body: Data(), declaredLength: 500)
        }
        stub.keepAlive = true
        defer { stub.stop() }
        let c = AtomsClient(configuration: ClientConfiguration(baseURL: URL(string: stub.baseURL)!, apiKey: "k", requestTimeout: 5,
                                                               maxRetries: 3, baseBackoff: 0.01), sleeper: { _ in })
        let id = "65f0a1b2c3d4e5f6a7b8c9d0"
        for _ in 0..<3 { _ = try await c.listAgents() }   // warm keep-alive connections
        do { _ = try await c.publishDraft(id, id, label: "once", description: nil); XCTFail("answered") } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .network, e.description)
        }
        do { _ = try await c.patchDraftConfig(id, id, ["firstMessage": "x"]); XCTFail("answered") } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .network, e.description)
        }
        _ = try await c.listAgents()
        // Counted by request heads: before the fix libcurl sent the POST's head a second time on a fresh
        // connection (its body did not follow only because the upload could not be rewound).
        XCTAssertEqual(stub.heads.filter { $0.hasPrefix("POST") }.count, 1, "\(stub.heads)")
        XCTAssertEqual(stub.heads.filter { $0.hasPrefix("PATCH") }.count, 1, "\(stub.heads)")
        XCTAssertTrue(stub.heads.filter { !$0.hasPrefix("GET") }.allSatisfy { $0.contains("Connection: close") }, "writes ask for a fresh connection")
    }

    /// Through the CLI: `publish --wait --activate` whose publish answer is lost exits 1, says so, and
    /// activates nothing.
    func testCLIAfterALostPublishAnswerExitsOneAndActivatesNothing() throws {
        var m = FaultMix()
        m.lost = 1
        m.onlyMatching = "publish"
        let sim = try start(m)
        defer { blocking { await sim.stop() } }
        let (agent, draft) = try agentAndDraft(sim.store)
        let p = try ChildProcess.spawn(["publish", agent, draft, "--label", "lost", "--wait", "--activate", "--base-url", sim.baseURL.absoluteString],
                                       environment: ["SMALLEST_API_KEY": Self.key])
        XCTAssertEqual(p.wait(timeout: 60), 1, p.stderr)
        XCTAssertTrue(p.stderr.contains("no answer to the publish") && p.stderr.contains("nothing was activated"), p.stderr)
        XCTAssertTrue(p.stderr.contains("versions list"), "it says how to check: \(p.stderr)")
        let versions = try sim.store.versions(agentId: agent).versions
        XCTAssertEqual(versions.count, 2)
        XCTAssertEqual(versions.filter(\.isActive).count, 1)
        XCTAssertFalse(try XCTUnwrap(versions.first { $0.label == "lost" }).isActive)
        XCTAssertTrue(sim.store.activationAttempts(agentId: agent).isEmpty)
    }
}
