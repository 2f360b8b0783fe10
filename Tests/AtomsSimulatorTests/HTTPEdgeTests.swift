import XCTest
@testable import AtomsSimulator
import AtomsModels
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Express's behaviour at the edges of HTTP, over real HTTP: bodies over the size limit (413), HEAD
/// answered like GET without a body, and the `type` filter of `GET /agent` checked against its enum.
final class HTTPEdgeTests: XCTestCase {
    typealias Answer = HTTPTests.Answer

    func call(_ sim: EmbeddedSimulator, _ method: String, _ path: String, body: String? = nil) async throws -> Answer {
        try await HTTPTests.call(sim, method, path, body: body)
    }

    func start(_ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> EmbeddedSimulator {
        var o = SimulatorOptions()
        o.scanSeconds = 0
        configure(&o)
        return try await EmbeddedSimulator.start(o, clock: ManualClock())
    }

    func testBodyOverTheLimitIs413WithBodyParsersMessage() async throws {
        let sim = try await start()
        // Valid JSON, just too large: the answer must not be a 400 about the (truncated) body.
        let filler = String(repeating: "a", count: HTTPServer.maxBody + 1024)
        let big = #"{"name":"Big","description":""# + filler + #""}"#
        let answer = try await call(sim, "POST", "/agent", body: big)
        XCTAssertEqual(answer.status, 413, answer.text)
        XCTAssertEqual(try answer.json(), ["status": false, "errors": ["request entity too large"]])
        XCTAssertEqual(answer.header("Content-Type"), "application/json; charset=utf-8")
        XCTAssertNotNil(answer.header("x-request-id"))
        // Nothing was created, and the server goes on answering.
        let list = try await call(sim, "GET", "/agent")
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(try list.json()["data"]?["total"], 0)
        // A body just under the limit is read whole.
        let fits = #"{"name":"Fits","description":""# + String(repeating: "b", count: 1000) + #""}"#
        let made = try await call(sim, "POST", "/agent", body: fits)
        XCTAssertEqual(made.status, 201, made.text)
        await sim.stop()
    }

    func testHeadIsAnsweredLikeGetWithoutABody() async throws {
        let sim = try await start()
        let id = try sim.store.createAgent(["name": "Head"])
        for path in ["/agent", "/agent/\(id)", "/agent/\(id)/versions", "/user"] {
            let get = try await call(sim, "GET", path)
            let head = try await call(sim, "HEAD", path)
            XCTAssertEqual(get.status, 200, "\(path): \(get.text)")
            XCTAssertEqual(head.status, get.status, path)
            XCTAssertEqual(head.body.count, 0, "\(path): HEAD sends no body")
            XCTAssertEqual(head.header("Content-Type"), get.header("Content-Type"), path)
            XCTAssertEqual(head.header("Content-Length"), String(get.body.count), path)
            XCTAssertNotNil(head.header("x-request-id"), path)
        }
        // Errors keep their status too.
        let missing = try await call(sim, "HEAD", "/agent/0123456789abcdef01234567")
        let missingGet = try await call(sim, "GET", "/agent/0123456789abcdef01234567")
        XCTAssertEqual(missing.status, missingGet.status)
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(missing.body.count, 0)
        await sim.stop()
    }

    func testAgentTypeFilterIsCheckedAgainstItsEnum() async throws {
        let sim = try await start()
        _ = try sim.store.createAgent(["name": "Typed"])
        let bogus = try await call(sim, "GET", "/agent?type=bogus")
        XCTAssertEqual(bogus.status, 400, bogus.text)
        let message = try XCTUnwrap(try bogus.json()["errors"]?.arrayValue?.first?.stringValue)
        XCTAssertEqual(message, "type: Invalid enum value. Expected 'single_prompt' | 'workflow_graph' | 'multi_agents', received 'bogus'")
        // The same shape as sortField's.
        let sort = try await call(sim, "GET", "/agent?sortField=bogus")
        XCTAssertEqual(sort.status, 400)
        XCTAssertTrue(try XCTUnwrap(try sort.json()["errors"]?.arrayValue?.first?.stringValue).hasPrefix("sortField: Invalid enum value. Expected "))
        for (query, count) in [("type=single_prompt", 1), ("type=workflow_graph", 0), ("type=multi_agents", 0), ("type=", 1)] {
            let ok = try await call(sim, "GET", "/agent?\(query)")
            XCTAssertEqual(ok.status, 200, "\(query): \(ok.text)")
            XCTAssertEqual(try ok.json()["data"]?["agents"]?.arrayValue?.count, count, query)
        }
        await sim.stop()
    }
}
