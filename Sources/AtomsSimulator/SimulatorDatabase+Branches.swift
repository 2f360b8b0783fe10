import Foundation
import GRDB
import AtomsModels

/// v2 persistence. Branches and draft-edit states have their own tables. Revisions are rows of the
/// `versions` table (a v1 `versionId` is its revision id): migrated v1 versions keep `kind =
/// 'published'`, revisions made under the branch model have `kind = 'revision'` so the v1 lists never
/// show them. An open branch draft is a v1-style draft row (`kind = 'draft'`) with `branch` set, so the
/// kept v1 by-id reads (`GET /agent/{id}?draftId=`, `GET …/drafts/{draftId}`) resolve it.
extension SimulatorDatabase {
    /// The `v2-branches` schema migration.
    static func createBranchTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE branches (
                id TEXT PRIMARY KEY NOT NULL,
                agentId TEXT NOT NULL,
                doc TEXT NOT NULL
            );
            CREATE INDEX branches_agent ON branches(agentId);
            CREATE TABLE branch_edits (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                agentId TEXT NOT NULL,
                draftId TEXT NOT NULL,
                revision INTEGER NOT NULL,
                doc TEXT NOT NULL
            );
            CREATE INDEX branch_edits_draft ON branch_edits(draftId, revision);
            """)
    }

    // MARK: Branches

    /// Every branch of an agent (archived ones too), oldest first.
    static func branches(_ db: Database, agentId: String) throws -> [StoredBranch] {
        try String.fetchAll(db, sql: "SELECT doc FROM branches WHERE agentId = ? ORDER BY id", arguments: [agentId])
            .map { try decode(StoredBranch.self, $0) }
    }

    static func branch(_ db: Database, _ id: String) throws -> StoredBranch? {
        guard let text = try String.fetchOne(db, sql: "SELECT doc FROM branches WHERE id = ?", arguments: [id]) else { return nil }
        return try decode(StoredBranch.self, text)
    }

    static func save(_ db: Database, _ b: StoredBranch) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO branches (id, agentId, doc) VALUES (?, ?, ?)",
                       arguments: [b.branch.id, b.branch.agent, try encode(b)])
    }

    // MARK: Revisions

    /// Every revision of an agent (rows with `branch` set, not dropped), in creation order.
    static func revisions(_ db: Database, agentId: String) throws -> [StoredVersion] {
        try String.fetchAll(db, sql: """
            SELECT doc FROM versions WHERE agentId = ? AND kind IN ('published', 'revision') AND deleted = 0
              AND json_extract(doc, '$.row.branch') IS NOT NULL ORDER BY id
            """, arguments: [agentId]).map { try decode(StoredVersion.self, $0) }.filter { $0.row.branch != nil }
    }

    /// Revisions still being scanned, of one agent or of all.
    static func scanningRevisions(_ db: Database, agentId: String?) throws -> [StoredVersion] {
        let rows: [String]
        if let agentId {
            rows = try String.fetchAll(db, sql: "SELECT doc FROM versions WHERE kind = 'revision' AND deleted = 0 AND agentId = ?",
                                       arguments: [agentId])
        } else {
            rows = try String.fetchAll(db, sql: "SELECT doc FROM versions WHERE kind = 'revision' AND deleted = 0")
        }
        return try rows.map { try decode(StoredVersion.self, $0) }.filter(\.isScanning)
    }

    /// Saves a revision row. Migrated v1 versions (with a `versionNumber`) stay visible to v1 by-number
    /// reads; everything else is `kind = 'revision'`.
    static func saveRevision(_ db: Database, _ v: StoredVersion) throws {
        if v.row.versionNumber != nil && v.row.status == .published {
            try save(db, v)
            return
        }
        try db.execute(sql: """
            INSERT OR REPLACE INTO versions (id, agentId, kind, draftId, deleted, versionNumber, doc)
            VALUES (?, ?, 'revision', NULL, ?, ?, ?)
            """, arguments: [v.row.id, v.row.agent, v.deleted, v.row.versionNumber, try encode(v)])
    }

    // MARK: Draft states

    static func appendDraftEdit(_ db: Database, agentId: String, draftId: String, _ e: StoredDraftEdit) throws {
        try db.execute(sql: "INSERT INTO branch_edits (agentId, draftId, revision, doc) VALUES (?, ?, ?, ?)",
                       arguments: [agentId, draftId, e.revision, try encode(e)])
    }

    /// The states of a branch draft, newest first (revision 0, the opening state, last).
    static func draftEdits(_ db: Database, draftId: String) throws -> [StoredDraftEdit] {
        try String.fetchAll(db, sql: "SELECT doc FROM branch_edits WHERE draftId = ? ORDER BY seq DESC", arguments: [draftId])
            .map { try decode(StoredDraftEdit.self, $0) }
    }
}

extension StoredVersion {
    /// A v2 publish whose security scan has not finished (and was not cancelled).
    var isScanning: Bool {
        guard row.status == .draft, row.branch != nil, !deleted, let check = row.securityCheck else { return false }
        return check.status.isRunning && row.pendingPublish?["state"]?.stringValue == "active"
    }
}
