import Foundation
import AtomsModels

/// Loads the three configs of a review and walks the history between base and live — the one
/// implementation behind the TUI's publish review, `drafts diff --three-way`, `drafts rebase` and the
/// `--allow-revert` guard of `publish`, `drafts publish --branch` and `branches live`.
///
/// * v1: base = the draft's source version (`sourceVersionId`; for a draft forked from a draft, the chain
///   of `sourceDraftId` is followed to a version), live = the active version. History: the active
///   version's `parentVersion` chain back to the base; when that chain does not reach the base, the
///   versions numbered after the base up to the active one. When the active version is OLDER than the
///   base (a roll back after the fork), the history is the active version alone, noted `rolled back`.
/// * v2 branch draft: base = the revision the draft was opened on (its `sourceVersionId`), live = the
///   branch's head now (live traffic when the branch is live). History: the branch's committed revisions
///   after the base up to the head.
/// * v2 make-live: draft side = the branch's head, live = the live branch's head, base = their common
///   ancestor from the branches' fork points (`sourceBranchId`/`sourceRevisionId`); with none known, the
///   branch's own fork point, or else the live head (then flagged in `approximation`).
public struct ThreeWayReviewer: Sendable {
    public let client: AtomsClient

    /// Builds a reviewer.
    public init(client: AtomsClient) { self.client = client }

    var lifecycle: Lifecycle { Lifecycle(client: client) }
    var branches: BranchLifecycle { BranchLifecycle(client: client) }

    /// The review of any subject.
    public func review(agentId: String, _ subject: ReviewSubject) async throws -> ThreeWayReview {
        switch subject {
        case .draft(let d): return try await reviewDraft(agentId: agentId, draftId: d)
        case .branchDraft(let b): return try await reviewBranchDraft(agentId: agentId, branchId: b)
        case .makeLive(let b): return try await reviewMakeLive(agentId: agentId, branchId: b)
        }
    }

    // MARK: v1

    /// The version a v1 draft was forked from, following `sourceDraftId` through drafts forked from drafts.
    public func baseVersionId(agentId: String, draft: AgentVersion) async throws -> String {
        var row = draft
        var seen: Set<String> = []
        while true {
            if let v = row.sourceVersionId { return v }
            guard let src = row.sourceDraftId, seen.insert(src).inserted, seen.count < 20 else {
                throw AtomsError(kind: .refused, serverErrors: ["draft '\(draft.draftName ?? draft.id)' names no source version: its base is unknown"],
                                 hint: "compare it with a version instead (`drafts diff --against`)")
            }
            row = try await client.getDraft(agentId, src, historyLimit: 1).latest
        }
    }

    /// v1: the review of a draft against its source version and the active version.
    public func reviewDraft(agentId: String, draftId: String) async throws -> ThreeWayReview {
        async let detailCall = client.getDraft(agentId, draftId, historyLimit: 1)
        async let agentCall = client.getAgent(agentId)
        let (detail, agent) = try await (detailCall, agentCall)
        let row = detail.latest
        let baseId = try await baseVersionId(agentId: agentId, draft: row)
        guard let liveId = agent.activeVersionId else {
            throw AtomsError(kind: .refused, serverErrors: ["the agent has no active version"])
        }
        var details: [String: VersionDetail] = [:]
        for id in Set([baseId, liveId]) { details[id] = try await client.getVersion(agentId, id) }
        let baseDetail = details[baseId]!, liveDetail = details[liveId]!
        let draftDoc = try await lifecycle.draftDocument(agentId: agentId, draftId: draftId)
        let baseDoc = ConfigMapping.requestDocument(fromSectioned: baseDetail.resolvedConfig)
        let liveDoc = ConfigMapping.requestDocument(fromSectioned: liveDetail.resolvedConfig)
        let base = ReviewPoint(id: baseId, name: baseDetail.version.displayNumber, document: baseDoc)
        let live = ReviewPoint(id: liveId, name: "\(liveDetail.version.displayNumber) (active)", document: liveDoc)
        let draft = ReviewPoint(id: draftId, name: "draft '\(row.draftName ?? draftId)' r\(draftDoc.revision ?? 0)", document: draftDoc.document)
        var comparison = ThreeWayComparison.compare(base: baseDoc, draft: draftDoc.document, live: liveDoc)
        var history: [HistoryRef] = []
        if baseId != liveId {
            let chain = try await versionChain(agentId: agentId, base: baseDetail.version, live: liveDetail.version)
            history = chain.map(\.ref)
            if comparison.wouldUndoLiveChanges {
                var steps: [(ref: HistoryRef, document: ConfigDocument)] = []
                for step in chain {
                    let doc: ConfigDocument
                    if step.ref.id == liveId { doc = liveDoc } else { doc = try await lifecycle.versionDocument(agentId: agentId, versionId: step.ref.id) }
                    steps.append((ref: step.ref, document: doc))
                }
                comparison = Self.attribute(comparison, base: baseDoc, steps: steps)
            }
        }
        return ThreeWayReview(subject: "draft", agentId: agentId, base: base, draft: draft, live: live,
                              history: history, comparison: comparison)
    }

