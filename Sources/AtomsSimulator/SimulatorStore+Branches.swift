import Foundation
import GRDB
import AtomsModels

/// v2 branches: the branch model's rules over the same agents (see DESIGN.md, API rulings, v2).
/// Every agent gets a `main` branch (default, live, holding its versions as revisions) the first time
/// a v2 endpoint touches it under the branch model — a new agent's version 1 becomes `main`'s
/// revision 1, and an account's existing v1 data is migrated the same way.
extension SimulatorStore {
    /// The name every agent's default branch has; reserved case-insensitively.
    static let mainBranchName = "main"

    /// The v2 endpoints exist only under the branch model.
    func requireV2() throws {
        if !options.branchModel {
            throw SimulatorError.notFound("Branch model is not enabled for this organization")
        }
    }

    // MARK: Migration

    /// Gives the agent its `main` branch when it has no branch yet: every published version becomes
    /// a revision on `main` (same id, `revisionNumber` in version order), the active one the head.
    @discardableResult
    func ensureBranches(_ db: Database, agentId: String, _ now: Date) throws -> [StoredBranch] {
        let existing = try SimulatorDatabase.branches(db, agentId: agentId)
        if !existing.isEmpty { return existing }
        let agent = try requireAgent(db, agentId)
        let mainId = try newID(db, now)
        let versions = try SimulatorDatabase.publishedVersions(db, agentId: agentId).reversed()
        var head: String?
        for (i, found) in versions.enumerated() {
            var v = try refreshed(db, found, now)
            v.row.branch = mainId
            v.row.revisionNumber = i + 1
            v.row.isActive = v.row.id == agent.activeVersionId
            try SimulatorDatabase.saveRevision(db, v)
            if v.row.id == agent.activeVersionId { head = v.row.id }
        }
        if head == nil {
            head = versions.last(where: { $0.row.securityCheck?.status.isPassed ?? true })?.row.id
        }
        var branch = Branch(id: mainId, agent: agentId, name: Self.mainBranchName, isDefault: true)
        branch.headRevisionId = head
        branch.createdBy = agent.createdBy
        branch.updatedBy = agent.createdBy
        branch.createdAt = agent.createdAt
        branch.updatedAt = agent.createdAt
        let stored = StoredBranch(branch: branch, isLive: true, failedDraftRevision: nil)
        try SimulatorDatabase.save(db, stored)
        return [stored]
    }

    /// Migrates every agent that has no branch yet (the flag turned on over existing v1 data).
    public func migrateToBranchModel() throws {
        try requireV2()
        try write { db, now in
            for a in try SimulatorDatabase.allAgents(db) { try ensureBranches(db, agentId: a.id, now) }
        }
    }

    // MARK: Lookups

    /// The agent (404 when unknown), migrated and with its finished scans settled.
    func prepareAgent(_ db: Database, _ agentId: String, _ now: Date) throws -> StoredAgent {
        _ = try requireAgent(db, agentId)
        try ensureBranches(db, agentId: agentId, now)
        try settleScans(db, agentId: agentId, now)
        return try requireAgent(db, agentId)
    }

    func requireBranch(_ db: Database, agentId: String, branchId: String) throws -> StoredBranch {
        guard ObjectID.isValid(branchId) else { throw SimulatorError.badRequest("Invalid branchId format") }
        guard let b = try SimulatorDatabase.branch(db, branchId), b.branch.agent == agentId else {
            throw SimulatorError.notFound("Branch not found")
        }
        return b
    }

    /// The row of revision `id` of the agent (dropped publishes excluded).
    func revisionRow(_ db: Database, agentId: String, _ id: String) throws -> StoredVersion? {
        guard let v = try SimulatorDatabase.version(db, id), v.row.agent == agentId, v.row.branch != nil, !v.deleted else {
            return nil
        }
        return v
    }

