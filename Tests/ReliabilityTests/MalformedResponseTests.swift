import AtomsModels
import Foundation
import TestSupport
import XCTest
@testable import AtomsClient
#if canImport(Glibc)
import Glibc
#endif

/// Answers no spec allows — truncated JSON, a cut transfer, wrong types, missing required fields, an
/// HTML page where JSON was expected, invalid UTF-8, a body over 50 MB — end in one clear error line,
/// in bounded memory, without a crash: through the client, and through the CLI binary (exit 1).
final class MalformedResponseTests: XCTestCase {
    static let agentsPath = "/atoms/v1/agent"

    /// Serves `answer` for `GET /agent`.
    func client(_ answer: StubHTTPServer.Answer) throws -> (AtomsClient, StubHTTPServer) {
        let stub = try StubHTTPServer { _, _ in answer }
        let config = ClientConfiguration(baseURL: URL(string: stub.baseURL)!, apiKey: "malformed-key", requestTimeout: 10,
                                         maxRetries: 1, baseBackoff: 0.01)
        return (AtomsClient(configuration: config), stub)
    }

    func listError(_ answer: StubHTTPServer.Answer, file: StaticString = #filePath, line: UInt = #line) async throws -> AtomsError {
        let (c, stub) = try client(answer)
        defer { stub.stop() }
        do {
            let list = try await c.listAgents()
            XCTFail("decoded \(list.agents.count) agents from a malformed answer", file: file, line: line)
            throw AtomsError(kind: .refused)
        } catch let e as AtomsError {
            XCTAssertFalse(e.description.contains("\n"), "one line: \(e.description)", file: file, line: line)
            XCTAssertFalse(e.description.contains("malformed-key"), file: file, line: line)
            return e
        }
    }

    static func json(_ text: String, status: Int = 200) -> StubHTTPServer.Answer {
        StubHTTPServer.Answer(status: status, body: Data(text.utf8))
    }

