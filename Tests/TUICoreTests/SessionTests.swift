import XCTest
import AtomsModels
@testable import TUICore

/// Scripted sessions: keys in, effects answered by stubs (as the Runtime would), final screen out.
final class SessionTests: XCTestCase {
    typealias F = Fixtures

    /// A tiny stand-in for the Runtime: runs every effect through `answer` at once and feeds the result back.
    struct Session {
        var state: AppState
        var log: [Effect] = []
        var answer: (Effect) -> Msg?

        init(size: Size, readOnly: Bool = false, answer: @escaping (Effect) -> Msg?) {
            state = AppState(isDemo: true, apiGeneration: .v1, accountLabel: "demo@atoms", readOnly: readOnly, now: F.now, size: size)
            self.answer = answer
            _ = update(&state, .resized(width: size.width, height: size.height))
            run(update(&state, .started))
        }

        mutating func run(_ effects: [Effect]) {
            var queue = effects
            while !queue.isEmpty {
                let e = queue.removeFirst()
                log.append(e)
                if let msg = answer(e) { queue += update(&state, msg) }
            }
        }

        mutating func keys(_ keys: [Key]) { for k in keys { run(update(&state, .keyPressed(k))) } }
        mutating func tick(_ seconds: TimeInterval) { run(update(&state, .tick(state.now.addingTimeInterval(seconds)))) }
        var screen: Screen { render(state, state.size) }
    }

    /// Answers like the demo simulator with the fixtures.
    static func stub(_ e: Effect) -> Msg? {
        switch e {
        case .loadAgents(let page, _, let search):
            return .agentsLoaded(page: page, search: search, list: F.agentList(F.agents()))
        case .loadVersions(let id, let skip, _):
            let n = F.agents().firstIndex { $0.id == id } ?? 0
            return .versionsLoaded(agentId: id, skip: skip, list: VersionList(versions: F.versions(agent: n), total: 5))
        case .loadDrafts(let id):
            let n = F.agents().firstIndex { $0.id == id } ?? 0
            return .draftsLoaded(agentId: id, drafts: n == 0 ? F.drafts(agent: n) : [])
        case .loadConfig(let id, let source):
            return .configLoaded(agentId: id, source: source, config: F.config)
        case .loadDiff(let id, let from, let to, _):
            return .diffLoaded(agentId: id, from: from, to: to, diff: F.diff)
        case .forkDraft(let id, let v, let d, let name):
            var draft = AgentVersion(id: "newrow", agent: id, status: .draft)
            draft.draftId = "newdraft"
            draft.draftName = name ?? "Untitled draft"
            draft.draftRevision = 0
            draft.sourceVersionId = v
            draft.sourceDraftId = d
            draft.lastEditorName = "You"
            draft.updatedAt = F.iso(minutesAgo: 0)
            return .draftForked(agentId: id, draft: draft)
        case .activate(let id, let v):
            return .activated(agentId: id, versionId: v, verified: true)
        case .renameDraft(let id, let d, let name): return .draftRenamed(agentId: id, draftId: d, name: name)
        case .discardDraft(let id, let d): return .draftDiscarded(agentId: id, draftId: d)
        case .setPinned(let id, let v, let p): return .pinChanged(agentId: id, versionId: v, pinned: p)
        case .cancel, .quit, .suspend, .repaint, .planLocalConfigs, .copyToClipboard: return nil
        case .loadHealth: return nil  // HealthTests
        case .loadReview, .rebaseDraft, .rebaseConflicts, .finishRebase: return nil  // ThreeWayReviewTests
        case .beginEdit, .editDraft, .saveEdit, .abandonEdit, .watchCheck: return nil
        case .loadPublishDiff(let id, let from, let to, _):
            return .diffLoaded(agentId: id, from: from, to: to, diff: F.diff)
        case .publishDraft(let id, let d, let label, let description):
            var v = AgentVersion(id: F.versionId(0, 6), agent: id, status: .published, versionNumber: 6, label: label, description: description)
            v.securityCheck = SecurityCheck(status: .pending)
            v.draftId = d
            v.publishedAt = F.iso(minutesAgo: 0)
            return .published(agentId: id, draftId: d, version: v)
        case .updateVersionMeta(let id, let vid, let label, let description):
            var v = AgentVersion(id: vid, agent: id, status: .published, label: label, description: description)
            v.versionNumber = F.versions().first { $0.id == vid }?.versionNumber
            return .versionMetaChanged(agentId: id, version: v)
        case .loadBranches, .loadRevisions, .loadDraftBase, .publishBranch, .restoreRevision, .cancelBranchPublish, .makeBranchLive,
             .createBranch, .renameBranch, .archiveBranch, .discardBranchDraft:
            return nil  // v2: covered by BranchUpdateTests
        }
    }

    func testForkADraftFromAVersion() {
        var s = Session(size: Size(width: 120, height: 32), answer: Self.stub)
        s.keys([.tab, .down])
        s.tick(0.2)  // the cursor rests: the config loads
        s.keys([.char("n")] + F.typing("greeting fix") + [.enter])
        XCTAssertTrue(s.log.contains(.forkDraft(agentId: F.agentId(0), sourceVersionId: F.versionId(0, 4), sourceDraftId: nil, name: "greeting fix")))
        XCTAssertEqual(s.state.focus, .drafts)
        XCTAssertEqual(s.state.draftRows.map(\.draftName), ["greeting fix", "fix greeting", "experiment"])
        GoldenFile.assert(GoldenFile.text(of: s.screen), named: "session-fork-120x32")
    }

    func testRollBackWithConfirmation() {
        var s = Session(size: Size(width: 80, height: 24), answer: Self.stub)
        s.keys([.tab, .down, .down, .char("a"), .enter])
        XCTAssertFalse(s.log.contains { if case .activate = $0 { return true }; return false }, "Enter did not confirm")
        s.keys([.char("a"), .char("y")])
        XCTAssertEqual(s.log.last, .activate(agentId: F.agentId(0), versionId: F.versionId(0, 3)))
        XCTAssertEqual(s.state.activeVersionId, F.versionId(0, 3))
        GoldenFile.assert(GoldenFile.text(of: s.screen), named: "session-rollback-80x24")
    }

    func testFailureThenRefreshRecovers() {
        var failing = true
        var s = Session(size: Size(width: 80, height: 24)) { e in
            if case .loadVersions = e, failing { return .failed(e, EffectFailure(kind: .server, status: 503, reason: "Service Unavailable")) }
            return Self.stub(e)
        }
        XCTAssertTrue(s.screen.text.contains("503 Service Unavailable —"), s.screen.text)
        XCTAssertTrue(s.state.status?.text.contains("could not load the versions") == true)
        XCTAssertTrue(s.screen.styleRuns(22).contains { $0.style == .statusError })
        failing = false
        s.answer = Self.stub
        s.keys([.char("R")])
        XCTAssertEqual(s.state.versionRows.count, 5)
        XCTAssertFalse(s.screen.text.contains("503"))
    }

    func testBrowseFilterAndDiffAtSmallSize() {
        var s = Session(size: Size(width: 40, height: 12), answer: Self.stub)
        s.keys([.char("/")] + F.typing("sup") + [.enter, .tab, .char("d"), .enter])
        XCTAssertEqual(s.state.focus, .detail)
        XCTAssertTrue(s.screen.text.contains("+ Greet by name."), s.screen.text)
        s.keys([.escape, .escape])
        XCTAssertNil(s.state.diff)
        GoldenFile.assert(GoldenFile.text(of: s.screen), named: "session-filter-diff-40x12")
    }
}
