import XCTest
@testable import AtomsSimulator
import AtomsModels
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Real HTTP against an embedded simulator on port 0.
final class HTTPTests: XCTestCase {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
        func json() throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: body) }
    }

    func call(_ sim: EmbeddedSimulator, _ method: String, _ path: String, key: String? = "test-key",
              body: String? = nil) async throws -> Answer {
        try await Self.call(sim, method, path, key: key, body: body)
    }

    /// One request to the simulator, answered with status, headers and body (shared by the HTTP suites).
    static func call(_ sim: EmbeddedSimulator, _ method: String, _ path: String, key: String? = "test-key",
                     body: String? = nil) async throws -> Answer {
        var req = URLRequest(url: URL(string: sim.baseURL.absoluteString + path)!)
        req.httpMethod = method
        if let key { req.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            req.httpBody = Data(body.utf8)
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: req)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }

    func start(_ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> EmbeddedSimulator {
        var o = SimulatorOptions()
        configure(&o)
        return try await EmbeddedSimulator.start(o, clock: ManualClock())
    }

    func testAuthIsRequired() async throws {
        let sim = try await start { $0.apiKey = "secret" }
        XCTAssertGreaterThan(sim.port, 0)
        XCTAssertEqual(sim.baseURL.absoluteString, "http://127.0.0.1:\(sim.port)/atoms/v1")
        for key in [nil, "wrong", ""] as [String?] {
            let a = try await call(sim, "GET", "/agent", key: key)
            XCTAssertEqual(a.status, 401, "\(String(describing: key))")
            XCTAssertEqual(try a.json(), ["status": false, "errors": ["Unauthorized: User not found"]])
        }
        let ok = try await call(sim, "GET", "/agent", key: "secret")
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.header("Content-Type"), "application/json; charset=utf-8")
        let data = try XCTUnwrap(ok.json()["data"])
        XCTAssertEqual(data["total"], 0)
        XCTAssertEqual(data["totalCount"], 0)
        await sim.stop()
    }

    func testUnknownRoutesAndPlainDeleteAnswerExpressHTMLPages() async throws {
        let sim = try await start()
        let id = try sim.store.createAgent(["name": "Del"])
        let del = try await call(sim, "DELETE", "/agent/\(id)")
        XCTAssertEqual(del.status, 404)
        XCTAssertEqual(del.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertTrue(del.text.contains("<pre>Cannot DELETE /atoms/v1/agent/\(id)</pre>"), del.text)
        let org = try await call(sim, "GET", "/organization")
        XCTAssertEqual(org.status, 404)
        XCTAssertTrue(org.text.contains("<pre>Cannot GET /atoms/v1/organization</pre>"), org.text)
        XCTAssertEqual(org.header("Content-Type"), "text/html; charset=utf-8")
        let s1 = try await call(sim, "GET", "/agent/\(id)/resolved-config").status
        XCTAssertEqual(s1, 404)
        // The agent is still there; archive is the real delete.
        let s2 = try await call(sim, "GET", "/agent/\(id)").status
        XCTAssertEqual(s2, 200)
        let archived = try await call(sim, "DELETE", "/agent/\(id)/archive")
        XCTAssertEqual(archived.status, 200)
        XCTAssertEqual(try archived.json()["data"], ["message": "Agent archived"])
        let s3 = try await call(sim, "DELETE", "/agent/\(id)/archive").status
        XCTAssertEqual(s3, 409)
        let back = try await call(sim, "DELETE", "/agent/\(id)/archive?on=false")
        XCTAssertEqual(try back.json()["data"], ["message": "Agent unarchived"])
        await sim.stop()
    }

    func testBranchModelAnswers409WithDeprecationHeader() async throws {
        let sim = try await start { $0.branchModel = true }
        let id = try sim.store.createAgent(["name": "Branchy"])
        let v1 = try XCTUnwrap(sim.store.agent(id: id).activeVersionId)
        let a = try await call(sim, "POST", "/agent/\(id)/drafts", body: #"{"sourceVersionId":"\#(v1)"}"#)
        XCTAssertEqual(a.status, 409)
        XCTAssertEqual(a.header("Deprecation"), "true")
        let body = try a.json()
        XCTAssertEqual(body["error_type"], "versioning_v2_migration_required")
        XCTAssertEqual(body["errors"], [.string(migrationRequiredMessage)])
        let list = try await call(sim, "GET", "/agent/\(id)/versions")
        XCTAssertEqual(list.status, 409)
        XCTAssertEqual(list.header("Deprecation"), "true")
        let byId = try await call(sim, "GET", "/agent/\(id)/versions/\(v1)")
        XCTAssertEqual(byId.status, 200)
        XCTAssertNil(byId.header("Deprecation"))
        await sim.stop()
    }

    func testMalformedJSONIsA400JSONBody() async throws {
        let sim = try await start()
        let id = try sim.store.createAgent(["name": "J"])
        let v1 = try XCTUnwrap(sim.store.agent(id: id).activeVersionId)
        let created = try await call(sim, "POST", "/agent/\(id)/drafts", body: #"{"sourceVersionId":"\#(v1)"}"#)
        XCTAssertEqual(created.status, 201)
        let handle = try XCTUnwrap(created.json()["data"]?["draftId"]?.stringValue)
        let bad = try await call(sim, "PATCH", "/agent/\(id)/drafts/\(handle)/config", body: #"{"firstMessage": "#)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.header("Content-Type"), "application/json; charset=utf-8")
        XCTAssertEqual(try bad.json()["status"], false)
        XCTAssertEqual(try bad.json()["errors"]?.arrayValue?.count, 1)
        let empty = try await call(sim, "POST", "/agent/\(id)/drafts", body: "{}")
        XCTAssertEqual(empty.status, 400)
        XCTAssertEqual(try empty.json()["errors"], ["Either sourceVersionId or sourceDraftId is required"])
        let badId = try await call(sim, "GET", "/agent/not-an-id/versions")
        XCTAssertEqual(badId.status, 400)
        let unknown = try await call(sim, "GET", "/agent/\(String(repeating: "f", count: 24))/drafts")
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(try unknown.json()["errors"], ["Agent not found"])
        let noAgent = try await call(sim, "GET", "/agent/\(String(repeating: "f", count: 24))")
        XCTAssertEqual(noAgent.status, 400)
        XCTAssertEqual(try noAgent.json()["errors"], ["No agent found"])
        await sim.stop()
    }

    func testLifecycleOverHTTP() async throws {
        let sim = try await start { $0.scanSeconds = 0 }
        let created = try await call(sim, "POST", "/agent",
                                     body: #"{"name":"Zoë","language":{"default":"en","switching":{"isEnabled":false}}}"#)
        XCTAssertEqual(created.status, 201)
        let id = try XCTUnwrap(created.json()["data"]?.stringValue)
        let agent = try await call(sim, "GET", "/agent/\(id)")
        let v1 = try XCTUnwrap(agent.json()["data"]?["activeVersionId"]?.stringValue)
        XCTAssertNotNil(try agent.json()["data"]?["_resolvedConfig"]?["prompt"])
        let noSwitch = try await call(sim, "POST", "/agent", body: #"{"name":"x","language":{"default":"en"}}"#)
        XCTAssertEqual(try noSwitch.json()["errors"], ["Invalid Input: Required"])

        let draft = try await call(sim, "POST", "/agent/\(id)/drafts", body: #"{"sourceVersionId":"\#(v1)","draftName":"Mine"}"#)
        let handle = try XCTUnwrap(draft.json()["data"]?["draftId"]?.stringValue)
        let patched = try await call(sim, "PATCH", "/agent/\(id)/drafts/\(handle)/config", body: #"{"firstMessage":"Hola"}"#)
        XCTAssertEqual(patched.status, 200)
        XCTAssertEqual(try patched.json()["data"]?["draftRevision"], 2)
        XCTAssertFalse(patched.text.contains("Hola"))
        let list = try await call(sim, "GET", "/agent/\(id)/drafts")
        XCTAssertEqual(try list.json()["data"]?.arrayValue?.first?["lastEditorName"], "Demo User")
        let published = try await call(sim, "POST", "/agent/\(id)/drafts/\(handle)/publish", body: #"{"label":"v2","activate":true}"#)
        XCTAssertEqual(published.status, 201)
        XCTAssertEqual(try published.json()["data"]?["isActive"], false)
        XCTAssertEqual(try published.json()["data"]?["securityCheck"]?["status"], "pending")
        let v2 = try XCTUnwrap(published.json()["data"]?["_id"]?.stringValue)
        let activated = try await call(sim, "PATCH", "/agent/\(id)/versions/\(v2)/activate")
        XCTAssertEqual(activated.status, 200, activated.text)
        let after = try await call(sim, "GET", "/agent/\(id)")
        XCTAssertEqual(try after.json()["data"]?["activeVersionId"]?.stringValue, v2)
        XCTAssertEqual(try after.json()["data"]?["_resolvedConfig"]?["firstMessage"], "Hola")
        let diff = try await call(sim, "GET", "/agent/\(id)/versions/diff?versionA=\(v1)&versionB=\(v2)")
        XCTAssertEqual(try diff.json()["data"]?["diffs"]?.arrayValue?.first?["section"], "call_handling")
        let bad = try await call(sim, "PATCH", "/agent/\(id)/versions/null/activate")
        XCTAssertEqual(try bad.json()["errors"], ["Invalid versionId format"])
        await sim.stop()
    }

    func testFreezeRateLimitAndFaults() async throws {
        let frozen = try await start { $0.freeze = true }
        let f = try await call(frozen, "POST", "/agent", body: #"{"name":"x"}"#)
        XCTAssertEqual(f.status, 423)
        XCTAssertEqual(try f.json()["error_type"], "config_freeze_active")
        let s4 = try await call(frozen, "GET", "/agent").status
        XCTAssertEqual(s4, 200)
        await frozen.stop()

        let limited = try await start { $0.rateLimit = 2 }
        let s5 = try await call(limited, "GET", "/agent").status
        XCTAssertEqual(s5, 200)
        let s6 = try await call(limited, "GET", "/agent").status
        XCTAssertEqual(s6, 200)
        let third = try await call(limited, "GET", "/agent")
        XCTAssertEqual(third.status, 429)
        XCTAssertEqual(third.header("Retry-After"), "1")
        XCTAssertEqual(try third.json()["status"], false)
        let s7 = try await call(limited, "GET", "/agent", key: "other-key").status
        XCTAssertEqual(s7, 200)
        await limited.stop()

        let faulty = try await start { $0.faultRate = 1 }
        var statuses = Set<Int>()
        for _ in 0..<6 {
            let a = try await call(faulty, "GET", "/agent")
            statuses.insert(a.status)
            if a.status == 503 { XCTAssertEqual(a.header("Retry-After"), "1") }
            if a.status >= 500 { XCTAssertEqual(try a.json()["status"], false) }
        }
        XCTAssertTrue(statuses.contains(500) && statuses.contains(503), "\(statuses)")
        await faulty.stop()
    }
}