    struct ChainStep { var ref: HistoryRef }

    /// The published versions from after `base` to `live`, oldest first (see the type's notes).
    func versionChain(agentId: String, base: AgentVersion, live: AgentVersion) async throws -> [ChainStep] {
        var all: [AgentVersion] = []
        var skip = 0
        while true {
            let page = try await client.listVersions(agentId, limit: 100, skip: skip)
            all += page.versions
            skip += page.versions.count
            if page.versions.isEmpty || skip >= page.total || skip >= 2000 { break }
        }
        var byId = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        byId[live.id] = byId[live.id] ?? live
        func ref(_ v: AgentVersion, note: String? = nil) -> ChainStep {
            ChainStep(ref: HistoryRef(id: v.id, name: v.displayNumber, label: v.label, publishedAt: v.publishedAt,
                                      publishedBy: v.publishedByName ?? v.publishedBy, note: note))
        }
        // The parent chain from live back to base.
        var chain: [AgentVersion] = []
        var cur: AgentVersion? = live
        while let c = cur, c.id != base.id, chain.count < 500 {
            chain.append(c)
            cur = c.parentVersion.flatMap { byId[$0] }
        }
        if cur?.id == base.id { return chain.reversed().map { ref($0) } }
        guard let bn = base.versionNumber, let ln = live.versionNumber else { return [ref(live)] }
        if ln < bn { return [ref(live, note: "rolled back")] }
        return all.filter { v in v.versionNumber.map { $0 > bn && $0 <= ln } ?? false }
            .sorted { ($0.versionNumber ?? 0) < ($1.versionNumber ?? 0) }
            .map { ref($0) }
    }

    /// Fills `introducedBy` of `.theirs` and `.conflict` changes: every step whose config changed the
    /// path's value from the previous step's (starting from the base). A path no step changed (the
    /// history is incomplete) is attributed to the last step.
    public static func attribute(_ comparison: ThreeWayComparison, base: ConfigDocument,
                                 steps: [(ref: HistoryRef, document: ConfigDocument)]) -> ThreeWayComparison {
        var out = comparison
        for i in out.changes.indices where out.changes[i].kind == .theirs || out.changes[i].kind == .conflict {
            let path = out.changes[i].steps
            var prev = ThreeWayComparison.value(at: path, in: base)
            var refs: [HistoryRef] = []
            for step in steps {
                let v = ThreeWayComparison.value(at: path, in: step.document)
                if v != prev { refs.append(step.ref) }
                prev = v
            }
            if refs.isEmpty, let last = steps.last { refs = [last.ref] }
            out.changes[i].introducedBy = refs
        }
        return out
    }

    // MARK: v2

    /// v2: the review of a branch's open draft against the revision it was opened on and the branch's head.
    public func reviewBranchDraft(agentId: String, branchId: String) async throws -> ThreeWayReview {
        let summary = try await client.getBranch(agentId, branchId)
        guard summary.branch.openDraftId != nil else {
            throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' has no open draft"])
        }
        guard let headId = summary.branch.headRevisionId else {
            throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' has no committed revision"])
        }
        let detail = try await client.getBranchDraft(agentId, branchId, historyLimit: 1)
        let (draftDoc, draftRevision, _) = try await branches.draftDocument(agentId: agentId, branchId: branchId)
        var approximation: String?
        let baseId: String
        if let s = detail.latest.sourceVersionId ?? detail.latest.parentVersion {
            baseId = s
        } else {
            baseId = headId
            approximation = "the draft names no base revision; compared with the head as its base"
        }
        let names = try await branchNames(agentId)
        let (rows, docs) = try await revisions(agentId, [baseId, headId])
        let baseRow = rows[baseId]!, headRow = rows[headId]!
        let baseDoc = docs[baseId]!, headDoc = docs[headId]!
        let bname = Self.clean(summary.branch.name)
        let base = ReviewPoint(id: baseId, name: revisionName(baseRow, names), document: baseDoc)
        let live = ReviewPoint(id: headId, name: revisionName(headRow, names) + (summary.isLive ? " (live)" : " (head)"), document: headDoc)
        let draft = ReviewPoint(id: summary.branch.openDraftId, name: "draft of '\(bname)' r\(draftRevision)", document: draftDoc)
        var comparison = ThreeWayComparison.compare(base: baseDoc, draft: draftDoc, live: headDoc)
        let history = try await branchHistory(agentId: agentId, branchId: branchId, base: (baseRow, baseDoc), head: (headRow, headDoc),
                                              names: names, comparison: &comparison)
        return ThreeWayReview(subject: "branchDraft", agentId: agentId, base: base, draft: draft, live: live,
                              history: history, comparison: comparison, approximation: approximation)
    }

