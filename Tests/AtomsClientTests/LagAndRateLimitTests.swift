import AtomsModels
import AtomsSimulator
import Foundation
import XCTest
@testable import AtomsClient

/// A watch clock that is the simulator's manual clock: every wait of the client moves the simulated
/// time instead of sleeping, so lag tests run in milliseconds and stay deterministic.
final class LinkedClock: WatchClock, @unchecked Sendable {
    let manual: ManualClock
    init(_ manual: ManualClock) { self.manual = manual }
    func now() -> TimeInterval { manual.now().timeIntervalSince1970 }
    func sleep(_ seconds: TimeInterval) async throws {
        if seconds > 0 { manual.advance(by: seconds) }
        await Task.yield()
    }
}

/// Counts the 429 answers the client saw (handled or not).
final class CountingTransport: HTTPTransport, @unchecked Sendable {
    let inner = URLSessionTransport()
    private let lock = NSLock()
    private var throttled = 0
    private var total = 0
    var counts: (total: Int, throttled: Int) { lock.lock(); defer { lock.unlock() }; return (total, throttled) }
    private func record(_ status: Int) {
        lock.lock()
        total += 1
        if status == 429 { throttled += 1 }
        lock.unlock()
    }
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let r = try await inner.send(request)
        record(r.status)
        return r
    }
}

/// Issue 13's done-when: the whole v1 and v2 lifecycles against a simulator with `--read-lag 2
/// --list-lag 1` and under `--plan free` without an unhandled 429; and the client's error words.
final class LagAndRateLimitTests: XCTestCase {
    struct Rig {
        let sim: EmbeddedSimulator
        let client: AtomsClient
        let clock: LinkedClock
        var lifecycle: Lifecycle { Lifecycle(client: client, clock: clock) }
        var branches: BranchLifecycle { BranchLifecycle(client: client, clock: clock) }

        /// Reads until `accept` passes, moving simulated time 0.5 s between reads (at most 20 s).
        func eventually<T>(_ what: String, _ read: () async throws -> T, _ accept: (T) -> Bool,
                           file: StaticString = #filePath, line: UInt = #line) async throws -> T {
            var last = try await read()
            for _ in 0..<40 where !accept(last) {
                try await clock.sleep(0.5)
                last = try await read()
            }
            XCTAssertTrue(accept(last), "\(what): never became visible (\(last))", file: file, line: line)
            return last
        }
    }

