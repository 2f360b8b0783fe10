import Foundation
import GRDB
import AtomsModels

/// v2 branch drafts: one open draft per branch, `expectedRevision` conflicts, publish with a deferred
/// security scan (202) or an immediate commit (200), cancel. Scans resolve from the store's clock
/// whenever the agent is next touched — no timers.
extension SimulatorStore {
    // MARK: Scans

    /// Resolves every finished scan of the agent (or of all agents): pass → the revision is committed
    /// (`published`, next `revisionNumber`, branch head, and `activeVersionId` on the live branch) and
    /// the draft closes; fail → the revision keeps `status: draft` with the failed check, and the draft
    /// stays open, marked so that publishing it unchanged answers 409.
    func settleScans(_ db: Database, agentId: String?, _ now: Date) throws {
        for var rev in try SimulatorDatabase.scanningRevisions(db, agentId: agentId) {
            guard let deadline = rev.checkDeadline, now.timeIntervalSince1970 >= deadline else { continue }
            let done = Self.iso(Date(timeIntervalSince1970: deadline))
            guard let branchId = rev.row.branch, var branch = try SimulatorDatabase.branch(db, branchId) else { continue }
            var check = rev.row.securityCheck ?? SecurityCheck(status: .queued)
            check.completedAt = done
            if let reason = denyReason(rev.config) {
                check.status = .failed
                check.reason = reason
                rev.row.securityCheck = check
                rev.row.pendingPublish = nil
                rev.row.updatedAt = done
                try SimulatorDatabase.saveRevision(db, rev)
                if let draftId = branch.branch.openDraftId,
                   var draft = try SimulatorDatabase.draft(db, agentId: rev.row.agent, draftId: draftId) {
                    draft.row.securityCheck = check
                    draft.row.updatedAt = done
                    try SimulatorDatabase.save(db, draft)
                    branch.failedDraftRevision = rev.row.draftRevision
                    try SimulatorDatabase.save(db, branch)
                }
            } else {
                check.status = .passed
                check.reason = nil
                rev.row.securityCheck = check
                try commit(db, &rev, branch: &branch, at: Date(timeIntervalSince1970: deadline))
            }
        }
    }

    /// Entry for the HTTP layer under the branch model, before any request: gives a known agent its
    /// `main` branch (so by-id reads already show revision fields) and settles finished scans — of
    /// that agent, or of all agents when the request names none.
    func prepareRequest(agentId: String?) throws {
        guard options.branchModel else { return }
        try write { db, now in
            if let agentId {
                guard try SimulatorDatabase.agent(db, agentId) != nil else { return }
                try ensureBranches(db, agentId: agentId, now)
            }
            try settleScans(db, agentId: agentId, now)
        }
    }

    /// Turns `rev` into the branch's new head: `published`, the next revision number, the draft closed,
    /// and the agent's active config moved when the branch is live.
    func commit(_ db: Database, _ rev: inout StoredVersion, branch: inout StoredBranch, at when: Date) throws {
        let stamp = Self.iso(when)
        let committed = try SimulatorDatabase.revisions(db, agentId: rev.row.agent).filter {
            $0.row.branch == branch.id && $0.row.status == .published
        }
        rev.row.status = .published
        rev.row.revisionNumber = (committed.compactMap(\.row.revisionNumber).max() ?? 0) + 1
        rev.row.publishedBy = rev.row.publishedBy ?? SimUser.caller.id
        rev.row.publishedAt = stamp
        rev.row.pendingPublish = nil
        if rev.row.sourceDraftId == nil { rev.row.sourceDraftId = rev.row.draftId }
        rev.row.draftId = nil
        rev.row.draftName = nil
        rev.row.draftRevision = nil
        rev.row.updatedAt = stamp
        try SimulatorDatabase.saveRevision(db, rev)
        branch.branch.headRevisionId = rev.row.id
        branch.branch.updatedAt = stamp
        if rev.row.restoredFromRevisionId == nil { try closeDraft(db, &branch, when) }
        try SimulatorDatabase.save(db, branch)
        if branch.isLive { try setActive(db, agentId: rev.row.agent, revisionId: rev.row.id, when) }
    }