    /// v2: the review of making `branchId` live over the live branch: its head against the live head,
    /// with their common ancestor as the base.
    public func reviewMakeLive(agentId: String, branchId: String) async throws -> ThreeWayReview {
        let all = try await client.listBranches(agentId)
        let summary = try await client.getBranch(agentId, branchId)
        guard let headId = summary.branch.headRevisionId else {
            throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' has no committed revision"])
        }
        guard let liveBranch = all.first(where: \.isLive), let liveHeadId = liveBranch.branch.headRevisionId else {
            throw AtomsError(kind: .refused, serverErrors: ["no branch of the agent is live"])
        }
        let names = Dictionary(all.map { ($0.id, $0.branch.name) }, uniquingKeysWith: { a, _ in a })
        var approximation: String?
        var baseId: String
        if liveBranch.id == branchId {
            baseId = headId
        } else if let a = try await commonAncestor(agentId: agentId, summary.branch, liveBranch.branch) {
            baseId = a
        } else if let fork = summary.branch.sourceRevisionId {
            baseId = fork
            approximation = "no common ancestor with '\(Self.clean(liveBranch.branch.name))' is known; the base is where '\(Self.clean(summary.branch.name))' was forked"
        } else {
            baseId = liveHeadId
            approximation = "no common ancestor with '\(Self.clean(liveBranch.branch.name))' is known; compared with the live head as the base, so reversions cannot be told from your changes"
        }
        let (rows, docs) = try await revisions(agentId, [baseId, headId, liveHeadId])
        let headRow = rows[headId]!, liveRow = rows[liveHeadId]!, baseRow = rows[baseId]!
        let headDoc = docs[headId]!, liveDoc = docs[liveHeadId]!, baseDoc = docs[baseId]!
        let base = ReviewPoint(id: baseId, name: revisionName(baseRow, names), document: baseDoc)
        let draft = ReviewPoint(id: headId, name: revisionName(headRow, names) + " (head of '\(Self.clean(summary.branch.name))')", document: headDoc)
        let live = ReviewPoint(id: liveHeadId, name: revisionName(liveRow, names) + " (live)", document: liveDoc)
        var comparison = ThreeWayComparison.compare(base: baseDoc, draft: headDoc, live: liveDoc)
        let history = try await branchHistory(agentId: agentId, branchId: liveBranch.id, base: (baseRow, baseDoc), head: (liveRow, liveDoc),
                                              names: names, comparison: &comparison)
        return ThreeWayReview(subject: "makeLive", agentId: agentId, base: base, draft: draft, live: live,
                              history: history, comparison: comparison, approximation: approximation)
    }

    /// The common ancestor revision of two branches from their fork points: each branch's lineage is
    /// (branch, point) pairs — its head, then its source branch at `sourceRevisionId`, and so on. The
    /// first branch both lineages reach gives the ancestor: the older of the two points on it.
    func commonAncestor(agentId: String, _ x: Branch, _ y: Branch) async throws -> String? {
        func lineage(_ b: Branch) async throws -> [(branch: String, point: String)] {
            var out: [(String, String)] = []
            var cur: Branch? = b
            var point = b.headRevisionId
            while let c = cur, let p = point, out.count < 20 {
                out.append((c.id, p))
                guard let src = c.sourceBranchId, let at = c.sourceRevisionId else { break }
                point = at
                cur = try? await client.getBranch(agentId, src).branch
            }
            return out
        }
        let lx = try await lineage(x), ly = try await lineage(y)
        for (branch, px) in lx {
            guard let py = ly.first(where: { $0.branch == branch })?.point else { continue }
            if px == py { return px }
            let nx = try await client.getVersion(agentId, px).version.revisionNumber ?? 0
            let ny = try await client.getVersion(agentId, py).version.revisionNumber ?? 0
            return nx <= ny ? px : py
        }
        return nil
    }

