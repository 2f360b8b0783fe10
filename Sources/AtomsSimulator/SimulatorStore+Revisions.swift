import Foundation
import GRDB
import AtomsModels

/// v2 revisions: list, read, history, restore, and the ref-based diff.
extension SimulatorStore {
    func branchRevisions(_ db: Database, agentId: String, branchId: String, _ now: Date) throws -> [StoredVersion] {
        try SimulatorDatabase.revisions(db, agentId: agentId).filter { $0.row.branch == branchId }
            .map { try refreshed(db, $0, now) }
    }

    func requireRevision(_ db: Database, agentId: String, branchId: String, revisionId: String) throws -> StoredVersion {
        guard ObjectID.isValid(revisionId) else { throw SimulatorError.badRequest("Invalid revisionId format") }
        guard let v = try revisionRow(db, agentId: agentId, revisionId) else { throw SimulatorError.notFound("Revision not found") }
        guard v.row.branch == branchId else { throw SimulatorError.badRequest("Revision does not belong to this branch") }
        return v
    }

    // MARK: GET /agent/{id}/branches/{branchId}/revisions

    /// `GET …/revisions`: committed and scanning revisions of the branch, newest first; `total` counts them all.
    public func revisions(agentId: String, branchId: String, limit: Int = 20, skip: Int = 0) throws -> RevisionList {
        try requireV2()
        guard (1...100).contains(limit) else { throw SimulatorError.badRequest("limit: Number must be between 1 and 100") }
        guard skip >= 0 else { throw SimulatorError.badRequest("skip: Number must be greater than or equal to 0") }
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            let b = try requireBranch(db, agentId: agentId, branchId: branchId)
            var all = Array(try branchRevisions(db, agentId: agentId, branchId: b.id, now).reversed())
            let lag = options.listLag
            if lag > 0 {
                // `listLag`: a revision created less than `lag` seconds ago is not listed yet.
                let cutoff = now.addingTimeInterval(-lag)
                all = all.filter { (Self.parseISO($0.row.createdAt) ?? .distantPast) <= cutoff }
            }
            return RevisionList(revisions: all.dropFirst(skip).prefix(limit).map(Self.listed), total: all.count)
        }
    }

    // MARK: GET /agent/{id}/branches/{branchId}/revisions/{revisionId}

    /// `GET …/revisions/{revisionId}`: the revision and its config keyed by section. A revision of
    /// another branch → 400.
    public func revision(agentId: String, branchId: String, revisionId: String) throws -> RevisionDetail {
        try requireV2()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            _ = try requireBranch(db, agentId: agentId, branchId: branchId)
            let v = try refreshed(db, try requireRevision(db, agentId: agentId, branchId: branchId, revisionId: revisionId), now)
            return RevisionDetail(revision: Self.listed(v), resolvedConfig: ConfigMapping.sectioned(fromRequestDocument: Self.answerShape(v.config, at: now)))
        }
    }

    // MARK: GET /agent/{id}/branches/{branchId}/revisions/{revisionId}/history

    /// `GET …/history`: who published the revision and the committed revisions up to it, newest
    /// first, each with the sections it changed from the one before (the first against the fork point).
    public func revisionHistory(agentId: String, branchId: String, revisionId: String) throws -> RevisionHistory {
        try requireV2()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            let b = try requireBranch(db, agentId: agentId, branchId: branchId)
            let v = try requireRevision(db, agentId: agentId, branchId: branchId, revisionId: revisionId)
            let committed = try branchRevisions(db, agentId: agentId, branchId: b.id, now).filter {
                $0.row.status == .published && ($0.row.revisionNumber ?? 0) <= (v.row.revisionNumber ?? Int.max)
            }.sorted { ($0.row.revisionNumber ?? 0) < ($1.row.revisionNumber ?? 0) }
            var previous = try b.branch.sourceRevisionId.flatMap { try SimulatorDatabase.version(db, $0) }?.config
            var trail: [RevisionTrailEntry] = []
            for r in committed {
                let sections = previous.map { ConfigMapping.diff(from: $0, to: r.config).diffs.map(\.section) } ?? []
                trail.append(RevisionTrailEntry(revision: Self.listed(r), changedSections: sections))
                previous = r.config
            }
            return RevisionHistory(revision: Self.listed(v), publishedBy: SimUser.name(of: v.row.publishedBy) ?? v.row.publishedBy,
                                   trail: trail.reversed())
        }
    }

    // MARK: POST /agent/{id}/branches/{branchId}/revisions/{revisionId}/restore

    /// `POST …/restore`: republishes an older revision as the new head (`restoredFromRevisionId`,
    /// `restoredFromLabel`); its scan already passed, so it commits at once (200). A source that did
    /// not pass → 403; the current head → 409; a scan running on the branch → `409 publish_in_progress`.
    /// The draft slot is untouched.
    public func restoreRevision(agentId: String, branchId: String, revisionId: String) throws -> PublishResult {
        try requireV2()
        try requireNotFrozen()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            if b.branch.isArchived { throw SimulatorError(status: 403, errors: ["Branch is archived"]) }
            let source = try refreshed(db, try requireRevision(db, agentId: agentId, branchId: branchId, revisionId: revisionId), now)
            try requireNoScan(db, agentId: agentId, branchId: b.id)
            if source.row.status != .published || !(source.row.securityCheck?.status.isPassed ?? true) {
                throw SimulatorError(status: 403, errors: ["Source revision has not passed its security scan"])
            }
            if b.branch.headRevisionId == source.row.id {
                throw SimulatorError(status: 409, errors: ["Revision is already the head of this branch"])
            }
            let stamp = Self.iso(now)
            var row = AgentVersion(id: try newID(db, now), agent: agentId, status: .draft)
            row.branch = b.id
            row.blocks = source.row.blocks
            row.workflowType = source.row.workflowType
            row.parentVersion = b.branch.headRevisionId
            row.sourceVersionId = source.row.id
            row.restoredFromRevisionId = source.row.id
            row.restoredFromLabel = source.row.label ?? "Version \(source.row.revisionNumber ?? source.row.versionNumber ?? 0)"
            row.securityCheck = source.row.securityCheck
            row.publishedBy = SimUser.caller.id
            row.createdBy = SimUser.caller.id
            row.createdAt = stamp
            row.updatedAt = stamp
            var rev = StoredVersion(row: row, config: source.config, deleted: false, checkDeadline: nil)
            try commit(db, &rev, branch: &b, at: now)
            return PublishResult(state: .committed, revision: Self.listed(rev))
        }
    }

    // MARK: GET /agent/{id}/diff

    /// `GET /agent/{id}/diff?a=&b=`: a section-grouped diff from `a` to `b`; each is a revision id or
    /// `<branchId>:draft`, on any branch of the agent.
    public func diffRefs(agentId: String, a: String?, b: String?) throws -> AgentVersionDiff {
        try requireV2()
        guard let a, !a.isEmpty, let b, !b.isEmpty else { throw SimulatorError.badRequest("a and b are required") }
        func parse(_ s: String, _ name: String) throws -> DiffRef {
            guard s.count <= 64, let r = DiffRef(wireValue: s) else {
                throw SimulatorError.badRequest("\(name): expected a revisionId or <branchId>:draft")
            }
            return r
        }
        let ra = try parse(a, "a"), rb = try parse(b, "b")
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            func config(_ r: DiffRef) throws -> ConfigDocument {
                switch r {
                case .revision(let id):
                    guard let v = try revisionRow(db, agentId: agentId, id) else { throw SimulatorError.notFound("Revision not found") }
                    return v.config
                case .draft(let branchId):
                    return try requireOpenDraft(db, try requireBranch(db, agentId: agentId, branchId: branchId)).config
                }
            }
            return ConfigMapping.diff(from: try config(ra), to: try config(rb))
        }
    }
}
