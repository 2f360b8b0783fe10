import Foundation
import XCTest
@testable import AtomsClient

/// The call-log cache on its own: what goes in comes back field for field, coverage drops what sits behind
/// a gap, scopes never mix, and a file that is not a cache is a clear error that leaves the file alone.
final class CallLogCacheTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = FileManager.default.temporaryDirectory.appendingPathComponent("calllogcache-\(UUID().uuidString)") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    let full = CallRecord(callId: "c-full", time: 1_790_000_100.5, versionId: "v-7", versionNumber: 7, failed: true,
                          failureReason: "tool timeout", disconnectionReason: "agent_hangup", cost: 0.042, latency: 812.5,
                          isTest: true, dispositions: ["resolved": "no", "intent": "refund · नमस्ते"])
    let bare = CallRecord(callId: "c-bare", time: 1_790_000_000, versionId: nil, failed: false)

    func testEveryFieldComesBackAsStoredNewestFirst() throws {
        let cache = try CallLogCache(url: dir.appendingPathComponent("c"))
        try cache.store([bare, full], scope: "s", agentId: "a", coveredFrom: 1_789_000_000, fetchedAt: 1_790_000_200)
        let back = try cache.records(scope: "s", agentId: "a")
        XCTAssertEqual(back, [full, bare], "all fields, nil ones too, newest first")
        XCTAssertEqual(try cache.coveredFrom(scope: "s", agentId: "a"), 1_789_000_000)
        XCTAssertEqual(try cache.count(scope: "s", agentId: "a"), 2)
        XCTAssertEqual(try cache.count(scope: "s", agentId: "a", since: 1_790_000_050), 1)
        XCTAssertEqual(try cache.callIds(scope: "s", agentId: "a"), ["c-full", "c-bare"])
        XCTAssertEqual(try cache.records(scope: "s", agentId: "a", limit: 1), [full])
        XCTAssertEqual(try cache.records(scope: "s", agentId: "a", since: 1_790_000_050), [full])
    }

    func testAStoreReplacesACallByIdAndDropsCallsBehindTheCoverage() throws {
        let cache = try CallLogCache(url: nil)
        try cache.store([bare, full], scope: "s", agentId: "a", coveredFrom: 0, fetchedAt: 1)
        var changed = full
        changed.failed = false
        changed.failureReason = nil
        try cache.store([changed], scope: "s", agentId: "a", coveredFrom: 1_790_000_050, fetchedAt: 2)
        XCTAssertEqual(try cache.records(scope: "s", agentId: "a"), [changed], "replaced by id; the older call sat behind the new coverage")
        XCTAssertEqual(try cache.coveredFrom(scope: "s", agentId: "a"), 1_790_000_050)
    }

    func testScopesAndAgentsNeverMixAndClearForgetsOneAgent() throws {
        let cache = try CallLogCache(url: nil)
        try cache.store([full], scope: "s1", agentId: "a", coveredFrom: 0, fetchedAt: 1)
        try cache.store([bare], scope: "s2", agentId: "a", coveredFrom: 0, fetchedAt: 1)
        try cache.store([bare], scope: "s1", agentId: "b", coveredFrom: 0, fetchedAt: 1)
        XCTAssertEqual(try cache.records(scope: "s1", agentId: "a"), [full])
        XCTAssertEqual(try cache.records(scope: "s2", agentId: "a"), [bare])
        try cache.clear(scope: "s1", agentId: "a")
        XCTAssertEqual(try cache.records(scope: "s1", agentId: "a"), [])
        XCTAssertNil(try cache.coveredFrom(scope: "s1", agentId: "a"))
        XCTAssertEqual(try cache.records(scope: "s1", agentId: "b"), [bare], "the other agent is kept")
        XCTAssertEqual(try cache.records(scope: "s2", agentId: "a"), [bare], "the other scope is kept")
    }

    func testAFileWhereTheCacheGoesIsAClearErrorAndStaysAsItWas() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("call-logs")
        let text = String(repeating: "not a cache — my notes\n", count: 200)
        try text.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CallLogCache(url: url)) { error in
            let said = "\(error)"
            XCTAssertTrue(said.contains("call-log cache") && said.contains(url.path), said)
            XCTAssertTrue(said.contains("it is a file") && said.contains("move the file away"), "what is wrong and what to do: \(said)")
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), text, "nothing was written over the file")
    }

    /// A store that cannot replace the agent's file (here a directory holds its name) says where, why and what
    /// to do, and leaves no temporary copy behind.
    func testAStoreThatCannotWriteSaysWhatToDoAndLeavesNoTemporaryFile() throws {
        let url = dir.appendingPathComponent("c")
        let cache = try CallLogCache(url: url)
        let blocker = url.appendingPathComponent(CallLogCache.fileName("s", "a"))
        try FileManager.default.createDirectory(at: blocker.appendingPathComponent("inside"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try cache.store([full], scope: "s", agentId: "a", coveredFrom: 0, fetchedAt: 1)) { error in
            let said = "\(error)"
            XCTAssertTrue(said.contains("cannot write the call-log cache") && said.contains(blocker.path), said)
            XCTAssertTrue(said.contains("free space or fix the permissions of \"\(url.path)\"") && said.contains("remove that directory"),
                          "what to do: \(said)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(left, [], "the temporary copy is removed")
    }

    func testAnAgentFileThatDoesNotReadAsACacheCountsAsEmptyAndIsRewritten() throws {
        let url = dir.appendingPathComponent("c")
        let cache = try CallLogCache(url: url)
        try cache.store([full, bare], scope: "s", agentId: "a", coveredFrom: 0, fetchedAt: 1)
        let file = url.appendingPathComponent(CallLogCache.fileName("s", "a"))
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\t812.5\t", with: "\tfast\t")  // the full call's latency
        try text.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cache.records(scope: "s", agentId: "a"), [], "a damaged file is not half-read")
        XCTAssertNil(try cache.coveredFrom(scope: "s", agentId: "a"))
        try "atoms-tui call-log cache 1\ns\tsomeone-else\t0\t1\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertNil(try cache.coveredFrom(scope: "s", agentId: "a"), "a file naming another agent is not this agent's")
        try cache.store([bare], scope: "s", agentId: "a", coveredFrom: 5, fetchedAt: 2)
        XCTAssertEqual(try cache.records(scope: "s", agentId: "a"), [bare], "the next store writes it afresh")
        XCTAssertEqual(try cache.coveredFrom(scope: "s", agentId: "a"), 5)
    }

    func testTextThatLooksLikeTheFormatComesBackAsItWas() throws {
        let cache = try CallLogCache(url: dir.appendingPathComponent("c"))
        let awkward = CallRecord(callId: "id\twith\ttabs\\N", time: -0.0000001, versionId: "\\N", versionNumber: -3, failed: true,
                                 failureReason: "line one\nline two\r\nback\\slash\\", disconnectionReason: "", cost: 1e-300,
                                 latency: 123456789.123456789, isTest: false, dispositions: ["k\t1": "v\n2", "emoji": "👩🏽‍💻 ok"])
        try cache.store([awkward, full], scope: "scope\twith tab\n", agentId: "a\\b", coveredFrom: -1, fetchedAt: 0.1)
        XCTAssertEqual(try cache.records(scope: "scope\twith tab\n", agentId: "a\\b", since: -1), [full, awkward])
        XCTAssertEqual(try cache.coveredFrom(scope: "scope\twith tab\n", agentId: "a\\b"), -1)
        XCTAssertEqual(try cache.records(scope: "scope\twith tab\n", agentId: "a\\b", since: 0), [full], "calls before `since` are left out")
    }

    func testTwoConnectionsToOneFileSeeEachOthersWrites() throws {
        let url = dir.appendingPathComponent("c")
        let one = try CallLogCache(url: url), two = try CallLogCache(url: url)
        try one.store([full], scope: "s", agentId: "a", coveredFrom: 0, fetchedAt: 1)
        XCTAssertEqual(try two.records(scope: "s", agentId: "a"), [full])
        // Concurrent use of one connection from many tasks is serialized.
        let bare = self.bare
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            var r = bare
            r.callId = "c-\(i)"
            do {
                try two.store([r], scope: "s", agentId: "b", coveredFrom: 0, fetchedAt: Double(i))
                _ = try two.records(scope: "s", agentId: "b")
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertEqual(try one.count(scope: "s", agentId: "b"), 16)
    }
}