    /// The committed revisions of `branchId` after `after` up to `upTo`, oldest first. When `after` is not
    /// on the branch (the branch was forked after it), every committed revision up to `upTo`.
    /// The branch's revisions from just after `base` up to `head` (nothing when they are the same), and —
    /// when publishing would undo live changes — each reverted field attributed to the revision that made it.
    func branchHistory(agentId: String, branchId: String, base: (row: AgentVersion, doc: ConfigDocument),
                       head: (row: AgentVersion, doc: ConfigDocument), names: [String: String],
                       comparison: inout ThreeWayComparison) async throws -> [HistoryRef] {
        guard base.row.id != head.row.id else { return [] }
        let steps = try await revisionSteps(agentId: agentId, branchId: branchId, after: base.row, upTo: head.row, names: names)
        if comparison.wouldUndoLiveChanges {
            let stepDocs = try await documents(agentId, steps, known: [head.row.id: head.doc])
            comparison = Self.attribute(comparison, base: base.doc, steps: stepDocs)
        }
        return steps.map(\.ref)
    }

    func revisionSteps(agentId: String, branchId: String, after: AgentVersion, upTo: AgentVersion,
                       names: [String: String]) async throws -> [ChainStep] {
        var all: [AgentVersion] = []
        var skip = 0
        while true {
            let page = try await client.listRevisions(agentId, branchId, limit: 100, skip: skip)
            all += page.revisions
            skip += page.revisions.count
            if page.revisions.isEmpty || skip >= page.total || skip >= 2000 { break }
        }
        let committed = all.filter { $0.status == .published && $0.revisionNumber != nil && ($0.branch == nil || $0.branch == branchId) }
            .sorted { $0.revisionNumber! < $1.revisionNumber! }
        let top = upTo.revisionNumber ?? Int.max
        let sameBranch = after.branch == branchId && committed.contains { $0.id == after.id }
        let from = sameBranch ? (after.revisionNumber ?? 0) : Int.min
        let rows = committed.filter { $0.revisionNumber! > from && $0.revisionNumber! <= top && $0.id != after.id }
        let lookup = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var steps = rows.map { r in
            ChainStep(ref: HistoryRef(id: r.id, name: revisionName(r, names), label: r.label, publishedAt: r.publishedAt,
                                      publishedBy: r.publishedByName ?? r.publishedBy,
                                      note: r.restoredFromRevisionId.map { "restored \(lookup[$0]?.revisionLabel ?? String($0.suffix(6)))" }))
        }
        if steps.isEmpty && after.id != upTo.id {
            steps = [ChainStep(ref: HistoryRef(id: upTo.id, name: revisionName(upTo, names), label: upTo.label,
                                               publishedAt: upTo.publishedAt, publishedBy: upTo.publishedByName ?? upTo.publishedBy))]
        }
        return steps
    }

    /// Each revision's row (by-id read) and config, read once per distinct id.
    func revisions(_ agentId: String, _ ids: [String]) async throws -> (rows: [String: AgentVersion], docs: [String: ConfigDocument]) {
        var rows: [String: AgentVersion] = [:]
        var docs: [String: ConfigDocument] = [:]
        for id in Set(ids) {
            rows[id] = try await client.getVersion(agentId, id).version
            docs[id] = try await branches.revisionDocument(agentId: agentId, revisionId: id)
        }
        return (rows, docs)
    }

    func documents(_ agentId: String, _ steps: [ChainStep], known: [String: ConfigDocument]) async throws -> [(ref: HistoryRef, document: ConfigDocument)] {
        var out: [(ref: HistoryRef, document: ConfigDocument)] = []
        for s in steps {
            let doc: ConfigDocument
            if let k = known[s.ref.id] { doc = k } else { doc = try await branches.revisionDocument(agentId: agentId, revisionId: s.ref.id) }
            out.append((s.ref, doc))
        }
        return out
    }

    func branchNames(_ agentId: String) async throws -> [String: String] {
        let all = (try? await client.listBranches(agentId)) ?? []
        return Dictionary(all.map { ($0.id, $0.branch.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// `main r4`.
    func revisionName(_ r: AgentVersion, _ names: [String: String]) -> String {
        let label = r.revisionLabel
        guard let b = r.branch, let n = names[b] else { return label }
        return "\(Self.clean(n)) \(label)"
    }

    static func clean(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ") }
}
