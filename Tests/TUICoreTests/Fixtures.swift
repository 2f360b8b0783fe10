import Foundation
import XCTest
import AtomsModels
@testable import TUICore

/// Deterministic data and helpers shared by the TUICore tests.
enum Fixtures {
    static let now = ISODate.parse("2026-08-21T12:00:00Z")!

    static func iso(minutesAgo m: Int) -> String {
        let d = now.addingTimeInterval(TimeInterval(-m * 60))
        let s = Int(d.timeIntervalSince1970)
        let days = s / 86400, rem = s % 86400
        // civil from days (Hinnant)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func p(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(p(month))-\(p(day))T\(p(rem / 3600)):\(p(rem % 3600 / 60)):\(p(rem % 60))Z"
    }

    static func agentId(_ n: Int) -> String { ObjectID.make(seconds: 1_700_000_000, counter: UInt64(n)) }
    static func versionId(_ agent: Int, _ n: Int) -> String { ObjectID.make(seconds: 1_710_000_000 + agent, counter: UInt64(n)) }
    static func draftId(_ agent: Int, _ n: Int) -> String { ObjectID.make(seconds: 1_720_000_000 + agent, counter: UInt64(n)) }

    static let agentNames = ["Support Bot", "Sales 日本語 アシスタント", "Billing 🤖 helper", "Onboarding", "Returns desk",
                             "Appointment reminders", "Survey caller", "Front desk"]

    static func agents(count: Int = agentNames.count, offset: Int = 0) -> [Agent] {
        (0..<count).map { i in
            let n = offset + i
            var a = Agent(id: agentId(n), name: n < agentNames.count ? agentNames[n] : "Agent \(n)",
                          activeVersionId: versionId(n, 4))
            a.updatedAt = iso(minutesAgo: 60 * (n + 1))
            return a
        }
    }

    static func agentList(_ agents: [Agent], total: Int? = nil, hasMore: Bool = false) -> AgentList {
        AgentList(agents: agents, total: total ?? agents.count, totalPages: 1, hasMore: hasMore)
    }

    /// Versions v1…vN of an agent, newest first; v4 active, v3 pinned, v2 failed its check, vN (if > 4) pending.
    static func versions(agent: Int = 0, count: Int = 5, from top: Int? = nil) -> [AgentVersion] {
        let highest = top ?? count
        return (0..<count).map { i in
            let n = highest - i
            var v = AgentVersion(id: versionId(agent, n), agent: agentId(agent), status: .published, versionNumber: n,
                                 label: n == 1 ? "initial" : "release \(n)", isPinned: n == 3, isActive: n == 4)
            v.publishedByName = n % 2 == 0 ? "Ada" : "Grace Hopper"
            v.publishedAt = iso(minutesAgo: (highest - n + 1) * 90)
            let status: SecurityCheckStatus = n == 2 ? .failed : (n == highest && n > 4 ? .pending : .passed)
            v.securityCheck = SecurityCheck(status: status, reason: n == 2 ? "prompt matched deny-list: ignore previous instructions" : nil)
            return v
        }
    }

    static func drafts(agent: Int = 0) -> [AgentVersion] {
        var a = AgentVersion(id: ObjectID.make(seconds: 1_730_000_000, counter: 1), agent: agentId(agent), status: .draft)
        a.draftId = draftId(agent, 1)
        a.draftName = "fix greeting"
        a.draftRevision = 3
        a.sourceVersionId = versionId(agent, 4)
        a.lastEditorName = "Ada"
        a.updatedAt = iso(minutesAgo: 5)
        var b = AgentVersion(id: ObjectID.make(seconds: 1_730_000_000, counter: 2), agent: agentId(agent), status: .draft)
        b.draftId = draftId(agent, 2)
        b.draftName = "experiment"
        b.draftRevision = 1
        b.sourceDraftId = draftId(agent, 1)
        b.lastEditorName = "Linus"
        b.updatedAt = iso(minutesAgo: 3 * 24 * 60)
        return [a, b]
    }