    /// A simulator on a manual clock with the lags, and a client whose every wait moves that clock.
    func lagged(_ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> Rig {
        let manual = ManualClock()
        let clock = LinkedClock(manual)
        var o = SimulatorOptions()
        o.apiKey = "lag-key"
        o.scanSeconds = 0
        o.readLag = 2
        o.listLag = 1
        configure(&o)
        let sim = try await EmbeddedSimulator.start(o, clock: manual)
        let config = ClientConfiguration(baseURL: sim.baseURL, apiKey: "lag-key", requestTimeout: 10, baseBackoff: 0.01)
        let client = AtomsClient(configuration: config, sleeper: { s in try await clock.sleep(s) },
                                 rateLimiter: RateLimiter(limit: nil, now: { clock.now() }, sleep: { s in try await clock.sleep(s) }))
        return Rig(sim: sim, client: client, clock: clock)
    }

    func makeAgent(_ client: AtomsClient, name: String = "Lag Agent") async throws -> (String, String) {
        let id = try await client.createAgent([
            "name": .string(name), "singlePromptConfig": ["prompt": "You are a receptionist.", "tools": []],
            "firstMessage": "Hello!", "language": ["default": "en", "supported": ["en"], "switching": ["isEnabled": false]],
        ])
        let agent = try await client.getAgent(id)
        return (id, try XCTUnwrap(agent.activeVersionId))
    }

    // MARK: v1 under read lag

    func runV1Lifecycle(_ h: Rig, eventually: Bool) async throws {
        let (agentId, v1) = try await makeAgent(h.client)
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1), name: "greeting change")
        let draftId = try XCTUnwrap(draft.draftId)
        let outcome = try await h.lifecycle.patchDraft(agentId: agentId, draftId: draftId, patch: ["firstMessage": "Namaste!"])
        XCTAssertTrue(outcome.verified, "read-back retried until visible: \(outcome.notPersisted)")
        let published = try await h.client.publishDraft(agentId, draftId, label: "namaste", description: nil)
        var last: CheckProgress?
        for try await p in h.lifecycle.watchCheck(agentId: agentId, version: published, expected: 0.5, timeout: 20) { last = p }
        XCTAssertEqual(last?.phase, .passed)
        let activated = try await h.lifecycle.activate(agentId: agentId, versionId: published.id)
        XCTAssertEqual(activated.agent.activeVersionId, published.id, "verified after the lag, not refused")
        XCTAssertEqual(activated.previousActiveVersionId, v1)
        if eventually {
            _ = try await h.eventually("the new greeting", { try await h.client.getAgent(agentId) }) {
                $0.resolvedConfig?["firstMessage"] == "Namaste!"
            }
        }
        let back = try await h.lifecycle.rollback(agentId: agentId, to: v1)
        XCTAssertEqual(back.agent.activeVersionId, v1)
        for attempt in h.sim.store.activationAttempts(agentId: agentId) where attempt.succeeded {
            XCTAssertEqual(attempt.checkStatusAtThatMoment, .passed)
        }
    }

    func testWholeV1LifecycleUnderReadAndListLag() async throws {
        let h = try await lagged()
        defer { Task { await h.sim.stop() } }
        let started = h.clock.now()
        try await runV1Lifecycle(h, eventually: true)
        XCTAssertGreaterThanOrEqual(h.clock.now() - started, 2, "the lag was really there and waited out")
    }

    func testReadBackThatNeverShowsSaysNotVisibleYet() async throws {
        let h = try await lagged { $0.readLag = 60 }
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await makeAgent(h.client)
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let draftId = try XCTUnwrap(draft.draftId)
        // Read the draft once so that the stale answer is cached, then edit: the read-back stays stale.
        _ = try await h.lifecycle.draftDocument(agentId: agentId, draftId: draftId)
        let before = h.clock.now()
        let outcome = try await h.lifecycle.patchDraft(agentId: agentId, draftId: draftId, patch: ["firstMessage": "Later"])
        XCTAssertEqual(outcome.notPersisted, ["firstMessage"])
        let waited = h.clock.now() - before
        XCTAssertGreaterThanOrEqual(waited, 8, "retried for the visibility timeout")
        XCTAssertLessThan(waited, 12, "and no longer")
        // Activation verification: refused with "not visible yet", never "did not persist".
        let pub = try await h.client.publishDraft(agentId, draftId, label: "x", description: nil)
        _ = try await h.client.getAgent(agentId)
        do {
            _ = try await h.lifecycle.activate(agentId: agentId, versionId: pub.id)
            XCTFail("the stale agent cannot confirm the activation")
        } catch let e as AtomsError {
            XCTAssertTrue(e.description.contains(Visibility.notVisibleYet), e.description)
            XCTAssertFalse(e.description.contains("did not persist"))
        }
    }

    // MARK: v2 under read and list lag

    func runV2Lifecycle(_ h: Rig, eventually: Bool) async throws {
        let bl = h.branches
        let (agentId, v1) = try await makeAgent(h.client, name: "Lag v2")
        let branchList = try await h.client.listBranches(agentId)
        let main = try XCTUnwrap(branchList.first { $0.branch.isDefault })
        let edit = try await bl.editDraft(agentId: agentId, branchId: main.id, patch: ["firstMessage": "Namaste!"], expectedRevision: 0)
        XCTAssertTrue(edit.verified, "\(edit.notPersisted)")
        let (result, progress) = try await bl.publishAndWatch(agentId: agentId, branchId: main.id, label: nil, expected: 0.4, timeout: 30)
        XCTAssertEqual(result.state, .scanning)
        var steps: [CheckProgress] = []
        for try await p in progress { steps.append(p) }
        let r2 = try XCTUnwrap(steps.last?.version)
        XCTAssertEqual(steps.last?.phase, .passed)
        XCTAssertEqual(r2.status, .published)
        if eventually {
            _ = try await h.eventually("the live head", { try await h.client.getAgent(agentId) }) { $0.activeVersionId == r2.id }
        }
        let es = try await h.client.createBranch(agentId, name: "spanish", from: main.id)
        _ = try await bl.editDraft(agentId: agentId, branchId: es.id, patch: ["firstMessage": "¡Hola!"], expectedRevision: 0)
        let (_, p2) = try await bl.publishAndWatch(agentId: agentId, branchId: es.id, label: "hola", expected: 0.4, timeout: 30)
        var last: CheckProgress?
        for try await p in p2 { last = p }
        let esHead = try XCTUnwrap(last?.version)
        XCTAssertEqual(esHead.status, .published)
        let live = try await bl.makeLive(agentId: agentId, branchId: es.id, expectedHead: esHead.id)
        XCTAssertEqual(live.agent.activeVersionId, esHead.id)
        let (restored, _) = try await bl.restore(agentId: agentId, branchId: main.id, revisionId: v1, expected: 0.4, timeout: 10)
        XCTAssertEqual(restored.state, .committed)
        let r3 = try XCTUnwrap(restored.revision)
        if eventually {
            _ = try await h.eventually("main's new head", { try await h.client.getBranch(agentId, main.id) }) {
                $0.branch.headRevisionId == r3.id && !$0.isLive
            }
        }
        let diff = try await bl.diff(agentId: agentId, from: .revision(r2.id), to: .revision(esHead.id))
        XCTAssertEqual(diff.diffs.first?.changes.first?.newValue, "¡Hola!")
    }

    func testWholeV2LifecycleUnderReadAndListLag() async throws {
        let h = try await lagged { $0.branchModel = true; $0.scanSeconds = 0.4 }
        defer { Task { await h.sim.stop() } }
        try await runV2Lifecycle(h, eventually: true)
    }

    // MARK: plan free: 10 requests/s, no unhandled 429

    func testBothLifecyclesAndBulkReadsUnderPlanFreeWithoutAnUnhandled429() async throws {
        for branchModel in [false, true] {
            var o = SimulatorOptions()
            o.apiKey = "free-key"
            o.plan = .free
            o.scanSeconds = 0.3
            o.branchModel = branchModel
            let sim = try await EmbeddedSimulator.start(o)
            let transport = CountingTransport()
            let client = AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: "free-key", requestTimeout: 10),
                                     transport: transport)
            let h = Rig(sim: sim, client: client, clock: LinkedClock(ManualClock()))
            // Real time here: the lifecycles use the real watch clock.
            let real = Lifecycle(client: client), realBranches = BranchLifecycle(client: client)
            if branchModel {
                let (agentId, _) = try await makeAgent(client, name: "Free v2")
                let branchList = try await client.listBranches(agentId)
                let main = try XCTUnwrap(branchList.first { $0.branch.isDefault })
                let edit = try await realBranches.editDraft(agentId: agentId, branchId: main.id, patch: ["firstMessage": "Hi"], expectedRevision: 0)
                XCTAssertTrue(edit.verified)
                let (_, progress) = try await realBranches.publishAndWatch(agentId: agentId, branchId: main.id, label: "hi", expected: 0.3, timeout: 30)
                var last: CheckProgress?
                for try await p in progress { last = p }
                XCTAssertEqual(last?.phase, .passed)
            } else {
                let (agentId, v1) = try await makeAgent(client, name: "Free v1")
                let d = try await real.fork(agentId: agentId, from: .version(v1))
                _ = try await real.patchDraft(agentId: agentId, draftId: try XCTUnwrap(d.draftId), patch: ["firstMessage": "Hi"])
                let v = try await client.publishDraft(agentId, try XCTUnwrap(d.draftId), label: "hi", description: nil)
                for try await _ in real.watchCheck(agentId: agentId, version: v, expected: 0.3, timeout: 30) {}
                _ = try await real.activate(agentId: agentId, versionId: v.id)
            }
            // Bulk work: 25 reads at once, all answered (the 429s of a first burst are retried).
            func bulk() async throws -> Int {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<25 { group.addTask { try await client.listAgents().agents.count } }
                    return try await group.reduce(0, +)
                }
            }
            let first = try await bulk()
            XCTAssertEqual(first, 25)
            let afterFirst = transport.counts
            XCTAssertGreaterThan(afterFirst.throttled, 0, "an unpaced burst of 25 meets the Free rate")
            XCTAssertEqual(client.rateLimiter.currentLimit, 10, "after a 429 the limiter keeps to the Free rate")
            // Once the limit is known, bulk work stays under it: not one more 429.
            let second = try await bulk()
            XCTAssertEqual(second, 25)
            XCTAssertEqual(transport.counts.throttled, afterFirst.throttled, "paced under 10/s: \(transport.counts)")
            _ = h
            await sim.stop()
        }
    }

    /// The limiter's pacing on a simulated clock: 100 requests at the Free rate never put more than
    /// the limit into one fixed second (wherever the second starts), and take ≤ 1.2× the minimum time.
    func testPacingStaysUnderEveryFixedSecondAndNearTheMinimumTime() {
        for limit in [10.0, 100.0] {
            let t = SimulatedSeconds()
            let limiter = RateLimiter(limit: limit, now: { t.value }, sleep: { _ in })
            var sends: [Double] = []
            let n = Int(limit * 10)
            for _ in 0..<n {
                let wait = limiter.reserve()
                t.value += wait
                sends.append(t.value)
            }
            for offset in stride(from: 0.0, to: 1.0, by: 0.05) {
                var perSecond: [Int: Int] = [:]
                for s in sends { perSecond[Int((s + offset).rounded(.down)), default: 0] += 1 }
                XCTAssertLessThanOrEqual(perSecond.values.max() ?? 0, Int(limit), "limit \(limit), window offset \(offset)")
            }
            let minimum = Double(n - 1) / limit
            XCTAssertLessThanOrEqual(sends.last!, minimum * 1.2, "limit \(limit): \(sends.last!) s for \(n) requests")
        }
    }

    /// Adaptive, with 429s that name no limit (the documented body): the limiter adopts the documented plan
    /// rate the server was seen to accept over the last second — a Pro account stays near 100/s instead of
    /// falling to the Free rate — and never goes below the Free rate.
    func testAdaptiveLimitIsTheRateTheServerAccepted() {
        // (limit, accepted, refused): a burst across the server's window boundary gets more than the limit
        // through (16 on Free, 180 on Pro); the estimate snaps down to the plan's documented rate.
        for (limit, accepted, extra) in [(100, 100, 4), (10, 10, 4), (10, 10, 15), (10, 16, 9), (100, 180, 70), (10, 60, 5)] {
            let t = SimulatedSeconds()
            let limiter = RateLimiter(limit: nil, now: { t.value }, sleep: { _ in })
            for _ in 0..<(accepted + extra) {
                XCTAssertEqual(limiter.reserve(), 0, "nothing is held back before a 429")
                t.value += 0.001
            }
            for _ in 0..<extra { limiter.throttled(revealedLimit: nil) }
            XCTAssertEqual(limiter.currentLimit, Double(limit), "\(accepted + extra) sent, \(extra) refused")
        }
        // A lone 429 after a quiet spell: the Free rate, never less.
        let t = SimulatedSeconds()
        let limiter = RateLimiter(limit: nil, now: { t.value }, sleep: { _ in })
        _ = limiter.reserve()
        t.value += 5
        limiter.throttled(revealedLimit: nil)
        XCTAssertEqual(limiter.currentLimit, RateLimiter.freeRate)
        // A named limit wins.
        let named = RateLimiter(limit: nil, now: { t.value }, sleep: { _ in })
        named.throttled(revealedLimit: 25)
        XCTAssertEqual(named.currentLimit, 25)
    }

    func testAConfiguredRateNeverMeetsA429() async throws {
        var o = SimulatorOptions()
        o.plan = .free
        let sim = try await EmbeddedSimulator.start(o)
        defer { Task { await sim.stop() } }
        let transport = CountingTransport()
        let client = AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: "k", requestsPerSecond: 10),
                                 transport: transport)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 { group.addTask { _ = try await client.listAgents() } }
            try await group.waitForAll()
        }
        XCTAssertEqual(transport.counts.throttled, 0, "30 reads paced under 10/s: no 429 at all")
    }

    // MARK: Error words

    func testErrorsQuoteTheRequestIdAndSayWhatToDo() async throws {
        var o = SimulatorOptions()
        o.plan = .free
        o.rateLimit = 1000
        let sim = try await EmbeddedSimulator.start(o)
        defer { Task { await sim.stop() } }
        let client = AtomsClient(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: "k"))
        for i in 0..<3 { _ = try await makeAgent(client, name: "P\(i)") }
        do { _ = try await makeAgent(client, name: "P4"); XCTFail() } catch let e as AtomsError {
            XCTAssertTrue(e.isPlanLimit, e.description)
            XCTAssertNotNil(e.requestId)
            XCTAssertTrue(e.description.contains("x-request-id req-"), e.description)
            XCTAssertTrue(e.description.contains("archive agents you no longer need"), e.description)
        }
        do {
            _ = try await client.createAgent(["name": "Desk", "workflowType": "multi_agents"])
            XCTFail()
        } catch let e as AtomsError {
            XCTAssertEqual(e.status, 403)
            XCTAssertTrue(e.isNotAvailableForOrganization, e.description)
            XCTAssertTrue(e.description.contains("ask Smallest AI support"), e.description)
        }
    }

    // MARK: Playbooks agents

    func testPlaybooksAgentsListShowAndDiffButAreNotEdited() async throws {
        let h = try await SimulatorHarness.start { $0.seedDemo = true }
        defer { Task { await h.sim.stop() } }
        let agents = try await h.client.listAgents(AgentListQuery(pageSize: 100)).agents
        let desk = try XCTUnwrap(agents.first { $0.workflowType == "multi_agents" })
        let shown = try await h.client.getAgent(desk.id)
        XCTAssertNotNil(shown.resolvedConfig?["playbooks"]?["playbooks"])
        let versions = try await h.client.listVersions(desk.id).versions
        XCTAssertEqual(versions.count, 2)
        let (_, _, diff) = try await h.lifecycle.diff(agentId: desk.id, from: .version(versions[1].id), to: .version(versions[0].id))
        XCTAssertFalse(diff.diffs.isEmpty, "the playbooks changed between the two versions")
        let draft = try await h.lifecycle.fork(agentId: desk.id, from: .version(versions[0].id))
        do {
            _ = try await h.lifecycle.patchDraft(agentId: desk.id, draftId: try XCTUnwrap(draft.draftId), patch: ["firstMessage": "Hi"])
            XCTFail("editing a Playbooks agent is refused")
        } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .refused)
            XCTAssertTrue(e.description.contains("multi_agents (Playbooks)"), e.description)
        }
    }
}

/// A clock the pacing test moves by hand (single-threaded use).
private final class SimulatedSeconds: @unchecked Sendable {
    var value: Double = 0
}