    /// Closes the branch's open draft (soft delete) and forgets its failed scan.
    func closeDraft(_ db: Database, _ branch: inout StoredBranch, _ now: Date) throws {
        if let draftId = branch.branch.openDraftId,
           var draft = try SimulatorDatabase.draft(db, agentId: branch.branch.agent, draftId: draftId) {
            draft.deleted = true
            draft.row.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, draft)
        }
        branch.branch.openDraftId = nil
        branch.failedDraftRevision = nil
    }

    /// Drops the publishes still scanning on a branch. Returns how many.
    @discardableResult
    func dropScans(_ db: Database, agentId: String, branchId: String) throws -> Int {
        var n = 0
        for var rev in try SimulatorDatabase.scanningRevisions(db, agentId: agentId) where rev.row.branch == branchId {
            rev.deleted = true
            rev.row.pendingPublish = ["state": "cancelled", "startedBy": rev.row.pendingPublish?["startedBy"] ?? .null,
                                      "startedAt": rev.row.pendingPublish?["startedAt"] ?? .null]
            try SimulatorDatabase.saveRevision(db, rev)
            n += 1
        }
        return n
    }

    func requireNoScan(_ db: Database, agentId: String, branchId: String) throws {
        if try SimulatorDatabase.scanningRevisions(db, agentId: agentId).contains(where: { $0.row.branch == branchId }) {
            throw SimulatorError(status: 409, errors: ["A publish or restore is already in progress on this branch"],
                                 errorType: .publishInProgress)
        }
    }

    func requireOpenDraft(_ db: Database, _ b: StoredBranch) throws -> StoredVersion {
        guard let draftId = b.branch.openDraftId,
              let d = try SimulatorDatabase.draft(db, agentId: b.branch.agent, draftId: draftId) else {
            throw SimulatorError.notFound("No open draft on this branch")
        }
        return d
    }

    // MARK: GET /agent/{id}/branches/{branchId}/draft

    /// `GET …/draft`: the open draft, its edit count and history (newest first). No draft → 404.
    public func branchDraft(agentId: String, branchId: String, limit: Int = 20) throws -> BranchDraftDetail {
        try requireV2()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            let b = try requireBranch(db, agentId: agentId, branchId: branchId)
            let d = try requireOpenDraft(db, b)
            let edits = try SimulatorDatabase.draftEdits(db, draftId: d.row.draftId ?? "").filter { $0.revision > 0 }
            var latest = d.row
            latest.lastEditorName = edits.first?.editorName ?? SimUser.name(of: d.row.createdBy)
            return BranchDraftDetail(latest: latest, editCount: edits.count, editHistory: edits.prefix(limit).map {
                BranchDraftEdit(revision: $0.row, changedSections: $0.changedSections, editorName: $0.editorName)
            })
        }
    }

    // MARK: PUT /agent/{id}/branches/{branchId}/draft

    /// `PUT …/draft`: merges a config partial into the branch's draft, opening one from the head when
    /// none is open. With `expectedRevision`, a field changed by another edit since that revision
    /// answers 409 (rich `data.conflict` body, or the lean `errors: ["section.field"]` body with
    /// `leanConflicts`); a revision the draft never had answers `409 base_revision_unavailable`.
    public func putBranchDraft(agentId: String, branchId: String, _ body: ConfigDocument) throws -> Revision {
        try requireV2()
        try requireNotFrozen()
        var expected: Int?
        if let raw = body["expectedRevision"] {
            guard let n = raw.numberValue, let exact = JSONValue.exactInteger(n), exact >= 0 else {
                throw SimulatorError.badRequest("expectedRevision: Expected a non-negative integer, received \(raw.typeName)")
            }
            expected = Int(exact)
        }
        var clean: ConfigDocument = [:]
        for (k, v) in body where ConfigValidator.fields[k] != nil { clean[k] = v }
        if clean.isEmpty { throw SimulatorError.badRequest("No recognized config fields in request body") }
        let errors = Self.validateBranchDraftFields(clean)
        guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }
        let lean = options.leanConflicts
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            if b.branch.isArchived { throw SimulatorError(status: 403, errors: ["Branch is archived"]) }
            try requireNoScan(db, agentId: agentId, branchId: b.id)
            let stamp = Self.iso(now)
            var draft: StoredVersion
            if b.branch.openDraftId != nil {
                draft = try requireOpenDraft(db, b)
            } else {
                guard let headId = b.branch.headRevisionId, let head = try SimulatorDatabase.version(db, headId) else {
                    throw SimulatorError(status: 409, errors: ["Branch has no committed revision"], errorType: .noCommittedRevision)
                }
                var row = AgentVersion(id: try newID(db, now), agent: agentId, status: .draft)
                row.draftId = try newID(db, now)
                row.draftName = b.branch.name
                row.draftRevision = 0
                row.branch = b.id
                row.sourceVersionId = headId
                row.blocks = head.row.blocks
                row.workflowType = head.row.workflowType
                row.parentVersion = headId
                row.createdBy = SimUser.caller.id
                row.createdAt = stamp
                row.updatedAt = stamp
                draft = StoredVersion(row: row, config: head.config, deleted: false, checkDeadline: nil)
                try SimulatorDatabase.appendDraftEdit(db, agentId: agentId, draftId: row.draftId ?? "", StoredDraftEdit(
                    revision: 0, changedSections: [], editorId: SimUser.caller.id, editorName: SimUser.caller.name,
                    timestamp: stamp, row: row, config: head.config))
                b.branch.openDraftId = row.draftId
            }
            let current = draft.row.draftRevision ?? 0
            let merged = JSONValue.object(draft.config).merging(.object(clean)).objectValue ?? draft.config
            if let expected {
                let states = try SimulatorDatabase.draftEdits(db, draftId: draft.row.draftId ?? "")
                guard expected <= current, let base = states.first(where: { $0.revision == expected }) else {
                    throw SimulatorError(status: 409, errors: [DraftConflict.baseRevisionUnavailable])
                }
                let theirs = Self.leafChanges(base.config, draft.config)
                let mine = Self.leafChanges(draft.config, merged)
                let clashing = mine.keys.filter { p in
                    theirs.keys.contains { q in p == q || p.hasPrefix(q + ".") || q.hasPrefix(p + ".") }
                }.sorted()
                if !clashing.isEmpty {
                    var e = SimulatorError(status: 409, errors: clashing)
                    if !lean {
                        let diffs: [JSONValue] = clashing.map { p in
                            let section = String(p.split(separator: ".").first ?? "")
                            let theirsHit = theirs.first { q in p == q.key || p.hasPrefix(q.key + ".") || q.key.hasPrefix(p + ".") }
                            return ["section": .string(section), "path": .string(p),
                                    "oldValue": theirsHit?.value.old ?? .null, "newValue": theirsHit?.value.new ?? .null,
                                    "attemptedValue": mine[p]?.new ?? .null]
                        }
                        e.body.data = DraftConflict(paths: clashing, expectedRevision: expected, latestRevision: current,
                                                    diffs: diffs).richData
                    }
                    throw e
                }
            }
            let ruleErrors = ConfigValidator.validateLanguageRules(merged)
            guard ruleErrors.isEmpty else { throw SimulatorError(status: 400, errors: ruleErrors) }
            let touched = ConfigMapping.sections(touchedBy: clean)
            var blocks = draft.row.blocks ?? [:]
            for s in touched { blocks[s] = try newID(db, now) }
            draft.config = merged
            draft.row.blocks = blocks
            draft.row.draftRevision = current + 1
            draft.row.securityCheck = nil
            draft.row.updatedAt = stamp
            try SimulatorDatabase.save(db, draft)
            try SimulatorDatabase.appendDraftEdit(db, agentId: agentId, draftId: draft.row.draftId ?? "", StoredDraftEdit(
                revision: current + 1, changedSections: touched, editorId: SimUser.caller.id, editorName: SimUser.caller.name,
                timestamp: stamp, row: draft.row, config: merged))
            b.failedDraftRevision = nil
            b.branch.updatedBy = SimUser.caller.id
            b.branch.updatedAt = stamp
            try SimulatorDatabase.save(db, b)
            return draft.row
        }
    }

    /// Leaf paths (`section.field…`) that differ from `a` to `b`, with both values.
    static func leafChanges(_ a: ConfigDocument, _ b: ConfigDocument) -> [String: (old: JSONValue?, new: JSONValue?)] {
        let sa = ConfigMapping.sectioned(fromRequestDocument: a)
        let sb = ConfigMapping.sectioned(fromRequestDocument: b)
        var out: [String: (old: JSONValue?, new: JSONValue?)] = [:]
        for s in ConfigMapping.sections {
            for c in JSONValue.changedPaths(sa[s], sb[s]) { out[c.path.isEmpty ? s : "\(s).\(c.path)"] = (c.old, c.new) }
        }
        return out
    }

    // MARK: DELETE /agent/{id}/branches/{branchId}/draft

    /// `DELETE …/draft`: discards the open draft (and a publish of it still scanning). No draft → 404.
    public func discardBranchDraft(agentId: String, branchId: String) throws -> DiscardDraftResult {
        try requireV2()
        try requireNotFrozen()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            _ = try requireOpenDraft(db, b)
            try dropScans(db, agentId: agentId, branchId: b.id)
            try closeDraft(db, &b, now)
            b.branch.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, b)
            return DiscardDraftResult()
        }
    }

    // MARK: POST /agent/{id}/branches/{branchId}/draft/publish

    /// `POST …/draft/publish`: content an earlier scan passed (or a `workflow_graph` agent) commits at
    /// once → `(200, committed + revision)`. Anything else → `(202, scanning)`, and the revision is
    /// listed at once with `status: draft` and `securityCheck.status: queued`. A draft whose scan failed
    /// and that was not edited since → `409 security_check_failed`; a scan running → `409 publish_in_progress`.
    public func publishBranchDraft(agentId: String, branchId: String,
                                   _ request: PublishBranchDraftRequest = PublishBranchDraftRequest()) throws -> (status: Int, result: PublishResult) {
        try requireV2()
        try requireNotFrozen()
        try Self.checkMeta(label: request.label, description: nil)
        return try write { db, now in
            let agent = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            if b.branch.isArchived { throw SimulatorError(status: 403, errors: ["Branch is archived"]) }
            let draft = try requireOpenDraft(db, b)
            try requireNoScan(db, agentId: agentId, branchId: b.id)
            if let failed = b.failedDraftRevision, failed == draft.row.draftRevision {
                throw SimulatorError(status: 409, errors: [
                    "This draft failed its security scan; edit it before publishing again",
                ], errorType: .securityCheckFailed)
            }
            let stamp = Self.iso(now)
            var row = AgentVersion(id: try newID(db, now), agent: agentId, status: .draft, label: request.label)
            row.branch = b.id
            row.draftId = draft.row.draftId
            row.draftName = draft.row.draftName
            row.draftRevision = draft.row.draftRevision
            row.sourceDraftId = draft.row.draftId
            row.sourceVersionId = draft.row.sourceVersionId
            row.parentVersion = b.branch.headRevisionId
            row.blocks = draft.row.blocks
            row.workflowType = draft.row.workflowType ?? agent.workflowType
            row.publishedBy = SimUser.caller.id
            row.createdBy = SimUser.caller.id
            row.createdAt = stamp
            row.updatedAt = stamp
            let scanned = try SimulatorDatabase.revisions(db, agentId: agentId).first {
                $0.row.status == .published && $0.config == draft.config && ($0.row.securityCheck?.status.isPassed ?? false)
            }
            if agent.workflowType == "workflow_graph" || scanned != nil {
                row.securityCheck = scanned?.row.securityCheck
                var rev = StoredVersion(row: row, config: draft.config, deleted: false, checkDeadline: nil)
                try commit(db, &rev, branch: &b, at: now)
                return (200, PublishResult(state: .committed, revision: Self.listed(rev)))
            }
            row.securityCheck = SecurityCheck(status: .queued, triggeredAt: stamp)
            row.pendingPublish = ["state": "active", "startedBy": .string(SimUser.caller.id), "startedAt": .string(stamp)]
            let deadline = now.timeIntervalSince1970 + checkDuration(for: row.id)
            try SimulatorDatabase.saveRevision(db, StoredVersion(row: row, config: draft.config, deleted: false, checkDeadline: deadline))
            return (202, PublishResult(state: .scanning))
        }
    }

    // MARK: POST /agent/{id}/branches/{branchId}/draft/publish/cancel

    /// `POST …/draft/publish/cancel`: drops a publish still scanning; the draft stays open. Always
    /// `{cancelled: true}` (idempotent, also when nothing was scanning).
    public func cancelBranchPublish(agentId: String, branchId: String) throws -> CancelPublishResult {
        try requireV2()
        try requireNotFrozen()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            let b = try requireBranch(db, agentId: agentId, branchId: branchId)
            try dropScans(db, agentId: agentId, branchId: b.id)
            return CancelPublishResult()
        }
    }
}
