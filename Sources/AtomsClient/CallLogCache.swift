import Foundation
import GRDB

/// The local copy of the call logs read so far (SQLite, `$XDG_CACHE_HOME/atoms-tui/call-logs.sqlite`,
/// mode 0600 in a 0700 directory), so that a refresh fetches only what is new.
///
/// Calls are kept per scope (the API base URL and a hash of the key — two accounts, or two simulators,
/// never mix) and agent. Per agent it remembers how far back the copy is complete (`coveredFrom`):
/// everything from that time to the newest cached call is held without a gap.
public final class CallLogCache: Sendable {
    let queue: DatabaseQueue
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
            var config = Configuration()
            config.busyMode = .timeout(5)
            // A small page cache (512 KiB instead of SQLite's 2 MiB): reads are by agent and time, and the
            // TUI's memory stays small while browsing many agents (BENCHMARKS.md, RSS).
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -512") }
            do {
                queue = try DatabaseQueue(path: url.path, configuration: config)
            } catch {
                throw AtomsError(kind: .invalidInput, serverErrors: ["cannot open the call-log cache \"\(url.path)\": \(error)"])
            }
            path = url.path
        } else {
            queue = try DatabaseQueue()
            path = nil
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-calls") { db in
            try db.execute(sql: """
                CREATE TABLE calls (
                    scope TEXT NOT NULL, agentId TEXT NOT NULL, callId TEXT NOT NULL, time REAL NOT NULL,
                    versionId TEXT, versionNumber INTEGER, failed INTEGER NOT NULL, failureReason TEXT,
                    disconnectionReason TEXT, cost REAL, latency REAL, isTest INTEGER NOT NULL, dispositions TEXT,
                    PRIMARY KEY (scope, agentId, callId)
                ) WITHOUT ROWID;
                CREATE INDEX calls_time ON calls(scope, agentId, time);
                CREATE TABLE coverage (
                    scope TEXT NOT NULL, agentId TEXT NOT NULL, coveredFrom REAL NOT NULL, fetchedAt REAL NOT NULL,
                    PRIMARY KEY (scope, agentId)
                ) WITHOUT ROWID;
                """)
        }
        try migrator.migrate(queue)
    }

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
        try queue.read { db in
            try Double.fetchOne(db, sql: "SELECT coveredFrom FROM coverage WHERE scope = ? AND agentId = ?", arguments: [scope, agentId])
        }
    }

    /// The ids of the cached calls of an agent at or after `since`.
    public func callIds(scope: String, agentId: String, since: Double = 0) throws -> Set<String> {
        try queue.read { db in
            Set(try String.fetchAll(db, sql: "SELECT callId FROM calls WHERE scope = ? AND agentId = ? AND time >= ?",
                                    arguments: [scope, agentId, since]))
        }
    }

    /// How many calls of an agent are cached at or after `since`.
    public func count(scope: String, agentId: String, since: Double = 0) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE scope = ? AND agentId = ? AND time >= ?",
                             arguments: [scope, agentId, since]) ?? 0
        }
    }

    /// Stores calls and the new coverage in one transaction; cached calls older than `coveredFrom` are
    /// dropped (they would sit behind a gap).
    public func store(_ records: [CallRecord], scope: String, agentId: String, coveredFrom: Double, fetchedAt: Double) throws {
        try queue.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO calls (scope, agentId, callId, time, versionId, versionNumber, failed, failureReason,
                    disconnectionReason, cost, latency, isTest, dispositions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            for r in records {
                try insert.execute(arguments: [scope, agentId, r.callId, r.time, r.versionId, r.versionNumber, r.failed,
                                               r.failureReason, r.disconnectionReason, r.cost, r.latency, r.isTest,
                                               Self.encode(r.dispositions)])
            }
            try db.execute(sql: "DELETE FROM calls WHERE scope = ? AND agentId = ? AND time < ?", arguments: [scope, agentId, coveredFrom])
            try db.execute(sql: "INSERT OR REPLACE INTO coverage (scope, agentId, coveredFrom, fetchedAt) VALUES (?,?,?,?)",
                           arguments: [scope, agentId, coveredFrom, fetchedAt])
        }
    }

    /// The cached calls of an agent at or after `since`, newest first, at most `limit`.
    public func records(scope: String, agentId: String, since: Double = 0, limit: Int = Int.max) throws -> [CallRecord] {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT callId, time, versionId, versionNumber, failed, failureReason, disconnectionReason, cost, latency,
                    isTest, dispositions FROM calls WHERE scope = ? AND agentId = ? AND time >= ? ORDER BY time DESC, callId DESC LIMIT ?
                """, arguments: [scope, agentId, since, Int64(min(limit, Int(Int64.max)))])
            var out: [CallRecord] = []
            var versions: [String: String] = [:]  // one String per version id, shared by its calls
            while let row = try rows.next() {
                let vid: String? = (row[2] as String?).map { v in
                    if let s = versions[v] { return s }
                    versions[v] = v
                    return v
                }
                out.append(CallRecord(callId: row[0], time: row[1], versionId: vid, versionNumber: row[3], failed: row[4],
                                      failureReason: row[5], disconnectionReason: row[6], cost: row[7], latency: row[8],
                                      isTest: row[9], dispositions: Self.decode(row[10])))
            }
            return out
        }
    }

    /// Forgets an agent's calls.
    public func clear(scope: String, agentId: String) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM calls WHERE scope = ? AND agentId = ?", arguments: [scope, agentId])
            try db.execute(sql: "DELETE FROM coverage WHERE scope = ? AND agentId = ?", arguments: [scope, agentId])
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
}
