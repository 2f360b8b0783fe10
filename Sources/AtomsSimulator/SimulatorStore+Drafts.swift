import Foundation
import GRDB
import AtomsModels

extension SimulatorStore {
    func requireDraft(_ db: Database, agentId: String, draftId: String) throws -> StoredVersion {
        guard let d = try SimulatorDatabase.draft(db, agentId: agentId, draftId: draftId) else {
            throw SimulatorError.notFound("Draft not found")
        }
        return d
    }

    static func checkDraftName(_ name: String) throws {
        if name.isEmpty { throw SimulatorError.badRequest("draftName: String must contain at least 1 character(s)") }
        if name.count > 100 { throw SimulatorError.badRequest("draftName: String must contain at most 100 character(s)") }
    }

    /// The row as the list shows it: plus `lastEditorName`.
    func listedDraft(_ db: Database, _ d: StoredVersion) throws -> AgentVersion {
        var row = d.row
        let last = try SimulatorDatabase.edits(db, agentId: d.row.agent, draftId: d.row.draftId ?? "").first
        row.lastEditorName = SimUser.name(of: last?.editorId ?? d.row.createdBy)
        return row
    }

    // MARK: POST /agent/{id}/drafts

    /// `POST /agent/{id}/drafts`: forks a draft from a published version or another draft.
    /// The answer's `draftId` is the handle later paths use (distinct from the row `_id`).
    public func createDraft(agentId: String, _ request: CreateDraftRequest) throws -> AgentVersion {
        try requireV1()
        try requireNotFrozen()
        if request.sourceVersionId == nil && request.sourceDraftId == nil {
            throw SimulatorError.badRequest("Either sourceVersionId or sourceDraftId is required")
        }
        if let s = request.sourceVersionId, !ObjectID.isValid(s) {
            throw SimulatorError.badRequest("sourceVersionId: Invalid ObjectId format")
        }
        if let n = request.draftName { try Self.checkDraftName(n) }
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            let config: ConfigDocument
            let blocks: [String: String]?
            let workflowType: String?
            let defaultName: String
            var sourceVersionId = request.sourceVersionId
            if let sd = request.sourceDraftId {
                guard let src = try SimulatorDatabase.draft(db, agentId: agentId, draftId: sd) else {
                    throw SimulatorError.notFound("Source draft not found")
                }
                config = src.config
                blocks = src.row.blocks
                workflowType = src.row.workflowType
                defaultName = "Copy of \(src.row.draftName ?? "draft")"
                if sourceVersionId == nil { sourceVersionId = src.row.sourceVersionId }
            } else {
                guard let svid = sourceVersionId, let src = try SimulatorDatabase.version(db, svid),
                      src.row.agent == agentId, !src.isDraft else {
                    throw SimulatorError.notFound("Source version not found")
                }
                config = src.config
                blocks = src.row.blocks
                workflowType = src.row.workflowType
                defaultName = "Draft from v\(src.row.versionNumber ?? 0)"
            }
            let stamp = Self.iso(now)
            var row = AgentVersion(id: try newID(db, now), agent: agentId, status: .draft)
            row.draftId = try newID(db, now)
            row.draftName = request.draftName ?? defaultName
            row.draftRevision = 1
            row.sourceVersionId = sourceVersionId
            row.sourceDraftId = request.sourceDraftId
            row.blocks = blocks
            row.workflowType = workflowType
            row.parentVersion = sourceVersionId
            row.createdBy = SimUser.caller.id
            row.createdAt = stamp
            row.updatedAt = stamp
            try SimulatorDatabase.save(db, StoredVersion(row: row, config: config, deleted: false, checkDeadline: nil))
            return row
        }
    }

    // MARK: GET /agent/{id}/drafts

    /// `GET /agent/{id}/drafts`: the live drafts (bare array), newest first, with `lastEditorName`.
    public func drafts(agentId: String) throws -> [AgentVersion] {
        try requireV1()
        return try write { db, _ in
            _ = try requireAgent(db, agentId)
            return try SimulatorDatabase.drafts(db, agentId: agentId).reversed().map { try listedDraft(db, $0) }
        }
    }

    // MARK: GET /agent/{id}/drafts/{draftId}

    /// `GET /agent/{id}/drafts/{draftId}`: latest row, edit history newest first (at most `limit`),
    /// and the total edit count.
    public func draft(agentId: String, draftId: String, limit: Int? = nil) throws -> DraftDetail {
        if let limit, !(1...100).contains(limit) {
            throw SimulatorError.badRequest("limit: Number must be between 1 and 100")
        }
        return try write { db, _ in
            _ = try requireAgent(db, agentId)
            let d = try requireDraft(db, agentId: agentId, draftId: draftId)
            let history = try SimulatorDatabase.edits(db, agentId: agentId, draftId: draftId)
            return DraftDetail(latest: d.row, editHistory: Array(history.prefix(limit ?? 20)), editCount: history.count)
        }
    }

    // MARK: PATCH /agent/{id}/drafts/{draftId}

    /// `PATCH /agent/{id}/drafts/{draftId}`: renames a draft.
    public func renameDraft(agentId: String, draftId: String, _ request: RenameDraftRequest) throws -> RenameDraftResult {
        try requireV1()
        try requireNotFrozen()
        try Self.checkDraftName(request.draftName)
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            var d = try requireDraft(db, agentId: agentId, draftId: draftId)
            d.row.draftName = request.draftName
            d.row.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, d)
            return RenameDraftResult(draftName: request.draftName)
        }
    }

    // MARK: DELETE /agent/{id}/drafts/{draftId}

    /// `DELETE /agent/{id}/drafts/{draftId}`: discards (soft-deletes) a draft.
    public func discardDraft(agentId: String, draftId: String) throws {
        try requireV1()
        try requireNotFrozen()
        try write { db, now in
            _ = try requireAgent(db, agentId)
            var d = try requireDraft(db, agentId: agentId, draftId: draftId)
            d.deleted = true
            d.row.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, d)
        }
    }

    // MARK: PATCH /agent/{id}/drafts/{draftId}/config

    /// `PATCH /agent/{id}/drafts/{draftId}/config`: validates the `DraftConfigRequest`, deep-merges it
    /// (objects merge, arrays replace), bumps `draftRevision`, rotates the block ids of the touched
    /// sections and records an edit. Answers the row — never the sent fields.
    public func updateDraftConfig(agentId: String, draftId: String, _ patch: ConfigDocument) throws -> AgentVersion {
        try requireV1()
        try requireNotFrozen()
        var clean = patch
        clean.removeValue(forKey: "name")
        clean.removeValue(forKey: "telephonyProductId")
        let unknown = clean.keys.filter { ConfigValidator.fields[$0] == nil }.sorted()
        if !unknown.isEmpty {
            throw SimulatorError.badRequest("Unrecognized key(s) in object: \(unknown.map { "'\($0)'" }.joined(separator: ", "))")
        }
        if clean.isEmpty { throw SimulatorError.badRequest("No recognized config fields") }
        let errors = ConfigValidator.validateConfigFields(clean)
        guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            var d = try requireDraft(db, agentId: agentId, draftId: draftId)
            let merged = JSONValue.object(d.config).merging(.object(clean)).objectValue ?? d.config
            let ruleErrors = ConfigValidator.validateLanguageRules(merged)
            guard ruleErrors.isEmpty else { throw SimulatorError(status: 400, errors: ruleErrors) }
            let touched = ConfigMapping.sections(touchedBy: clean)
            var blocks = d.row.blocks ?? [:]
            for s in touched { blocks[s] = try newID(db, now) }
            let revision = (d.row.draftRevision ?? 1) + 1
            d.config = merged
            d.row.blocks = blocks
            d.row.draftRevision = revision
            d.row.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, d)
            try SimulatorDatabase.appendEdit(db, agentId: agentId, draftId: draftId, DraftEditHistoryEntry(
                revision: revision, changedSections: touched, editorName: SimUser.caller.name,
                editorId: SimUser.caller.id, timestamp: Self.iso(now)))
            return d.row
        }
    }

    // MARK: GET /agent/{id}/drafts/{draftId}/diff

    /// `GET /agent/{id}/drafts/{draftId}/diff`: the draft against `compareTo` (default: its source
    /// version), section by section.
    public func draftDiff(agentId: String, draftId: String, compareTo: String? = nil) throws -> DraftDiff {
        if let c = compareTo, !ObjectID.isValid(c) { throw SimulatorError.badRequest("Invalid compareTo format") }
        return try write { db, _ in
            _ = try requireAgent(db, agentId)
            let d = try requireDraft(db, agentId: agentId, draftId: draftId)
            var before: [String: JSONValue] = [:]
            if let target = compareTo ?? d.row.sourceVersionId {
                guard let v = try SimulatorDatabase.version(db, target), v.row.agent == agentId, !v.isDraft else {
                    throw SimulatorError.notFound("Version not found")
                }
                before = ConfigMapping.sectioned(fromRequestDocument: v.config)
            }
            let after = ConfigMapping.sectioned(fromRequestDocument: d.config)
            var sections: [String: DraftDiffSection] = [:]
            for s in ConfigMapping.sections where before[s] != nil || after[s] != nil {
                sections[s] = DraftDiffSection(before: before[s], after: after[s], changed: before[s] != after[s])
            }
            return DraftDiff(sections: sections, hasChanges: sections.values.contains { $0.changed })
        }
    }

    // MARK: POST /agent/{id}/drafts/{draftId}/publish

    /// `POST /agent/{id}/drafts/{draftId}/publish`: a new published version (`versionNumber` = max + 1),
    /// always inactive (`activate` is ignored), with a pending security check; the draft is removed.
    public func publishDraft(agentId: String, draftId: String, _ request: PublishDraftRequest = PublishDraftRequest()) throws -> AgentVersion {
        try requireV1()
        try requireNotFrozen()
        try Self.checkMeta(label: request.label, description: request.description)
        return try write { db, now in
            _ = try requireAgent(db, agentId)
            var d = try requireDraft(db, agentId: agentId, draftId: draftId)
            let stamp = Self.iso(now)
            let number = try SimulatorDatabase.maxVersionNumber(db, agentId: agentId) + 1
            let id = try newID(db, now)
            var row = AgentVersion(id: id, agent: agentId, status: .published, versionNumber: number,
                                   label: request.label, description: request.description, isActive: false)
            row.publishedBy = SimUser.caller.id
            row.publishedAt = stamp
            row.draftId = d.row.draftId
            row.draftName = d.row.draftName
            row.draftRevision = d.row.draftRevision
            row.sourceVersionId = d.row.sourceVersionId
            row.sourceDraftId = d.row.sourceDraftId
            row.blocks = d.row.blocks
            row.workflowType = d.row.workflowType
            row.parentVersion = d.row.sourceVersionId
            row.securityCheck = SecurityCheck(status: .pending, triggeredAt: stamp)
            row.createdBy = SimUser.caller.id
            row.createdAt = stamp
            row.updatedAt = stamp
            let deadline = now.timeIntervalSince1970 + checkDuration(for: id)
            try SimulatorDatabase.save(db, StoredVersion(row: row, config: d.config, deleted: false, checkDeadline: deadline))
            d.deleted = true
            d.row.updatedAt = stamp
            try SimulatorDatabase.save(db, d)
            return row
        }
    }

    static func checkMeta(label: String?, description: String?) throws {
        if let l = label, l.count > 200 { throw SimulatorError.badRequest("label: String must contain at most 200 character(s)") }
        if let d = description, d.count > 2000 {
            throw SimulatorError.badRequest("description: String must contain at most 2000 character(s)")
        }
    }
}
