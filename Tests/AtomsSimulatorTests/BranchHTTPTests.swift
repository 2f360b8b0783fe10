import XCTest
@testable import AtomsSimulator
import AtomsModels
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The v2 routes over real HTTP: status codes, bodies, headers.
final class BranchHTTPTests: XCTestCase {
    func call(_ sim: EmbeddedSimulator, _ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, json: JSONValue?, text: String, headers: [String: String]) {
        var req = URLRequest(url: URL(string: sim.baseURL.absoluteString + path)!)
        req.httpMethod = method
        req.setValue("Bearer k", forHTTPHeaderField: "Authorization")
        if let body { req.httpBody = Data(body.utf8); req.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: req)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
        return (http.statusCode, try? JSONDecoder().decode(JSONValue.self, from: data), String(decoding: data, as: UTF8.self), headers)
    }

    func testV2RoutesStatusCodesAndBodies() async throws {
        let clock = ManualClock()
        var o = SimulatorOptions()
        o.branchModel = true
        let sim = try await EmbeddedSimulator.start(o, clock: clock)
        defer { Task { await sim.stop() } }
        let agentId = try sim.store.createAgent(["name": "HTTP v2"])
        let list = try await call(sim, "GET", "/agent/\(agentId)/branches")
        XCTAssertEqual(list.status, 200)
        let main = try XCTUnwrap(list.json?["data"]?["branches"]?.arrayValue?.first)
        XCTAssertEqual(main["isLive"], true)
        XCTAssertEqual(main["branch"]?["isDefault"], true)
        XCTAssertEqual(main["branch"]?["name"], "main")
        let mainId = try XCTUnwrap(main["branch"]?["_id"]?.stringValue)
        let put = try await call(sim, "PUT", "/agent/\(agentId)/branches/\(mainId)/draft", body: #"{"firstMessage":"Hi","expectedRevision":0}"#)
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertEqual(put.json?["data"]?["draftRevision"], 1)
        let publish = try await call(sim, "POST", "/agent/\(agentId)/branches/\(mainId)/draft/publish", body: #"{"label":"hi"}"#)
        XCTAssertEqual(publish.status, 202)
        XCTAssertEqual(publish.json, ["status": true, "data": ["state": "scanning"]], "a 202 carries only state")
        let scanning = try await call(sim, "GET", "/agent/\(agentId)/branches/\(mainId)/revisions?limit=1")
        XCTAssertEqual(scanning.json?["data"]?["revisions"]?.arrayValue?.first?["securityCheck"]?["status"], "queued")
        XCTAssertEqual(scanning.json?["data"]?["total"], 2)
        clock.advance(by: 7)
        let agent = try await call(sim, "GET", "/agent/\(agentId)")
        let head = try await call(sim, "GET", "/agent/\(agentId)/branches/\(mainId)")
        XCTAssertEqual(agent.json?["data"]?["activeVersionId"], head.json?["data"]?["branch"]?["headRevisionId"],
                       "a plain agent read already sees the commit")
        XCTAssertEqual(head.json?["data"]?["headRevisionNumber"], 2)
        // Rich conflict body.
        _ = try await call(sim, "PUT", "/agent/\(agentId)/branches/\(mainId)/draft", body: #"{"globalPrompt":"A"}"#)
        _ = try await call(sim, "PUT", "/agent/\(agentId)/branches/\(mainId)/draft", body: #"{"globalPrompt":"B"}"#)
        let conflict = try await call(sim, "PUT", "/agent/\(agentId)/branches/\(mainId)/draft", body: #"{"globalPrompt":"C","expectedRevision":1}"#)
        XCTAssertEqual(conflict.status, 409)
        XCTAssertEqual(conflict.json?["status"], false)
        XCTAssertEqual(conflict.json?["errors"], ["workflow_prompt.globalPrompt"])
        XCTAssertEqual(conflict.json?["data"]?["conflict"]?["expectedRevision"], 1)
        XCTAssertEqual(conflict.json?["data"]?["conflict"]?["latestRevision"], 2)
        XCTAssertNil(conflict.json?["error_type"])
        let base = try await call(sim, "PUT", "/agent/\(agentId)/branches/\(mainId)/draft", body: #"{"globalPrompt":"C","expectedRevision":99}"#)
        XCTAssertEqual(base.json, ["status": false, "errors": ["base_revision_unavailable"]])
        let cancel = try await call(sim, "POST", "/agent/\(agentId)/branches/\(mainId)/draft/publish/cancel")
        XCTAssertEqual(cancel.json, ["status": true, "data": ["cancelled": true]])
        let created = try await call(sim, "POST", "/agent/\(agentId)/branches", body: #"{"sourceBranchId":"\#(mainId)","name":"b"}"#)
        XCTAssertEqual(created.status, 201)
        let missing = try await call(sim, "POST", "/agent/\(agentId)/branches", body: #"{"name":"c"}"#)
        XCTAssertEqual(missing.status, 400)
        let v1write = try await call(sim, "POST", "/agent/\(agentId)/drafts", body: #"{"sourceVersionId":"\#(mainId)"}"#)
        XCTAssertEqual(v1write.status, 409)
        XCTAssertEqual(v1write.headers["deprecation"], "true")
    }

    func testV2RoutesAreExpress404sWithoutTheBranchModel() async throws {
        let sim = try await EmbeddedSimulator.start(SimulatorOptions(), clock: ManualClock())
        defer { Task { await sim.stop() } }
        let agentId = try sim.store.createAgent(["name": "v1 only"])
        let r = try await call(sim, "GET", "/agent/\(agentId)/branches")
        XCTAssertEqual(r.status, 404)
        XCTAssertTrue(r.text.contains("Cannot GET /atoms/v1/agent/\(agentId)/branches"), r.text)
    }
}
