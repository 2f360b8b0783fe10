import Foundation
import GRDB
import AtomsModels

/// SQLite persistence through GRDB. Documents are JSON text columns; a few plain columns serve
/// lookups and ordering. Every store operation runs in one `write` transaction, so a killed process
/// leaves either all or nothing of an operation on disk.
struct SimulatorDatabase: Sendable {
    let queue: DatabaseQueue

    /// Opens (and migrates) the database at `path`, or an in-memory one when `path` is nil.
    init(path: String?) throws {
        if let path {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            queue = try DatabaseQueue(path: path)
        } else {
            queue = try DatabaseQueue()
        }
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE agents (
                    id TEXT PRIMARY KEY NOT NULL,
                    createdAt TEXT NOT NULL,
                    doc TEXT NOT NULL
                );
                CREATE TABLE versions (
                    id TEXT PRIMARY KEY NOT NULL,
                    agentId TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    draftId TEXT,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    versionNumber INTEGER,
                    doc TEXT NOT NULL
                );
                CREATE INDEX versions_agent ON versions(agentId, kind);
                CREATE UNIQUE INDEX versions_draft ON versions(draftId) WHERE draftId IS NOT NULL AND kind = 'draft';
                CREATE TABLE edits (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    agentId TEXT NOT NULL,
                    draftId TEXT NOT NULL,
                    doc TEXT NOT NULL
                );
                CREATE INDEX edits_draft ON edits(agentId, draftId);
                CREATE TABLE activations (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    agentId TEXT NOT NULL,
                    doc TEXT NOT NULL
                );
                CREATE INDEX activations_agent ON activations(agentId);
                CREATE TABLE counters (
                    name TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                );
                """)
        }
        m.registerMigration("v2-branches") { db in try createBranchTables(db) }
        m.registerMigration("v3-call-profiles") { db in try createCallProfileTable(db) }
        m.registerMigration("v4-test-calls") { db in try createTestCallTable(db) }
        return m
    }

    // MARK: JSON columns

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    // MARK: Agents

    static func agent(_ db: Database, _ id: String) throws -> StoredAgent? {
        guard let text = try String.fetchOne(db, sql: "SELECT doc FROM agents WHERE id = ?", arguments: [id]) else { return nil }
        return try decode(StoredAgent.self, text)
    }

    static func allAgents(_ db: Database) throws -> [StoredAgent] {
        try String.fetchAll(db, sql: "SELECT doc FROM agents ORDER BY createdAt, id").map { try decode(StoredAgent.self, $0) }
    }

    static func agentCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agents") ?? 0
    }

    static func save(_ db: Database, _ a: StoredAgent) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO agents (id, createdAt, doc) VALUES (?, ?, ?)",
                       arguments: [a.id, a.createdAt, try encode(a)])
    }

    // MARK: Versions and drafts

    static func version(_ db: Database, _ id: String) throws -> StoredVersion? {
        guard let text = try String.fetchOne(db, sql: "SELECT doc FROM versions WHERE id = ?", arguments: [id]) else { return nil }
        return try decode(StoredVersion.self, text)
    }

    /// Published versions of an agent (newest first).
    static func publishedVersions(_ db: Database, agentId: String) throws -> [StoredVersion] {
        try String.fetchAll(db, sql: """
            SELECT doc FROM versions WHERE agentId = ? AND kind = 'published' ORDER BY versionNumber DESC
            """, arguments: [agentId]).map { try decode(StoredVersion.self, $0) }
    }

    /// One page of an agent's published versions (newest first) and how many there are, read in SQL so a
    /// page of an agent with 10,000 versions does not decode all of them.
    static func publishedVersionsPage(_ db: Database, agentId: String, limit: Int, skip: Int) throws -> (rows: [StoredVersion], total: Int) {
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM versions WHERE agentId = ? AND kind = 'published'", arguments: [agentId]) ?? 0
        let rows = try String.fetchAll(db, sql: """
            SELECT doc FROM versions WHERE agentId = ? AND kind = 'published' ORDER BY versionNumber DESC LIMIT ? OFFSET ?
            """, arguments: [agentId, limit, skip]).map { try decode(StoredVersion.self, $0) }
        return (rows, total)
    }

    /// Live (non-discarded, unpublished) drafts of an agent, oldest first.
    static func drafts(_ db: Database, agentId: String) throws -> [StoredVersion] {
        try String.fetchAll(db, sql: """
            SELECT doc FROM versions WHERE agentId = ? AND kind = 'draft' AND deleted = 0 ORDER BY rowid
            """, arguments: [agentId]).map { try decode(StoredVersion.self, $0) }
    }

    /// The draft with handle `draftId` (not discarded) of an agent.
    static func draft(_ db: Database, agentId: String, draftId: String) throws -> StoredVersion? {
        guard let text = try String.fetchOne(db, sql: """
            SELECT doc FROM versions WHERE agentId = ? AND kind = 'draft' AND draftId = ? AND deleted = 0
            """, arguments: [agentId, draftId]) else { return nil }
        return try decode(StoredVersion.self, text)
    }

    static func maxVersionNumber(_ db: Database, agentId: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(versionNumber) FROM versions WHERE agentId = ? AND kind = 'published'",
                         arguments: [agentId]) ?? 0
    }

    static func save(_ db: Database, _ v: StoredVersion) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO versions (id, agentId, kind, draftId, deleted, versionNumber, doc)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [v.row.id, v.row.agent, v.isDraft ? "draft" : "published", v.isDraft ? v.row.draftId : nil,
                             v.deleted, v.row.versionNumber, try encode(v)])
    }

    // MARK: Edit history

    static func appendEdit(_ db: Database, agentId: String, draftId: String, _ e: DraftEditHistoryEntry) throws {
        try db.execute(sql: "INSERT INTO edits (agentId, draftId, doc) VALUES (?, ?, ?)",
                       arguments: [agentId, draftId, try encode(e)])
    }

    /// Edits of a draft, newest first.
    static func edits(_ db: Database, agentId: String, draftId: String) throws -> [DraftEditHistoryEntry] {
        try String.fetchAll(db, sql: "SELECT doc FROM edits WHERE agentId = ? AND draftId = ? ORDER BY seq DESC",
                            arguments: [agentId, draftId]).map { try decode(DraftEditHistoryEntry.self, $0) }
    }

    // MARK: Activation attempts

    static func appendActivation(_ db: Database, agentId: String, _ a: ActivationAttempt) throws {
        try db.execute(sql: "INSERT INTO activations (agentId, doc) VALUES (?, ?)", arguments: [agentId, try encode(a)])
    }

    static func activations(_ db: Database, agentId: String) throws -> [ActivationAttempt] {
        try String.fetchAll(db, sql: "SELECT doc FROM activations WHERE agentId = ? ORDER BY seq", arguments: [agentId])
            .map { try decode(ActivationAttempt.self, $0) }
    }

    // MARK: Counters

    /// Increments and returns the counter `name` (1 on first use).
    static func nextCounter(_ db: Database, _ name: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO counters (name, value) VALUES (?, 1)
            ON CONFLICT(name) DO UPDATE SET value = value + 1
            """, arguments: [name])
        return try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name]) ?? 1
    }
}
