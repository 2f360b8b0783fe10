import XCTest
@testable import AtomsSimulator
import AtomsModels
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 13 over real HTTP against the in-process simulator: no crash on any number, nullable
/// fields, both shapes of the v2 draft fields, the agent document's top-level fields, status codes,
/// the newly simulated operations, and the knobs (plan, rate-limit shapes, read and list lag).
final class FidelityHTTPTests: XCTestCase {
    typealias Answer = HTTPTests.Answer

    func call(_ sim: EmbeddedSimulator, _ method: String, _ path: String, key: String? = "test-key",
              body: String? = nil) async throws -> Answer {
        try await HTTPTests.call(sim, method, path, key: key, body: body)
    }

    /// Asserts a status (a plain function, so the answer may be awaited in its argument).
    func expect(_ a: Answer, _ status: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.status, status, a.text, file: file, line: line)
    }

    /// Unwraps a value computed with `await` (XCTUnwrap's autoclosure cannot await).
    func unwrap<T>(_ v: T?, file: StaticString = #filePath, line: UInt = #line) throws -> T {
        try XCTUnwrap(v, file: file, line: line)
    }

    func start(clock: ManualClock = ManualClock(), _ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> EmbeddedSimulator {
        var o = SimulatorOptions()
        o.scanSeconds = 0
        configure(&o)
        return try await EmbeddedSimulator.start(o, clock: clock)
    }

    func agent(_ sim: EmbeddedSimulator, _ name: String = "Fidelity") throws -> (id: String, v1: String) {
        let id = try sim.store.createAgent([
            "name": .string(name), "firstMessage": "Hello there!",
            "singlePromptConfig": ["prompt": "Be kind.", "tools": [
                ["type": "knowledge_base_search", "name": "kb", "description": "FAQ", "knowledgeBaseId": "66b0c0ffee0000000000b001"],
                ["type": "end_call", "name": "end_call", "description": "End."],
            ]],
            "defaultVariables": ["city": "Paris"],
        ])
        return (id, try XCTUnwrap(sim.store.agent(id: id).activeVersionId))
    }

    /// Forks a draft from `version`, changes its first message and publishes it with `body`; the publish answer.
    func forkChangeAndPublish(_ sim: EmbeddedSimulator, _ id: String, from version: String, body: String) async throws -> Answer {
        let d = try await call(sim, "POST", "/agent/\(id)/drafts", body: #"{"sourceVersionId":"\#(version)"}"#)
        let handle = try XCTUnwrap(d.json()["data"]?["draftId"]?.stringValue)
        _ = try await call(sim, "PATCH", "/agent/\(id)/drafts/\(handle)/config", body: #"{"firstMessage":"Changed"}"#)
        return try await call(sim, "POST", "/agent/\(id)/drafts/\(handle)/publish", body: body)
    }

    // MARK: 1. No crash on any number

    func testHugeAndNegativeNumbersAre400sAndTheServerLives() async throws {
        let sim = try await start()
        let (id, _) = try agent(sim)
        let cases: [(String, Int)] = [
            ("/agent?page=1000000000000000000", 400), ("/agent?page=9223372036854775807", 400),
            ("/agent?page=99999999999999999999999", 400), ("/agent?page=-9223372036854775808", 400),
            ("/agent?offset=1000000000000000000", 400), ("/agent?page=1000000000", 200), ("/agent?page=3&offset=100", 200),
            ("/agent/\(id)/versions?skip=1000000000000000000", 400), ("/agent/\(id)/versions?skip=999999999", 200),
            ("/agent/\(id)/versions?limit=-1", 400), ("/agent/\(id)/call-logs?page=1000000000000000000", 400),
            ("/agent/\(id)/call-logs?page=999999999&offset=100", 200), ("/agent/\(id)/call-logs?offset=0", 400),
        ]
        for (path, status) in cases {
            let a = try await call(sim, "GET", path)
            XCTAssertEqual(a.status, status, "\(path): \(a.text)")
            XCTAssertEqual(a.header("Content-Type"), "application/json; charset=utf-8", path)
        }
        let page = try await call(sim, "GET", "/agent?page=1000000000")
        XCTAssertEqual(try page.json()["data"]?["agents"], [])
        let alive = try await call(sim, "GET", "/agent")
        XCTAssertEqual(alive.status, 200)
        await sim.stop()
    }

    func testBranchDraftHistoryLimitIsRangeChecked() async throws {
        let sim = try await start { $0.branchModel = true }
        let (id, _) = try agent(sim)
        let main = try unwrap(try await call(sim, "GET", "/agent/\(id)/branches").json()["data"]?["branches"]?.arrayValue?.first?["branch"]?["_id"]?.stringValue)
        let put = try await call(sim, "PUT", "/agent/\(id)/branches/\(main)/draft", body: #"{"firstMessage":"Hi"}"#)
        XCTAssertEqual(put.status, 200, put.text)
        for limit in ["-1", "0", "101", "1000000000000000000"] {
            let a = try await call(sim, "GET", "/agent/\(id)/branches/\(main)/draft?limit=\(limit)")
            XCTAssertEqual(a.status, 400, "limit=\(limit): \(a.text)")
        }
        let ok = try await call(sim, "GET", "/agent/\(id)/branches/\(main)/draft?limit=1")
        XCTAssertEqual(ok.status, 200)
        for (q, status) in [("limit=1000000000000000000", 400), ("skip=-1", 400), ("skip=1000000000", 200)] {
            let a = try await call(sim, "GET", "/agent/\(id)/branches/\(main)/revisions?\(q)")
            XCTAssertEqual(a.status, status, "\(q): \(a.text)")
        }
        await sim.stop()
    }

    /// A bounded fuzz of query, path and body values over every simulated operation (v1 and v2):
    /// any 5xx, a non-JSON error from a route that exists, or a dead server fails it.
    func testBoundedHTTPFuzzNeverAnswers5xxOrDies() async throws {
        let started = Date()
        var requests = 0
        for branchModel in [false, true] {
            let sim = try await start { $0.branchModel = branchModel; $0.seedDemo = true }
            let (id, v1) = try agent(sim)
            let draft = try sim.branchOrDraft(agentId: id, v1: v1, branchModel: branchModel)
            var rng = SplitMix64(seed: branchModel ? 2 : 1)
            let numbers = ["0", "-1", "1", "100", "101", "1000000000", "1000000001", "1000000000000000000", "9223372036854775807",
                           "-9223372036854775808", "99999999999999999999999", "1e3", "0x10", "1.5", "NaN", "", " ", "%00", "%FF", "１"]
            let words = ["", "x", "null", "true", "%2F", "..", "%2e%2e", String(repeating: "a", count: 3000), "ü日本🚀", "<script>",
                         "0123456789abcdef01234567", "zzzzzzzzzzzzzzzzzzzzzzzz", "%", "%ZZ", "a%20b", v1, id, draft]
            let bodies = ["", "{", "[]", "null", "1", "\"s\"", "{}", #"{"label":null,"description":null}"#,
                          #"{"firstMessage":null}"#, #"{"firstMessage":1e400}"#, #"{"expectedRevision":1e30}"#,
                          #"{"expectedRevision":-1,"firstMessage":"x"}"#, #"{"limit":9223372036854775807}"#,
                          #"{"name":""}"#, #"{"widgetConfig":{"borderRadius":1e308}}"#, #"{"mode":"telephony","toPhone":"+"}"#,
                          #"{"includeDraft":true,"revisionId":"x"}"#, #"{"targetOrganizationId":"66b0c0ffee000000000000aa"}"#,
                          #"{"timezone":"Mars/Olympus","speechFormatting":{},"pronunciationDicts":{"a":1},"callDispositionConfig":{}}"#,
                          #"{"sourceVersionId":"\#(v1)","draftName":"\#(String(repeating: "n", count: 500))"}"#,
                          String(repeating: "[", count: 5000), #"{"a":"\#(String(repeating: "\\u0000", count: 100))"}"#]
            let templates: [(String, String)] = [
                ("GET", "/agent"), ("GET", "/agent/{id}"), ("PATCH", "/agent/{id}"), ("POST", "/agent"), ("DELETE", "/agent/{id}/archive"),
                ("GET", "/agent/{id}/drafts"), ("POST", "/agent/{id}/drafts"), ("GET", "/agent/{id}/drafts/{d}"),
                ("PATCH", "/agent/{id}/drafts/{d}/config"), ("GET", "/agent/{id}/drafts/{d}/diff"), ("POST", "/agent/{id}/drafts/{d}/publish"),
                ("POST", "/agent/{id}/drafts/{d}/test-call"), ("GET", "/agent/{id}/versions"), ("GET", "/agent/{id}/versions/diff"),
                ("GET", "/agent/{id}/versions/{v}"), ("PATCH", "/agent/{id}/versions/{v}"), ("PATCH", "/agent/{id}/versions/{v}/activate"),
                ("POST", "/agent/{id}/versions/{v}/test-call"), ("GET", "/agent/{id}/branches"), ("POST", "/agent/{id}/branches"),
                ("GET", "/agent/{id}/branches/{d}"), ("PUT", "/agent/{id}/branches/{d}/draft"), ("GET", "/agent/{id}/branches/{d}/draft"),
                ("POST", "/agent/{id}/branches/{d}/draft/publish"), ("GET", "/agent/{id}/branches/{d}/revisions"),
                ("GET", "/agent/{id}/branches/{d}/revisions/{v}"), ("POST", "/agent/{id}/branches/{d}/test-call"),
                ("GET", "/agent/{id}/diff"), ("GET", "/agent/{id}/call-logs"), ("POST", "/agent/{id}/duplicate"),
                ("GET", "/agent/{id}/widget-config"), ("PATCH", "/agent/{id}/widget-config"), ("GET", "/user"),
            ]
            let params = ["page", "offset", "limit", "skip", "draftId", "versionId", "compareTo", "versionA", "versionB", "a", "b",
                          "isPinned", "archived", "sortField", "sortOrder", "search", "type", "on"]
            func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
            for round in 0..<40 {
                for (method, template) in templates {
                    // Path: the real ids, or a fuzzed segment in one of them.
                    var path = template.replacingOccurrences(of: "{id}", with: round % 3 == 0 ? pick(words) : id)
                        .replacingOccurrences(of: "{d}", with: round % 3 == 1 ? pick(words) : draft)
                        .replacingOccurrences(of: "{v}", with: round % 3 == 2 ? pick(words) : v1)
                    if path.contains("//") { path = path.replacingOccurrences(of: "//", with: "/x/") }
                    var query: [String] = []
                    for _ in 0..<(1 + Int(rng.next() % 3)) {
                        let value = rng.next() % 2 == 0 ? pick(numbers) : pick(words)
                        query.append("\(pick(params))=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
                    }
                    let body = method == "GET" ? nil : pick(bodies)
                    let a = try await call(sim, method, path + "?" + query.joined(separator: "&"), body: body)
                    requests += 1
                    XCTAssertLessThan(a.status, 500, "\(method) \(path)?\(query.joined(separator: "&")) body \(body?.prefix(80) ?? "-") → \(a.status) \(a.text.prefix(200))")
                    XCTAssertNotNil(a.header("x-request-id"))
                }
            }
            let alive = try await call(sim, "GET", "/agent")
            XCTAssertEqual(alive.status, 200, "the server is still alive")
            await sim.stop()
        }
        print("fuzz: \(requests) requests in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, no 5xx")
        XCTAssertGreaterThanOrEqual(requests, 2500)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "the fuzz stays bounded")
    }

    // MARK: 2. Nullable fields and the two shapes of the v2 draft fields

    /// A version document's nullable fields that do not apply are `null` on the wire, not left out (the
    /// spec: "Fields that do not apply to a given row are null"; the live publish answer carries
    /// `activatedBy`/`activatedAt`). Clients that read keys strictly see them.
    func testFieldsThatDoNotApplyAreNullNotMissing() async throws {
        let sim = try await start()
        let (id, v1) = try agent(sim)
        let pub = try await forkChangeAndPublish(sim, id, from: v1, body: #"{"label":"x"}"#)
        XCTAssertEqual(pub.status, 201, pub.text)
        let row = try XCTUnwrap(pub.json()["data"]?.objectValue, pub.text)
        for key in ["activatedBy", "activatedAt", "description"] {
            XCTAssertEqual(row[key], .null, "\(key) is present and null: \(pub.text)")
        }
        let list = try await call(sim, "GET", "/agent/\(id)/versions")
        let rows = try XCTUnwrap(list.json()["data"]?["versions"]?.arrayValue)
        for r in rows { XCTAssertNotNil(r.objectValue?["activatedAt"], "every listed row carries activatedAt: \(r)") }
        await sim.stop()
    }

    func testNullLabelAndDescriptionAreAccepted() async throws {
        let sim = try await start()
        let (id, v1) = try agent(sim)
        let pub = try await forkChangeAndPublish(sim, id, from: v1, body: #"{"label":null,"description":null}"#)
        XCTAssertEqual(pub.status, 201, pub.text)
        let v2 = try XCTUnwrap(pub.json()["data"]?["_id"]?.stringValue)
        let labelled = try await call(sim, "PATCH", "/agent/\(id)/versions/\(v2)", body: #"{"label":"keep","description":"d"}"#)
        XCTAssertEqual(try labelled.json()["data"]?["label"], "keep")
        let cleared = try await call(sim, "PATCH", "/agent/\(id)/versions/\(v2)", body: #"{"label":null}"#)
        XCTAssertEqual(cleared.status, 200, cleared.text)
        XCTAssertEqual(try cleared.json()["data"]?["label"] ?? .null, .null, "null clears the label")
        XCTAssertEqual(try cleared.json()["data"]?["description"], "d")
        let wrong = try await call(sim, "PATCH", "/agent/\(id)/versions/\(v2)", body: #"{"label":5}"#)
        XCTAssertEqual(wrong.status, 400)
        XCTAssertEqual(try wrong.json()["errors"], ["label: Expected string, received number"])
        await sim.stop()
    }

    func testV2PublishWithNullLabelAndBothDraftFieldShapes() async throws {
        let sim = try await start { $0.branchModel = true }
        let (id, _) = try agent(sim)
        let main = try unwrap(try await call(sim, "GET", "/agent/\(id)/branches").json()["data"]?["branches"]?.arrayValue?.first?["branch"]?["_id"]?.stringValue)
        // The UpdateBranchDraftRequest shapes.
        let put = try await call(sim, "PUT", "/agent/\(id)/branches/\(main)/draft", body: """
            {"timezone":"Asia/Kolkata","speechFormatting":{"isEnabled":false},"pronunciationDicts":{"GIF":"jif"},
             "callDispositionConfig":{"prompt":"Classify the outcome."}}
            """)
        XCTAssertEqual(put.status, 200, put.text)
        let draftId = try XCTUnwrap(put.json()["data"]?["draftId"]?.stringValue)
        let view = try await call(sim, "GET", "/agent/\(id)?draftId=\(draftId)")
        let resolved = try XCTUnwrap(view.json()["data"]?["_resolvedConfig"])
        XCTAssertEqual(resolved["timezone"], ["label": "Asia/Kolkata", "offset": 330], "answered in the AgentDTO shape")
        XCTAssertEqual(resolved["speechFormatting"], false)
        XCTAssertEqual(resolved["pronunciationDicts"], [["word": "GIF", "pronunciation": "jif"]])
        XCTAssertEqual(resolved["callDispositionConfig"], "Classify the outcome.")
        // The CreateAgentRequest shapes are accepted too; a bad value names both shapes.
        let put2 = try await call(sim, "PUT", "/agent/\(id)/branches/\(main)/draft", body: """
            {"timezone":{"label":"UTC","offset":0},"speechFormatting":true,"pronunciationDicts":[{"word":"SQL","pronunciation":"sequel"}],
             "callDispositionConfig":"plain"}
            """)
        XCTAssertEqual(put2.status, 200, put2.text)
        let bad = try await call(sim, "PUT", "/agent/\(id)/branches/\(main)/draft", body: #"{"timezone":5}"#)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(try bad.json()["errors"], ["timezone: Expected string or object, received number"])
        let unknownZone = try await call(sim, "PUT", "/agent/\(id)/branches/\(main)/draft", body: #"{"timezone":"Mars/Olympus"}"#)
        XCTAssertEqual(unknownZone.status, 400)
        // Publish with label null (the vendor helper's default) → accepted.
        let pub = try await call(sim, "POST", "/agent/\(id)/branches/\(main)/draft/publish", body: #"{"label":null}"#)
        XCTAssertTrue([200, 202].contains(pub.status), pub.text)
        await sim.stop()
    }

    // MARK: 3. The agent document

    func testAgentDocumentCarriesAgentDTOTopLevelFields() async throws {
        let sim = try await start()
        let (id, _) = try agent(sim)
        let one = try unwrap(try await call(sim, "GET", "/agent/\(id)").json()["data"])
        XCTAssertEqual(one["firstMessage"], "Hello there!")
        for k in ["firstMessage", "allowInterruptions", "waitForUserToSpeakFirst", "timezone", "slmModel", "synthesizer",
                  "language", "voiceMailDetectionConfig", "enableStyleGuide", "defaultVariables"] {
            XCTAssertNotNil(one[k], k)
            let inResolved = one["_resolvedConfig"]?[k == "slmModel" ? "modelName" : k]
            if k != "language" { XCTAssertEqual(one[k], inResolved, "\(k) agrees with _resolvedConfig") }
        }
        let list = try unwrap(try await call(sim, "GET", "/agent").json()["data"]?["agents"]?.arrayValue?.first)
        XCTAssertEqual(list["firstMessage"], "Hello there!")
        XCTAssertNil(list["_resolvedConfig"])
        await sim.stop()
    }

    // MARK: 4. Status codes

    func testMalformedBranchAgentIdIs404AndEmptyRefsAreAbsent() async throws {
        let sim = try await start { $0.branchModel = true }
        let (id, _) = try agent(sim)
        let bad = try await call(sim, "GET", "/agent/not-an-id/branches")
        XCTAssertEqual(bad.status, 404)
        XCTAssertEqual(try bad.json()["errors"], ["Agent not found"])
        let plain = try await call(sim, "GET", "/agent/\(id)")
        for q in ["draftId=", "versionId=", "draftId=&versionId="] {
            let a = try await call(sim, "GET", "/agent/\(id)?\(q)")
            XCTAssertEqual(a.status, 200, "\(q): \(a.text)")
            XCTAssertEqual(try a.json()["data"]?["_resolvedConfig"], try plain.json()["data"]?["_resolvedConfig"])
            XCTAssertNil(try a.json()["data"]?["_configSource"])
        }
        await sim.stop()
    }

    // MARK: 5. The newly simulated operations

    func testUserDuplicateWidgetAndTestCalls() async throws {
        let sim = try await start()
        let (id, v1) = try agent(sim)
        let user = try await call(sim, "GET", "/user")
        XCTAssertEqual(user.status, 200)
        XCTAssertEqual(try user.json()["data"]?["organizationId"], "66b0c0ffee000000000000aa")
        expect(try await call(sim, "GET", "/user", key: nil), 401)
        // Duplicate: same config minus knowledge-base tools, variables blanked; other org → 403.
        let dup = try await call(sim, "POST", "/agent/\(id)/duplicate", body: #"{"targetOrganizationId":"66b0c0ffee000000000000aa"}"#)
        XCTAssertEqual(dup.status, 201, dup.text)
        let copy = try XCTUnwrap(dup.json()["data"]?["_id"]?.stringValue)
        let copied = try unwrap(try await call(sim, "GET", "/agent/\(copy)").json()["data"])
        XCTAssertEqual(copied["firstMessage"], "Hello there!")
        XCTAssertEqual(copied["_resolvedConfig"]?["tools"]?.arrayValue?.compactMap { $0["type"]?.stringValue }, ["end_call"])
        XCTAssertEqual(copied["defaultVariables"], ["city": ""])
        expect(try await call(sim, "POST", "/agent/\(id)/duplicate", body: #"{"targetOrganizationId":"0123456789abcdef01234567"}"#), 403)
        expect(try await call(sim, "POST", "/agent/\(id)/duplicate", body: #"{"targetOrganizationId":"nope"}"#), 400)
        expect(try await call(sim, "POST", "/agent/\(id)/duplicate", body: "{}"), 400)
        expect(try await call(sim, "POST", "/agent/0123456789abcdef01234567/duplicate",
                                      body: #"{"targetOrganizationId":"66b0c0ffee000000000000aa"}"#), 404)
        _ = try await call(sim, "DELETE", "/agent/\(copy)/archive")
        let archived = try await call(sim, "POST", "/agent/\(copy)/duplicate", body: #"{"targetOrganizationId":"66b0c0ffee000000000000aa"}"#)
        XCTAssertEqual(try archived.json()["errors"], ["Cannot duplicate an archived agent"])
        // Widget config: empty, patch (null clears a nullable field), validation.
        let w0 = try await call(sim, "GET", "/agent/\(id)/widget-config")
        XCTAssertEqual(try w0.json()["success"], true)
        XCTAssertEqual(try w0.json()["data"], ["assistantId": .string(id)])
        let w1 = try await call(sim, "PATCH", "/agent/\(id)/widget-config",
                                body: #"{"widgetConfig":{"position":"bottom-left","borderRadius":12,"ctaTitle":null,"title":"Ask us"}}"#)
        XCTAssertEqual(w1.status, 200, w1.text)
        let w2 = try await call(sim, "GET", "/agent/\(id)/widget-config")
        XCTAssertEqual(try w2.json()["data"], ["assistantId": .string(id), "position": "bottom-left", "borderRadius": 12, "title": "Ask us"])
        expect(try await call(sim, "PATCH", "/agent/\(id)/widget-config", body: #"{"widgetConfig":{"borderRadius":51}}"#), 400)
        expect(try await call(sim, "PATCH", "/agent/\(id)/widget-config",
                                      body: #"{"widgetConfig":{"avatarUrl":"https://evil.example.com/a.png"}}"#), 400)
        expect(try await call(sim, "GET", "/agent/0123456789abcdef01234567/widget-config"), 404)
        // Test calls: no call placed; the documented ids.
        let vt = try await call(sim, "POST", "/agent/\(id)/versions/\(v1)/test-call", body: #"{"mode":"chat"}"#)
        XCTAssertEqual(vt.status, 200, vt.text)
        for k in ["conversationId", "callId", "token", "roomName", "host"] { XCTAssertNotNil(try vt.json()["data"]?[k], k) }
        let tel = try await call(sim, "POST", "/agent/\(id)/versions/\(v1)/test-call", body: #"{"mode":"telephony","toPhone":"+14155550123"}"#)
        XCTAssertNil(try tel.json()["data"]?["token"])
        expect(try await call(sim, "POST", "/agent/\(id)/versions/\(v1)/test-call", body: #"{"mode":"telephony"}"#), 400)
        let d = try await call(sim, "POST", "/agent/\(id)/drafts", body: #"{"sourceVersionId":"\#(v1)"}"#)
        let handle = try XCTUnwrap(d.json()["data"]?["draftId"]?.stringValue)
        let dt = try await call(sim, "POST", "/agent/\(id)/drafts/\(handle)/test-call")
        XCTAssertEqual(dt.status, 200, dt.text)
        XCTAssertNotNil(try dt.json()["data"]?["callId"]?.stringValue)
        expect(try await call(sim, "POST", "/agent/\(id)/drafts/0123456789abcdef01234567/test-call"), 404)
        await sim.stop()
    }

    func testBranchTestCall() async throws {
        let sim = try await start { $0.branchModel = true }
        let (id, v1) = try agent(sim)
        let main = try unwrap(try await call(sim, "GET", "/agent/\(id)/branches").json()["data"]?["branches"]?.arrayValue?.first?["branch"]?["_id"]?.stringValue)
        let head = try await call(sim, "POST", "/agent/\(id)/branches/\(main)/test-call", body: "{}")
        XCTAssertEqual(head.status, 200, head.text)
        XCTAssertNotNil(try head.json()["data"]?["conversationId"])
        expect(try await call(sim, "POST", "/agent/\(id)/branches/\(main)/test-call", body: #"{"includeDraft":true}"#), 404)
        expect(try await call(sim, "POST", "/agent/\(id)/branches/\(main)/test-call",
                                      body: #"{"includeDraft":true,"revisionId":"\#(v1)"}"#), 400)
        expect(try await call(sim, "POST", "/agent/\(id)/branches/\(main)/test-call", body: #"{"revisionId":"\#(v1)"}"#), 200)
        // v1 test calls stay open under the branch model (exempt from the write block).
        expect(try await call(sim, "POST", "/agent/\(id)/versions/\(v1)/test-call"), 200)
        // Each test call of a committed revision shows in the call logs: completed, isTest, on its version.
        let callId = try unwrap(try head.json()["data"]?["callId"]?.stringValue)
        let logs = try await call(sim, "GET", "/agent/\(id)/call-logs?offset=100")
        let rows = try unwrap(try logs.json()["data"]?["callLogs"]?.arrayValue)
        let mine = try unwrap(rows.first { $0["callId"]?.stringValue == callId })
        XCTAssertEqual(mine["isTest"], true)
        XCTAssertEqual(mine["versionId"]?.stringValue, v1)
        XCTAssertEqual(mine["callStatus"], "completed")
        XCTAssertEqual(rows.filter { $0["isTest"] == true && $0["versionId"]?.stringValue == v1 }.count, 3,
                       "the head, revision and v1-route test calls (the clock has not reached the generated post-publish ones)")
        await sim.stop()
    }

    func testCallLogsArePerVersionDeterministicAndOneDemoVersionIsWorse() async throws {
        let clock = ManualClock()
        let sim = try await start(clock: clock) { $0.seedDemo = true }
        let agents = try unwrap(try await call(sim, "GET", "/agent?offset=100").json()["data"]?["agents"]?.arrayValue)
        var worse: [String] = []
        for a in agents {
            let id = try XCTUnwrap(a["_id"]?.stringValue)
            let first = try await call(sim, "GET", "/agent/\(id)/call-logs?page=1&offset=100")
            XCTAssertEqual(first.status, 200)
            let data = try XCTUnwrap(first.json()["data"])
            XCTAssertEqual(data["page"], 1)
            XCTAssertEqual(data["offset"], 100)
            let total = Int(try XCTUnwrap(data["totalCount"]?.numberValue))
            XCTAssertGreaterThan(total, 0, a["name"]?.stringValue ?? id)
            // Every call: version attribution and the documented fields; newest first.
            var all: [JSONValue] = []
            var page = 1
            while all.count < total {
                let p = try await call(sim, "GET", "/agent/\(id)/call-logs?page=\(page)&offset=100")
                let rows = try XCTUnwrap(p.json()["data"]?["callLogs"]?.arrayValue)
                if rows.isEmpty { break }
                all += rows
                page += 1
            }
            XCTAssertEqual(all.count, total)
            let dates = all.compactMap { $0["createdAt"]?.stringValue }
            XCTAssertEqual(dates, dates.sorted(by: >), "newest first")
            for c in all {
                for k in ["callId", "callStatus", "callType", "createdAt", "callDuration", "versionId", "versionNumber",
                          "disconnectionReason", "callCost", "isTest"] { XCTAssertNotNil(c[k], k) }
                XCTAssertEqual(c["callFailureReason"] != nil, c["callStatus"] == "failed")
            }
            // Per version: the active version against the one before it.
            let production = all.filter { $0["isTest"] == false }
            var byVersion: [Double: [JSONValue]] = [:]
            for c in production { byVersion[c["versionNumber"]?.numberValue ?? 0, default: []].append(c) }
            let numbers = byVersion.keys.sorted()
            guard numbers.count >= 2 else { continue }
            func failRate(_ cs: [JSONValue]) -> Double { Double(cs.filter { $0["callStatus"] == "failed" }.count) / Double(cs.count) }
            func latency(_ cs: [JSONValue]) -> Double {
                let l = cs.compactMap { $0["turnLatencyMetrics"]?["medianLatency"]?.numberValue }.sorted()
                return l.isEmpty ? 0 : l[l.count / 2]
            }
            let newest = byVersion[numbers[numbers.count - 1]]!, before = byVersion[numbers[numbers.count - 2]]!
            if failRate(newest) > failRate(before) * 2, latency(newest) > latency(before) * 1.4 { worse.append(a["name"]?.stringValue ?? id) }
        }
        XCTAssertEqual(worse.count, 1, "exactly one demo agent's newest version is measurably worse: \(worse)")
        // Deterministic: the same seed and clock give the same calls.
        let sim2 = try await start(clock: ManualClock()) { $0.seedDemo = true }
        let id = try XCTUnwrap(agents.first?["_id"]?.stringValue)
        let a1 = try await call(sim, "GET", "/agent/\(id)/call-logs?offset=20")
        let a2 = try await call(sim2, "GET", "/agent/\(id)/call-logs?offset=20")
        XCTAssertEqual(try a1.json()["data"], try a2.json()["data"])
        await sim.stop()
        await sim2.stop()
    }

    // MARK: 6. Knobs

    func testPlanLimitsRateShapesAndRequestIds() async throws {
        let sim = try await start { $0.plan = .free }
        for i in 0..<3 {
            let a = try await call(sim, "POST", "/agent", body: #"{"name":"A\#(i)"}"#)
            XCTAssertEqual(a.status, 201, a.text)
        }
        let fourth = try await call(sim, "POST", "/agent", body: #"{"name":"A4"}"#)
        XCTAssertEqual(fourth.status, 400)
        let message = try XCTUnwrap(fourth.json()["errors"]?.arrayValue?.first?.stringValue)
        XCTAssertNotNil(message.range(of: "upgrade .* plan", options: .regularExpression), message)
        // 10 requests per second on Free (the manual clock does not move): the 11th is a 429 in the docs shape.
        var statuses: [Int] = []
        var last: Answer?
        for _ in 0..<12 { let a = try await call(sim, "GET", "/agent"); statuses.append(a.status); last = a }
        XCTAssertEqual(statuses.filter { $0 == 429 }.count, 12 - (10 - 4), "\(statuses)")
        let limited = try XCTUnwrap(last)
        XCTAssertEqual(limited.header("Retry-After"), "1")
        XCTAssertEqual(try limited.json(), ["status": false, "error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED", "retry_after": 1])
        XCTAssertNotNil(limited.header("x-request-id"))
        await sim.stop()

        let scoring = try await start { $0.rateLimit = 1; $0.rateLimitShape = .scoring }
        _ = try await call(scoring, "GET", "/agent")
        let s = try await call(scoring, "GET", "/agent")
        XCTAssertEqual(s.status, 429)
        XCTAssertEqual(try s.json()["rateLimit"], ["routeClass": "default", "limit": 1, "retryAfterSec": 1])
        await scoring.stop()

        // Every answer carries a distinct x-request-id, the Express 404 page and 401 included.
        let plain = try await start()
        var ids = Set<String>()
        for (path, key) in [("/agent", "k"), ("/nope", "k"), ("/agent", nil)] as [(String, String?)] {
            let a = try await call(plain, "GET", path, key: key)
            ids.insert(try XCTUnwrap(a.header("x-request-id")))
        }
        XCTAssertEqual(ids.count, 3)
        XCTAssertEqual(plain.hostURL.absoluteString, "http://127.0.0.1:\(plain.port)")
        await plain.stop()
    }

    func testMultiAgentsNeedAccessAndTheDemoHasOne() async throws {
        let sim = try await start { $0.seedDemo = true }
        let body = #"{"name":"Desk","workflowType":"multi_agents","playbooks":{"playbooks":[{"name":"Greeter","prompt":"Hi"}]}}"#
        let refused = try await call(sim, "POST", "/agent", body: body)
        XCTAssertEqual(refused.status, 403)
        XCTAssertTrue(try XCTUnwrap(refused.json()["errors"]?.arrayValue?.first?.stringValue).contains("not available for your organization"))
        try sim.store.updateOptions { $0.multiAgentAccess = true }
        let made = try await call(sim, "POST", "/agent", body: body)
        XCTAssertEqual(made.status, 201, made.text)
        let list = try await call(sim, "GET", "/agent?type=multi_agents&offset=100")
        let agents = try XCTUnwrap(list.json()["data"]?["agents"]?.arrayValue)
        XCTAssertEqual(agents.count, 2)
        let demo = try XCTUnwrap(agents.first { $0["name"]?.stringValue?.contains("Playbooks") == true })
        let doc = try await call(sim, "GET", "/agent/\(demo["_id"]!.stringValue!)")
        XCTAssertEqual(try doc.json()["data"]?["workflowType"], "multi_agents")
        XCTAssertGreaterThanOrEqual(try doc.json()["data"]?["_resolvedConfig"]?["playbooks"]?["playbooks"]?.arrayValue?.count ?? 0, 3)
        await sim.stop()
    }

    func testReadLagServesThePreWriteAnswerUntilItPasses() async throws {
        let clock = ManualClock()
        let sim = try await start(clock: clock) { $0.readLag = 2 }
        let (id, v1) = try agent(sim)
        let before = try await call(sim, "GET", "/agent/\(id)")
        let listBefore = try await call(sim, "GET", "/agent")
        let patched = try await call(sim, "PATCH", "/agent/\(id)", body: #"{"description":"new words"}"#)
        XCTAssertEqual(patched.status, 200)
        let stale = try await call(sim, "GET", "/agent/\(id)")
        XCTAssertEqual(try stale.json()["data"]?["description"], try before.json()["data"]?["description"], "within the lag: the old answer")
        let listDuring = try await call(sim, "GET", "/agent")
        XCTAssertEqual(try listDuring.json()["data"], try listBefore.json()["data"])
        // A read never made before the write is fresh at once.
        let version = try await call(sim, "GET", "/agent/\(id)/versions/\(v1)")
        XCTAssertEqual(version.status, 200)
        clock.advance(by: 2.1)
        let fresh = try await call(sim, "GET", "/agent/\(id)")
        XCTAssertEqual(try fresh.json()["data"]?["description"], "new words")
        let listAfter = try await call(sim, "GET", "/agent")
        XCTAssertNotEqual(try listAfter.json()["data"], try listBefore.json()["data"])
        await sim.stop()
    }

    func testListLagHidesANewRevisionForAWhile() async throws {
        let clock = ManualClock()
        let sim = try await start(clock: clock) { $0.branchModel = true; $0.listLag = 1; $0.scanSeconds = 5 }
        let (id, v1) = try agent(sim)
        clock.advance(by: 60)
        let main = try unwrap(try await call(sim, "GET", "/agent/\(id)/branches").json()["data"]?["branches"]?.arrayValue?.first?["branch"]?["_id"]?.stringValue)
        _ = try await call(sim, "PUT", "/agent/\(id)/branches/\(main)/draft", body: #"{"firstMessage":"New"}"#)
        let pub = try await call(sim, "POST", "/agent/\(id)/branches/\(main)/draft/publish", body: "{}")
        XCTAssertEqual(pub.status, 202, pub.text)
        let early = try await call(sim, "GET", "/agent/\(id)/branches/\(main)/revisions?limit=1")
        XCTAssertEqual(try early.json()["data"]?["revisions"]?.arrayValue?.first?["_id"]?.stringValue, v1, "the newest listed is still the previous one")
        clock.advance(by: 1.5)
        let late = try await call(sim, "GET", "/agent/\(id)/branches/\(main)/revisions?limit=1")
        XCTAssertNotEqual(try late.json()["data"]?["revisions"]?.arrayValue?.first?["_id"]?.stringValue, v1)
        await sim.stop()
    }
}

extension EmbeddedSimulator {
    /// A draft handle (v1) or the main branch id (v2) of an agent, for the fuzz's paths.
    func branchOrDraft(agentId: String, v1: String, branchModel: Bool) throws -> String {
        if branchModel { return try XCTUnwrap(store.branches(agentId: agentId).branches.first?.id) }
        return try XCTUnwrap(store.createDraft(agentId: agentId, CreateDraftRequest(sourceVersionId: v1)).draftId)
    }
}
