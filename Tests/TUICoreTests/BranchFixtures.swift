import Foundation
import AtomsModels
@testable import TUICore

/// v2 (branches + revisions) data for the TUICore tests: agent 0 has `main` (live, head r3, an open
/// draft) and `feature` (head r1, an open draft); main's history is r3…r1.
enum BranchFixtures {
    typealias F = Fixtures
    static let mainId = ObjectID.make(seconds: 1_740_000_000, counter: 1)
    static let featureId = ObjectID.make(seconds: 1_740_000_000, counter: 2)
    static let mainDraftId = ObjectID.make(seconds: 1_750_000_000, counter: 1)
    static let featureDraftId = ObjectID.make(seconds: 1_750_000_000, counter: 2)
    static func revisionId(_ branch: Int, _ n: Int) -> String { ObjectID.make(seconds: 1_760_000_000 + branch, counter: UInt64(n)) }

    static func branches(mainLive: Bool = true, mainDraft: Bool = true) -> [BranchSummary] {
        var main = Branch(id: mainId, agent: F.agentId(0), name: "main", isDefault: true)
        main.headRevisionId = revisionId(0, 3)
        main.openDraftId = mainDraft ? mainDraftId : nil
        main.updatedAt = F.iso(minutesAgo: 4)
        main.updatedByName = "Ada"
        var feature = Branch(id: featureId, agent: F.agentId(0), name: "feature", isDefault: false)
        feature.headRevisionId = revisionId(1, 1)
        feature.openDraftId = featureDraftId
        feature.updatedAt = F.iso(minutesAgo: 60)
        feature.updatedByName = "Linus"
        return [BranchSummary(branch: main, isLive: mainLive, hasOpenDraft: mainDraft, revisionsCount: 3, headRevisionNumber: 3),
                BranchSummary(branch: feature, isLive: !mainLive, hasOpenDraft: true, revisionsCount: 1, headRevisionNumber: 1)]
    }

    static func revisions(branch: Int = 0, count: Int = 3) -> RevisionList {
        let rows = (0..<count).map { i -> AgentVersion in
            let n = count - i
            var r = AgentVersion(id: revisionId(branch, n), agent: F.agentId(0), status: .published,
                                 label: n == 1 ? "initial" : "release \(n)", isPinned: false, isActive: branch == 0 && n == count)
            r.revisionNumber = n
            r.branch = branch == 0 ? mainId : featureId
            r.publishedByName = "Ada"
            r.publishedAt = F.iso(minutesAgo: (count - n + 1) * 90)
            r.securityCheck = SecurityCheck(status: .passed)
            return r
        }
        return RevisionList(revisions: rows, total: count)
    }

    /// A v2 state with agents, agent 0's branches and main's history loaded; Agents focused.
    static func loadedState(size: Size = Size(width: 120, height: 32), mainLive: Bool = true) -> AppState {
        var s = AppState(isDemo: true, apiGeneration: .v2, accountLabel: "demo@atoms", now: F.now, size: size)
        _ = update(&s, .resized(width: size.width, height: size.height))
        _ = update(&s, .started)
        var agents = F.agents()
        agents[0].activeVersionId = mainLive ? revisionId(0, 3) : revisionId(1, 1)
        _ = update(&s, .agentsLoaded(page: 1, search: nil, list: F.agentList(agents)))
        _ = update(&s, .branchesLoaded(agentId: F.agentId(0), branches: branches(mainLive: mainLive)))
        _ = update(&s, .revisionsLoaded(agentId: F.agentId(0), branchId: currentId(s), skip: 0,
                                        list: currentId(s) == mainId ? revisions() : revisions(branch: 1, count: 1)))
        F.askForWantedHealth(&s)
        return s
    }

    static func currentId(_ s: AppState) -> String { s.currentBranch?.id ?? mainId }

    /// A revision row of a publish in its scan.
    static func scanning(branch: Int = 0, n: Int = 4, label: String = "greet") -> AgentVersion {
        var r = AgentVersion(id: revisionId(branch, n), agent: F.agentId(0), status: .draft, label: label, isPinned: false, isActive: false)
        r.branch = branch == 0 ? mainId : featureId
        r.securityCheck = SecurityCheck(status: .queued)
        return r
    }
}
