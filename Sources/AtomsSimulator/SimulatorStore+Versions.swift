import Foundation
import GRDB
import AtomsModels

extension SimulatorStore {
    func requireVersion(_ db: Database, agentId: String, versionId: String, _ now: Date) throws -> StoredVersion {
        guard let v = try SimulatorDatabase.version(db, versionId), v.row.agent == agentId, !v.isDraft else {
            throw SimulatorError.notFound("Version not found")
        }
        return try refreshed(db, v, now)
    }

    /// The row as the list shows it: plus `publishedByName` and `activatedByName`.
    static func listed(_ v: StoredVersion) -> AgentVersion {
        var row = v.row
        row.publishedByName = SimUser.name(of: row.publishedBy)
        row.activatedByName = SimUser.name(of: row.activatedBy)
        return row
    }

    // MARK: GET /agent/{id}/versions

    /// `GET /agent/{id}/versions`: published versions newest first; `total` counts all of them
    /// (the `isPinned` filter does not change it).
    public func versions(agentId: String, limit: Int = 20, skip: Int = 0, isPinned: Bool? = nil) throws -> VersionList {
        try requireV1()
        guard (1...100).contains(limit) else { throw SimulatorError.badRequest("limit: Number must be between 1 and 100") }
        guard skip >= 0 else { throw SimulatorError.badRequest("skip: Number must be greater than or equal to 0") }
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            guard let isPinned else {
                let (page, total) = try SimulatorDatabase.publishedVersionsPage(db, agentId: agentId, limit: limit, skip: skip)
                return VersionList(versions: try page.map { Self.listed(try refreshed(db, $0, now)) }, total: total)
            }
            let all = try SimulatorDatabase.publishedVersions(db, agentId: agentId)
            let page = all.filter { $0.row.isPinned == isPinned }.dropFirst(skip).prefix(limit)
            let out = try page.map { Self.listed(try refreshed(db, $0, now)) }
            return VersionList(versions: out, total: all.count)
        }
    }

    // MARK: GET /agent/{id}/versions/{versionId}

    /// `GET /agent/{id}/versions/{versionId}`: the version and its config keyed by section.
    public func version(agentId: String, versionId: String) throws -> VersionDetail {
        guard ObjectID.isValid(versionId) else { throw SimulatorError.badRequest("Invalid versionId format") }
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            let v = try requireVersion(db, agentId: agentId, versionId: versionId, now)
            return VersionDetail(version: v.row, resolvedConfig: ConfigMapping.sectioned(fromRequestDocument: Self.answerShape(v.config, at: now)))
        }
    }

    // MARK: GET /agent/{id}/versions/diff

    /// `GET /agent/{id}/versions/diff?versionA&versionB`: a section-grouped diff from A to B. Either id
    /// may name a draft (row `_id` or `draftId`), whose latest revision is used.
    public func versionDiff(agentId: String, versionA: String?, versionB: String?) throws -> AgentVersionDiff {
        guard let a = versionA, !a.isEmpty, let b = versionB, !b.isEmpty else {
            throw SimulatorError.badRequest("versionA and versionB are required")
        }
        guard ObjectID.isValid(a) else { throw SimulatorError.badRequest("Invalid versionA format") }
        guard ObjectID.isValid(b) else { throw SimulatorError.badRequest("Invalid versionB format") }
        return try write { db, _ in
            _ = try requireAgent(db, agentId)
            func config(_ id: String) throws -> ConfigDocument {
                if let v = try SimulatorDatabase.version(db, id), v.row.agent == agentId, !v.deleted || !v.isDraft {
                    return v.config
                }
                if let d = try SimulatorDatabase.draft(db, agentId: agentId, draftId: id) { return d.config }
                throw SimulatorError.notFound("Agent or version not found")
            }
            return ConfigMapping.diff(from: try config(a), to: try config(b))
        }
    }

    // MARK: PATCH /agent/{id}/versions/{versionId}

    /// `PATCH /agent/{id}/versions/{versionId}`: label, description, pin. The config is immutable.
    public func updateVersion(agentId: String, versionId: String, _ request: UpdateVersionMetaRequest,
                              clear: Set<String> = []) throws -> AgentVersion {
        try requireV1()
        try requireNotFrozen()
        guard ObjectID.isValid(versionId) else { throw SimulatorError.badRequest("Invalid versionId format") }
        if request.label == nil && request.description == nil && request.isPinned == nil && clear.isEmpty {
            throw SimulatorError.badRequest("At least one of label, description, or isPinned must be provided")
        }
        try Self.checkMeta(label: request.label, description: request.description)
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            var v = try requireVersion(db, agentId: agentId, versionId: versionId, now)
            if let l = request.label { v.row.label = l }
            if let d = request.description { v.row.description = d }
            if clear.contains("label") { v.row.label = nil }
            if clear.contains("description") { v.row.description = nil }
            if let p = request.isPinned { v.row.isPinned = p }
            v.row.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, v)
            return v.row
        }
    }

    // MARK: PATCH /agent/{id}/versions/{versionId}/activate

    /// `PATCH /agent/{id}/versions/{versionId}/activate`: makes a version live once its security check
    /// has passed (pending → 400 "Security check pending for this version"; failed → 400 with the
    /// reason). The previous active version is deactivated. Idempotent. Every attempt is recorded.
    public func activateVersion(agentId: String, versionId: String) throws -> AgentVersion {
        try requireV1()
        try requireNotFrozen()
        let result: Result<AgentVersion, SimulatorError> = try write { db, now in
            func attempt(_ status: SecurityCheckStatus?, _ ok: Bool) throws {
                try SimulatorDatabase.appendActivation(db, agentId: agentId, ActivationAttempt(
                    versionId: versionId, at: now, checkStatusAtThatMoment: status, succeeded: ok))
            }
            guard ObjectID.isValid(versionId) else {
                try attempt(nil, false)
                return .failure(.badRequest("Invalid versionId format"))
            }
            guard var agent = try SimulatorDatabase.agent(db, agentId) else {
                try attempt(nil, false)
                return .failure(.agentNotFound)
            }
            guard let found = try SimulatorDatabase.version(db, versionId), found.row.agent == agentId, !found.isDraft else {
                try attempt(nil, false)
                return .failure(.notFound("Version not found"))
            }
            var v = try refreshed(db, found, now)
            let status = v.row.securityCheck?.status
            switch status {
            case .passed?, nil:
                break
            case .failed?, .errored?:
                try attempt(status, false)
                return .failure(.badRequest(v.row.securityCheck?.reason ?? "Security check failed for this version"))
            default:
                try attempt(status, false)
                return .failure(.badRequest("Security check pending for this version"))
            }
            if v.row.isActive && agent.activeVersionId == versionId {
                try attempt(status, true)
                return .success(v.row)
            }
            let stamp = Self.iso(now)
            for var other in try SimulatorDatabase.publishedVersions(db, agentId: agentId) where other.row.isActive && other.row.id != versionId {
                other.row.isActive = false
                other.row.updatedAt = stamp
                try SimulatorDatabase.save(db, other)
            }
            v.row.isActive = true
            v.row.activatedBy = SimUser.caller.id
            v.row.activatedAt = stamp
            v.row.updatedAt = stamp
            try SimulatorDatabase.save(db, v)
            agent.activeVersionId = versionId
            agent.updatedAt = stamp
            try SimulatorDatabase.save(db, agent)
            try attempt(status, true)
            return .success(v.row)
        }
        return try result.get()
    }
}