    static let config: ConfigDocument = [
        "singlePromptConfig": ["prompt": "You are a helpful support agent.\nBe brief.\nNever share secrets.\n", "tools": []],
        "firstMessage": "Hello! How can I help?",
        "slmModel": "electron",
        "language": ["default": "en", "supported": ["en", "hi"], "switching": ["isEnabled": false]],
        "allowInterruptions": true,
    ]

    static let diff = AgentVersionDiff(unchangedSections: ["llm", "voice", "language"], diffs: [
        DiffSection(section: "workflow_prompt", changes: [
            DiffChange(path: "prompt", oldValue: "You are a helpful support agent.\nBe brief.\nNever share secrets.",
                       newValue: "You are a helpful support agent.\nBe warm and brief.\nNever share secrets.\nGreet by name."),
        ]),
        DiffSection(section: "call_handling", changes: [
            DiffChange(path: "firstMessage", oldValue: "Hello! How can I help?", newValue: "Hi there! What can I do for you?"),
            DiffChange(path: "allowInterruptions", oldValue: true, newValue: false),
        ]),
    ])

    /// A started state at `size` with the agents, the first agent's versions and drafts loaded.
    static func loadedState(size: Size = Size(width: 120, height: 32), isDemo: Bool = true, readOnly: Bool = false) -> AppState {
        var s = AppState(isDemo: isDemo, apiGeneration: .v1, accountLabel: "demo@atoms", readOnly: readOnly, now: now, size: size)
        _ = update(&s, .resized(width: size.width, height: size.height))
        _ = update(&s, .started)
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: agentList(agents())))
        _ = update(&s, .versionsLoaded(agentId: agentId(0), skip: 0, list: VersionList(versions: versions(), total: 5)))
        _ = update(&s, .draftsLoaded(agentId: agentId(0), drafts: drafts()))
        askForWantedHealth(&s)
        return s
    }

    /// As if the agent had stayed selected for `healthDebounce`: its health is asked for (the fixture's
    /// clock does not move, so ages in goldens stay put).
    static func askForWantedHealth(_ s: inout AppState) {
        if let w = s.healthWanted {
            s.healthWanted = nil
            _ = s.loadHealth(w.agentId)
        }
    }

    /// Feeds keys; returns every effect emitted, in order.
    @discardableResult
    static func press(_ keys: [Key], _ s: inout AppState) -> [Effect] {
        keys.flatMap { update(&s, .keyPressed($0)) }
    }

    /// Like `press`, and whenever a key opened a publish review, its three-way review arrives at once
    /// and says publishing undoes nothing (tests of the review's other parts need not wait for it).
    @discardableResult
    static func pressReviewed(_ keys: [Key], _ s: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for k in keys {
            effects += update(&s, .keyPressed(k))
            deliverCleanReview(&s)
        }
        return effects
    }

    /// Delivers a three-way review without reversions to a publish review that waits for one.
    static func deliverCleanReview(_ s: inout AppState) {
        if case .confirm(let c)? = s.overlay, c.reviewPending, case .makeBranchLive(let agentId, let branchId) = c.effect {
            let point = ReviewPoint(id: "head", name: "live", document: [:])
            let review = ThreeWayReview(subject: "makeLive", agentId: agentId, base: point, draft: point, live: point, history: [],
                                        comparison: ThreeWayComparison(changes: []))
            _ = update(&s, .reviewLoaded(agentId: agentId, subject: .makeLive(branchId: branchId), review))
            return
        }
        guard let flow = s.publish, case .loading? = flow.review else { return }
        let point = ReviewPoint(id: flow.baseVersionId ?? "", name: "live", document: [:])
        let review = ThreeWayReview(subject: "draft", agentId: flow.agentId, base: point,
                                    draft: ReviewPoint(id: flow.draftId, name: "draft", document: [:]), live: point, history: [],
                                    comparison: ThreeWayComparison(changes: []))
        _ = update(&s, .reviewLoaded(agentId: flow.agentId, subject: AppState.reviewTarget(flow), review))
    }

    /// Keys for typing a string.
    static func typing(_ text: String) -> [Key] { text.map { .char($0) } }
}