    func testTruncatedJSON() async throws {
        let e = try await listError(Self.json(#"{"status":true,"data":{"agents":[{"_id":"65f0a1b2c3d4e5f6a7b8c9d0","name":"Tru"#))
        XCTAssertEqual(e.kind, .decoding)
        XCTAssertTrue(e.description.contains("GET /agent: unexpected response: body is not valid JSON"), e.description)
    }

    func testTransferCutShort() async throws {
        var a = Self.json(#"{"status":true,"data":{"agents":[]"#)
        a.declaredLength = 4096
        let e = try await listError(a)
        XCTAssertEqual(e.kind, .network, e.description)
    }

    func testWrongTypes() async throws {
        let e = try await listError(Self.json(#"{"status":true,"data":{"agents":"none","total":"many"}}"#))
        XCTAssertEqual(e.kind, .decoding)
        XCTAssertTrue(e.description.contains("wrong type at 'data.agents'"), e.description)
    }

    func testMissingRequiredFields() async throws {
        let e = try await listError(Self.json(#"{"status":true,"data":{"agents":[{"description":"no id, no name"}],"total":1}}"#))
        XCTAssertEqual(e.kind, .decoding)
        XCTAssertTrue(e.description.contains("missing field"), e.description)
        let version = try await { () async throws -> AtomsError in
            let (c, stub) = try client(Self.json(#"{"status":true,"data":{"version":{"status":"published"},"resolvedConfig":{}}}"#))
            defer { stub.stop() }
            do { _ = try await c.getVersion("65f0a1b2c3d4e5f6a7b8c9d0", "65f0a1b2c3d4e5f6a7b8c9d1"); throw AtomsError(kind: .refused) } catch let e as AtomsError { return e }
        }()
        XCTAssertEqual(version.kind, .decoding, version.description)
    }

    func testHTMLPageWhereJSONWasExpected() async throws {
        let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
        let ok = try await listError(StubHTTPServer.Answer(status: 200, contentType: "text/html", body: Data(page.utf8)))
        XCTAssertEqual(ok.kind, .decoding)
        XCTAssertTrue(ok.description.contains("body is not valid JSON"), ok.description)
        let bad = try await listError(StubHTTPServer.Answer(status: 502, contentType: "text/html", body: Data(page.utf8)))
        XCTAssertEqual(bad.kind, .http)
        XCTAssertEqual(bad.status, 502)
        XCTAssertTrue(bad.description.contains("502 Bad Gateway"), bad.description)
        XCTAssertFalse(bad.description.contains("<"), "tags are stripped: \(bad.description)")
    }

    func testInvalidUTF8InANameDecodesWithReplacementCharacters() async throws {
        var body = Data(#"{"status":true,"data":{"agents":[{"_id":"65f0a1b2c3d4e5f6a7b8c9d0","name":"bad "#.utf8)
        body.append(contentsOf: [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80])
        body.append(contentsOf: Data(#" bytes"}],"total":1}}"#.utf8))
        let (c, stub) = try client(StubHTTPServer.Answer(body: body))
        defer { stub.stop() }
        let list = try await c.listAgents()
        XCTAssertEqual(list.agents.first?.name.hasPrefix("bad \u{FFFD}"), true, list.agents.first?.name ?? "")
    }

    func testBodyOverFiftyMegabytesIsRefusedWithoutReadingIt() async throws {
        // Declared length over the cap: refused at the headers.
        var declared = Self.json(#"{"status":true,"data":{"agents":["#)
        declared.streamedFiller = 60 * 1024 * 1024
        let e = try await listError(declared)
        XCTAssertEqual(e.kind, .decoding)
        XCTAssertTrue(e.description.contains("larger than the 50 MB limit"), e.description)
    }

    /// The CLI against a 300 MB answer: exit 1 with one clear line, and its peak memory stays far
    /// below the body's size (the transport stops reading at 50 MB).
    func testCLIBoundedMemoryOnAHugeBody() throws {
        var huge = Self.json(#"{"status":true,"data":{"agents":["#)
        huge.streamedFiller = 300 * 1024 * 1024
        let answer = huge
        let stub = try StubHTTPServer { _, _ in answer }
        defer { stub.stop() }
        let p = try ChildProcess.spawn(["agents", "list", "--base-url", stub.baseURL], environment: ["SMALLEST_API_KEY": "k"])
        let (code, maxRSSKB) = Self.waitWithPeakRSS(p.pid, timeout: 60)
        XCTAssertEqual(code, 1, p.stderr)
        XCTAssertTrue(p.stderr.contains("larger than the 50 MB limit"), p.stderr)
        XCTAssertLessThan(maxRSSKB, 200 * 1024, "peak RSS \(maxRSSKB / 1024) MB for a 300 MB body")
        print("HUGE BODY: exit \(code), peak RSS \(maxRSSKB / 1024) MB for a 300 MB answer")
    }

    func testCLIMalformedAnswersExitOneWithOneLine() throws {
        let answers: [(String, StubHTTPServer.Answer)] = [
            ("truncated", Self.json(#"{"status":true,"data":{"agents":[{"#)),
            ("wrong types", Self.json(#"{"status":true,"data":{"agents":42}}"#)),
            ("missing fields", Self.json(#"{"status":true,"data":{"agents":[{}]}}"#)),
            ("html", StubHTTPServer.Answer(status: 200, contentType: "text/html", body: Data("<html><body>Maintenance</body></html>".utf8))),
            ("html 503", StubHTTPServer.Answer(status: 503, contentType: "text/html", body: Data("<html><body><h1>Service Unavailable</h1></body></html>".utf8))),
            ("empty", Self.json("")),
            ("not an envelope", Self.json("[1,2,3]")),
        ]
        for (name, answer) in answers {
            let stub = try StubHTTPServer { _, _ in answer }
            defer { stub.stop() }
            let p = try ChildProcess.spawn(["agents", "list", "--base-url", stub.baseURL, "--request-timeout", "5"],
                                           environment: ["SMALLEST_API_KEY": "malformed-key"])
            let code = p.wait(timeout: 60)
            XCTAssertEqual(code, 1, "\(name): \(p.stderr)")
            let lines = p.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(name): one line: \(p.stderr)")
            XCTAssertTrue(p.stderr.hasPrefix("atoms-tui: GET /agent"), "\(name): \(p.stderr)")
            XCTAssertTrue(p.stdout.isEmpty, "\(name): nothing on stdout: \(p.stdout)")
        }
    }

    /// Waits for `pid` and returns its exit code and peak resident set (KiB).
    static func waitWithPeakRSS(_ pid: pid_t, timeout: TimeInterval) -> (Int32, Int) {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if Date() > deadline { kill(pid, SIGKILL); wait4(pid, &status, 0, &usage); return (-9, usage.ru_maxrss) }
            usleep(10_000)
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
        return (code, usage.ru_maxrss)
    }
}
