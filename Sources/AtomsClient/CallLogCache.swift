import Foundation
import CSQLite

/// The local copy of the call logs read so far (SQLite, `$XDG_CACHE_HOME/atoms-tui/call-logs.sqlite`,
/// mode 0600 in a 0700 directory), so that a refresh fetches only what is new.
///
/// Calls are kept per scope (the API base URL and a hash of the key — two accounts, or two simulators,
/// never mix) and agent. Per agent it remembers how far back the copy is complete (`coveredFrom`):
/// everything from that time to the newest cached call is held without a gap.
///
/// It speaks to the system SQLite through its C API (one connection, calls serialized by a lock): the few
/// statements below did not need a database toolkit, and not loading one keeps the TUI small.
public final class CallLogCache: @unchecked Sendable {
    private let db: OpaquePointer
    private let lock = NSLock()
    /// The file, or nil in memory.
    public let path: String?

    /// The default file: `call-logs.sqlite` in the XDG cache directory.
    public static func defaultURL(_ paths: AppPaths = AppPaths()) -> URL {
        paths.cache.appendingPathComponent("call-logs.sqlite")
    }

    /// Opens (creating it 0600 when missing) the cache at `url`, or an in-memory one for nil.
    public init(url: URL?) throws {
        if let url {
            let folder = url.deletingLastPathComponent()
            do { try AppPaths.ensurePrivateDirectory(folder) } catch {
                throw AtomsError(kind: .invalidInput, serverErrors: ["cannot create the cache directory \"\(folder.path)\": \(Self.reason(error))"])
            }
            let fd = open(url.path, O_RDWR | O_CREAT, 0o600)
            guard fd >= 0 else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["cannot open the call-log cache \"\(url.path)\": \(String(cString: strerror(errno)))"])
            }
            fchmod(fd, 0o600)
            close(fd)
        }
        let where_ = url?.path ?? ":memory:"
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(where_, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            let why = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw AtomsError(kind: .invalidInput, serverErrors: ["cannot open the call-log cache \"\(where_)\": \(why)"])
        }
        db = handle
        path = url?.path
        sqlite3_busy_timeout(db, 5000)
        do {
            // A small page cache (512 KiB instead of SQLite's 2 MiB): reads are by agent and time, and the
            // TUI's memory stays small while browsing many agents (BENCHMARKS.md, RSS).
            try exec("PRAGMA cache_size = -512")
            try exec("""
                CREATE TABLE IF NOT EXISTS calls (
                    scope TEXT NOT NULL, agentId TEXT NOT NULL, callId TEXT NOT NULL, time REAL NOT NULL,
                    versionId TEXT, versionNumber INTEGER, failed INTEGER NOT NULL, failureReason TEXT,
                    disconnectionReason TEXT, cost REAL, latency REAL, isTest INTEGER NOT NULL, dispositions TEXT,
                    PRIMARY KEY (scope, agentId, callId)
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS calls_time ON calls(scope, agentId, time);
                CREATE TABLE IF NOT EXISTS coverage (
                    scope TEXT NOT NULL, agentId TEXT NOT NULL, coveredFrom REAL NOT NULL, fetchedAt REAL NOT NULL,
                    PRIMARY KEY (scope, agentId)
                ) WITHOUT ROWID;
                """)
        } catch {
            sqlite3_close_v2(db)
            throw AtomsError(kind: .invalidInput, serverErrors: ["cannot use the call-log cache \"\(where_)\": \(error)"])
        }
    }

    deinit { sqlite3_close_v2(db) }

    /// The POSIX reason of a file error ("Not a directory"), else its description.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        let posix = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? $0 : nil }
            ?? (ns.domain == NSPOSIXErrorDomain ? ns : nil)
        if let posix { return String(cString: strerror(Int32(posix.code))) }
        return "\(error)"
    }

    /// The scope of a client: the account fingerprint the other per-account files use (base URL and a
    /// hash of the key; the key itself is never stored).
    public static func scope(_ client: AtomsClient) -> String {
        APIGenerationDetector.accountKey(client)
    }

    /// How far back the copy of an agent's calls is complete (seconds since 1970), nil when nothing is cached.
    public func coveredFrom(scope: String, agentId: String) throws -> Double? {
        try serialized {
            var out: Double?
            try query("SELECT coveredFrom FROM coverage WHERE scope = ? AND agentId = ?", [.text(scope), .text(agentId)]) { row in
                out = row.real(0)
            }
            return out
        }
    }

    /// The ids of the cached calls of an agent at or after `since`.
    public func callIds(scope: String, agentId: String, since: Double = 0) throws -> Set<String> {
        try serialized {
            var out = Set<String>()
            try query("SELECT callId FROM calls WHERE scope = ? AND agentId = ? AND time >= ?",
                      [.text(scope), .text(agentId), .real(since)]) { row in
                if let id = row.text(0) { out.insert(id) }
            }
            return out
        }
    }

    /// How many calls of an agent are cached at or after `since`.
    public func count(scope: String, agentId: String, since: Double = 0) throws -> Int {
        try serialized {
            var out = 0
            try query("SELECT COUNT(*) FROM calls WHERE scope = ? AND agentId = ? AND time >= ?",
                      [.text(scope), .text(agentId), .real(since)]) { row in
                out = Int(row.int(0) ?? 0)
            }
            return out
        }
    }

    /// Stores calls and the new coverage in one transaction; cached calls older than `coveredFrom` are
    /// dropped (they would sit behind a gap).
    public func store(_ records: [CallRecord], scope: String, agentId: String, coveredFrom: Double, fetchedAt: Double) throws {
        try serialized {
            try transaction {
                let insert = try Statement(db, """
                    INSERT OR REPLACE INTO calls (scope, agentId, callId, time, versionId, versionNumber, failed, failureReason,
                        disconnectionReason, cost, latency, isTest, dispositions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """)
                for r in records {
                    try insert.run([.text(scope), .text(agentId), .text(r.callId), .real(r.time), .text(r.versionId),
                                    .int(r.versionNumber.map(Int64.init)), .int(r.failed ? 1 : 0), .text(r.failureReason),
                                    .text(r.disconnectionReason), .real(r.cost), .real(r.latency), .int(r.isTest ? 1 : 0),
                                    .text(Self.encode(r.dispositions))]) { _ in }
                }
                try query("DELETE FROM calls WHERE scope = ? AND agentId = ? AND time < ?",
                          [.text(scope), .text(agentId), .real(coveredFrom)]) { _ in }
                try query("INSERT OR REPLACE INTO coverage (scope, agentId, coveredFrom, fetchedAt) VALUES (?,?,?,?)",
                          [.text(scope), .text(agentId), .real(coveredFrom), .real(fetchedAt)]) { _ in }
            }
        }
    }

    /// The cached calls of an agent at or after `since`, newest first, at most `limit`.
    public func records(scope: String, agentId: String, since: Double = 0, limit: Int = Int.max) throws -> [CallRecord] {
        try serialized {
            var out: [CallRecord] = []
            var versions: [String: String] = [:]  // one String per version id, shared by its calls
            try query("""
                SELECT callId, time, versionId, versionNumber, failed, failureReason, disconnectionReason, cost, latency,
                    isTest, dispositions FROM calls WHERE scope = ? AND agentId = ? AND time >= ? ORDER BY time DESC, callId DESC LIMIT ?
                """, [.text(scope), .text(agentId), .real(since), .int(Int64(min(limit, Int(Int64.max))))]) { row in
                let vid: String? = row.text(2).map { v in
                    if let s = versions[v] { return s }
                    versions[v] = v
                    return v
                }
                out.append(CallRecord(callId: row.text(0) ?? "", time: row.real(1) ?? 0, versionId: vid,
                                      versionNumber: row.int(3).map(Int.init), failed: (row.int(4) ?? 0) != 0,
                                      failureReason: row.text(5), disconnectionReason: row.text(6), cost: row.real(7),
                                      latency: row.real(8), isTest: (row.int(9) ?? 0) != 0, dispositions: Self.decode(row.text(10))))
            }
            return out
        }
    }

    /// Forgets an agent's calls.
    public func clear(scope: String, agentId: String) throws {
        try serialized {
            try transaction {
                try query("DELETE FROM calls WHERE scope = ? AND agentId = ?", [.text(scope), .text(agentId)]) { _ in }
                try query("DELETE FROM coverage WHERE scope = ? AND agentId = ?", [.text(scope), .text(agentId)]) { _ in }
            }
        }
    }

    // Dispositions as `key US value RS key US value` (compact; no JSON parse per row).
    static func encode(_ d: [String: String]) -> String? {
        d.isEmpty ? nil : d.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    static func decode(_ s: String?) -> [String: String] {
        guard let s, !s.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for pair in s.split(separator: "\u{1E}", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
        }
        return out
    }

    // MARK: - SQLite

    /// One value bound to a statement's parameter (nil binds NULL).
    enum Value {
        case text(String?), real(Double?), int(Int64?)
    }

    /// What SQLite said, with the statement it said it about.
    struct SQLiteError: Error, CustomStringConvertible {
        let description: String
    }

    /// One row of a result, read by column index.
    struct Row {
        let stmt: OpaquePointer
        func isNull(_ i: Int32) -> Bool { sqlite3_column_type(stmt, i) == SQLITE_NULL }
        func text(_ i: Int32) -> String? {
            guard !isNull(i), let p = sqlite3_column_text(stmt, i) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, i))), as: UTF8.self)
        }
        func real(_ i: Int32) -> Double? { isNull(i) ? nil : sqlite3_column_double(stmt, i) }
        func int(_ i: Int32) -> Int64? { isNull(i) ? nil : sqlite3_column_int64(stmt, i) }
    }

    /// A prepared statement, finalized when released.
    final class Statement {
        let stmt: OpaquePointer
        let db: OpaquePointer

        init(_ db: OpaquePointer, _ sql: String) throws {
            var s: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, let s else {
                throw SQLiteError(description: String(cString: sqlite3_errmsg(db)))
            }
            self.stmt = s
            self.db = db
        }

        deinit { sqlite3_finalize(stmt) }

        /// Binds `values`, steps through every row, then resets the statement for the next run.
        func run(_ values: [Value], _ each: (Row) throws -> Void) throws {
            defer {
                sqlite3_reset(stmt)
                sqlite3_clear_bindings(stmt)
            }
            for (i, v) in values.enumerated() {
                let at = Int32(i + 1)
                let rc: Int32
                switch v {
                case .text(let s?): rc = sqlite3_bind_text(stmt, at, s, -1, csqlite_transient())
                case .real(let d?): rc = sqlite3_bind_double(stmt, at, d)
                case .int(let n?): rc = sqlite3_bind_int64(stmt, at, n)
                case .text(nil), .real(nil), .int(nil): rc = sqlite3_bind_null(stmt, at)
                }
                guard rc == SQLITE_OK else { throw SQLiteError(description: String(cString: sqlite3_errmsg(db))) }
            }
            while true {
                switch sqlite3_step(stmt) {
                case SQLITE_ROW: try each(Row(stmt: stmt))
                case SQLITE_DONE: return
                default: throw SQLiteError(description: String(cString: sqlite3_errmsg(db)))
                }
            }
        }
    }

    /// Runs `body` alone on the connection.
    private func serialized<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs statements without results (several, separated by semicolons).
    private func exec(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let why = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(message)
            throw SQLiteError(description: why)
        }
    }

    /// One statement, run once.
    private func query(_ sql: String, _ values: [Value], _ each: (Row) throws -> Void) throws {
        try Statement(db, sql).run(values, each)
    }

    /// `body` in one write transaction, rolled back when it throws.
    private func transaction(_ body: () throws -> Void) throws {
        try exec("BEGIN IMMEDIATE")
        do {
            try body()
            try exec("COMMIT")
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }
}