    /// The wire summary of a branch.
    func summary(_ db: Database, _ b: StoredBranch) throws -> BranchSummary {
        let revisions = try SimulatorDatabase.revisions(db, agentId: b.branch.agent)
        let committed = revisions.filter { $0.row.branch == b.id && $0.row.status == .published }
        let head = try b.branch.headRevisionId.flatMap { try SimulatorDatabase.version(db, $0) }
        var branch = b.branch
        branch.createdByName = SimUser.name(of: branch.createdBy)
        branch.updatedByName = SimUser.name(of: branch.updatedBy)
        return BranchSummary(branch: branch, isLive: b.isLive, hasOpenDraft: b.branch.openDraftId != nil,
                             revisionsCount: committed.count, headRevisionNumber: head?.row.revisionNumber)
    }

    static func checkBranchName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw SimulatorError.badRequest("name: String must contain at least 1 character(s)") }
        if trimmed.count > 100 { throw SimulatorError.badRequest("name: String must contain at most 100 character(s)") }
        return trimmed
    }

    /// `main` is reserved; names are unique (case-insensitively) among the agent's active branches.
    func requireFreeName(_ db: Database, agentId: String, _ name: String, except: String? = nil) throws {
        if name.lowercased() == Self.mainBranchName {
            throw SimulatorError(status: 409, errors: ["The branch name '\(Self.mainBranchName)' is reserved"],
                                 errorType: .branchNameExists)
        }
        let taken = try SimulatorDatabase.branches(db, agentId: agentId).contains {
            $0.id != except && !$0.branch.isArchived && $0.branch.name.lowercased() == name.lowercased()
        }
        if taken {
            throw SimulatorError(status: 409, errors: ["A branch named '\(name)' already exists on this agent"],
                                 errorType: .branchNameExists)
        }
    }

    /// Makes `revisionId` the agent's active config (the live branch's head moved).
    func setActive(_ db: Database, agentId: String, revisionId: String, _ now: Date) throws {
        var agent = try requireAgent(db, agentId)
        let stamp = Self.iso(now)
        if let old = agent.activeVersionId, old != revisionId, var row = try SimulatorDatabase.version(db, old) {
            row.row.isActive = false
            row.row.updatedAt = stamp
            try SimulatorDatabase.saveRevisionOrVersion(db, row)
        }
        if var row = try SimulatorDatabase.version(db, revisionId) {
            row.row.isActive = true
            row.row.activatedBy = SimUser.caller.id
            row.row.activatedAt = stamp
            try SimulatorDatabase.saveRevisionOrVersion(db, row)
        }
        agent.activeVersionId = revisionId
        agent.updatedAt = stamp
        try SimulatorDatabase.save(db, agent)
    }

    // MARK: GET /agent/{id}/branches

    /// `GET /agent/{id}/branches`: the non-archived branches, oldest first.
    public func branches(agentId: String) throws -> BranchList {
        try requireV2()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            let all = try SimulatorDatabase.branches(db, agentId: agentId).filter { !$0.branch.isArchived }
            return BranchList(branches: try all.map { try summary(db, $0) })
        }
    }

    // MARK: GET /agent/{id}/branches/{branchId}

    /// `GET /agent/{id}/branches/{branchId}`: one branch summary (archived branches too).
    public func branch(agentId: String, branchId: String) throws -> BranchSummary {
        try requireV2()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            return try summary(db, try requireBranch(db, agentId: agentId, branchId: branchId))
        }
    }

    // MARK: POST /agent/{id}/branches

    /// `POST /agent/{id}/branches`: forks a branch at the source branch's head. The source must have a
    /// commit (`409 source_has_no_commit`) and no publish in flight (`409 source_scanning`).
    public func createBranch(agentId: String, _ request: CreateBranchRequest) throws -> Branch {
        try requireV2()
        try requireNotFrozen()
        let name = try Self.checkBranchName(request.name)
        guard ObjectID.isValid(request.sourceBranchId) else {
            throw SimulatorError.badRequest("sourceBranchId: Invalid ObjectId format")
        }
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            guard let source = try SimulatorDatabase.branch(db, request.sourceBranchId), source.branch.agent == agentId else {
                throw SimulatorError.notFound("Source branch not found")
            }
            try requireFreeName(db, agentId: agentId, name)
            guard let head = source.branch.headRevisionId else {
                throw SimulatorError(status: 409, errors: ["Source branch has no committed revision"], errorType: .sourceHasNoCommit)
            }
            if try SimulatorDatabase.scanningRevisions(db, agentId: agentId).contains(where: { $0.row.branch == source.id }) {
                throw SimulatorError(status: 409, errors: ["Source branch has a publish still scanning"], errorType: .sourceScanning)
            }
            let stamp = Self.iso(now)
            var b = Branch(id: try newID(db, now), agent: agentId, name: name)
            b.sourceBranchId = source.id
            b.sourceRevisionId = head
            b.headRevisionId = head
            b.createdBy = SimUser.caller.id
            b.updatedBy = SimUser.caller.id
            b.createdAt = stamp
            b.updatedAt = stamp
            try SimulatorDatabase.save(db, StoredBranch(branch: b, isLive: false, failedDraftRevision: nil))
            return b
        }
    }

    // MARK: PATCH /agent/{id}/branches/{branchId}

    /// `PATCH /agent/{id}/branches/{branchId}`: renames a branch. `main` → 403; a taken name → 409.
    public func renameBranch(agentId: String, branchId: String, _ request: RenameBranchRequest) throws -> Branch {
        try requireV2()
        try requireNotFrozen()
        let name = try Self.checkBranchName(request.name)
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            if b.branch.isDefault { throw SimulatorError(status: 403, errors: ["The default branch cannot be renamed"]) }
            if b.branch.isArchived { throw SimulatorError(status: 403, errors: ["An archived branch cannot be renamed"]) }
            try requireFreeName(db, agentId: agentId, name, except: b.id)
            b.branch.name = name
            b.branch.updatedBy = SimUser.caller.id
            b.branch.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, b)
            return b.branch
        }
    }

    // MARK: POST /agent/{id}/branches/{branchId}/archive

    /// `POST …/archive`: hides a branch and drops its draft (and any publish in flight). `main` and the
    /// live branch → 403. Its revisions stay readable by id.
    public func archiveBranch(agentId: String, branchId: String) throws -> ArchiveBranchResult {
        try requireV2()
        try requireNotFrozen()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            if b.branch.isDefault { throw SimulatorError(status: 403, errors: ["The default branch cannot be archived"]) }
            if b.isLive {
                throw SimulatorError(status: 403, errors: ["The live branch cannot be archived; make another branch live first"])
            }
            if b.branch.isArchived { return ArchiveBranchResult() }
            try dropScans(db, agentId: agentId, branchId: b.id)
            try closeDraft(db, &b, now)
            b.branch.status = .archived
            b.branch.updatedBy = SimUser.caller.id
            b.branch.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, b)
            return ArchiveBranchResult()
        }
    }

    // MARK: POST /agent/{id}/branches/{branchId}/live

    /// `POST …/live`: the branch's head becomes the agent's live config (`activeVersionId`); the
    /// previously live branch stops being live. Archived, or a head that has not passed its scan → 403.
    /// Already live → 200, nothing changes.
    public func makeBranchLive(agentId: String, branchId: String) throws -> BranchSummary {
        try requireV2()
        try requireNotFrozen()
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            var b = try requireBranch(db, agentId: agentId, branchId: branchId)
            if b.branch.isArchived { throw SimulatorError(status: 403, errors: ["Branch is archived"]) }
            guard let headId = b.branch.headRevisionId, let head = try SimulatorDatabase.version(db, headId) else {
                throw SimulatorError(status: 403, errors: ["Branch has no committed revision"])
            }
            if let check = head.row.securityCheck, !check.status.isPassed {
                throw SimulatorError(status: 403, errors: ["The head revision has not passed its security scan"])
            }
            if b.isLive { return try summary(db, b) }
            for var other in try SimulatorDatabase.branches(db, agentId: agentId) where other.isLive {
                other.isLive = false
                try SimulatorDatabase.save(db, other)
            }
            b.isLive = true
            b.branch.updatedBy = SimUser.caller.id
            b.branch.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, b)
            try setActive(db, agentId: agentId, revisionId: headId, now)
            return try summary(db, b)
        }
    }
}

extension SimulatorDatabase {
    /// Saves a published row back where it belongs: revisions through `saveRevision`, plain v1
    /// versions through `save`.
    static func saveRevisionOrVersion(_ db: Database, _ v: StoredVersion) throws {
        if v.row.branch != nil { try saveRevision(db, v) } else { try save(db, v) }
    }
}
