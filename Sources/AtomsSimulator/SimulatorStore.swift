import Foundation
import GRDB
import AtomsModels

/// The simulated Atoms backend: agents, v1 drafts and v1 versions with the platform's rules
/// (security checks, activation gating, config merge semantics, the quirks in DESIGN.md), stored in
/// SQLite. Time comes from an injectable `SimClock`; nothing sleeps. Every operation is one
/// database transaction. Operations throw `SimulatorError` carrying the HTTP answer.
public final class SimulatorStore: Sendable {
    let database: SimulatorDatabase
    /// The clock every rule reads.
    public let clock: any SimClock
    private let settings: Locked<SimulatorOptions>
    private let denyList: Locked<[(pattern: String, regex: NSRegularExpression)]>
    /// Seconds added to the clock while the demo's history is being written (negative: the past).
    let seedingOffset = Locked<TimeInterval>(0)
    /// The last generated call list per agent and what it was generated from (call logs are paged:
    /// the pages of one read are cut from one list instead of generating it again per page).
    let callLogMemo = Locked<[String: (key: String, at: Date, next: Date, calls: [JSONValue])]>([:])

    /// Opens the store (creating or migrating the database) and seeds the demo data when asked
    /// and the database is empty.
    public init(options: SimulatorOptions = SimulatorOptions(), clock: any SimClock = SystemClock()) throws {
        self.clock = clock
        self.settings = Locked(options)
        self.denyList = Locked(try Self.compile(options.denyPatterns))
        self.database = try SimulatorDatabase(path: options.dbPath)
        let wasEmpty = try database.queue.read { try SimulatorDatabase.agentCount($0) } == 0
        if options.seedDemo { try seedDemoIfEmpty() }
        if options.seedDemo && options.branchModel && wasEmpty { try seedBranchDemo() }
        if wasEmpty && options.scaleAgents > 0 { try populateScale(agents: options.scaleAgents, versionsPerAgent: options.scaleVersions) }
    }

    /// The options in force.
    public var options: SimulatorOptions { settings.withLock { $0 } }

    /// Changes options at run time (for example turning `freeze` or `branchModel` on in a test).
    /// Storage options (`dbPath`, `host`, `port`) are read only at start.
    public func updateOptions(_ change: (inout SimulatorOptions) -> Void) throws {
        var copy = options
        change(&copy)
        let compiled = try Self.compile(copy.denyPatterns)
        settings.withLock { $0 = copy }
        denyList.withLock { $0 = compiled }
    }

    static func compile(_ patterns: [String]) throws -> [(pattern: String, regex: NSRegularExpression)] {
        try patterns.map { p in
            do { return (p, try NSRegularExpression(pattern: p, options: [.caseInsensitive])) } catch {
                throw SimulatorConfigurationError(message: "invalid deny pattern \(p): \(error)")
            }
        }
    }

    // MARK: Transactions and gates

    /// Runs `body` in one write transaction with the current time.
    func write<T>(_ body: (Database, Date) throws -> T) throws -> T {
        let now = clock.now().addingTimeInterval(seedingOffset.withLock { $0 })
        return try database.queue.write { db in try body(db, now) }
    }

    /// Writes are refused during a maintenance freeze.
    func requireNotFrozen() throws {
        if options.freeze { throw SimulatorError.frozen }
    }

    /// The v1 write and list endpoints are refused under the branch model.
    func requireV1() throws {
        if options.branchModel { throw SimulatorError.migrationRequired }
    }

    func requireAgent(_ db: Database, _ id: String) throws -> StoredAgent {
        guard let a = try SimulatorDatabase.agent(db, id) else { throw SimulatorError.agentNotFound }
        return a
    }

    // MARK: Ids and time

    /// A new 24-hex id: the current time plus a persisted counter (deterministic for a given clock).
    func newID(_ db: Database, _ now: Date) throws -> String {
        let n = try SimulatorDatabase.nextCounter(db, "objectId")
        let counter = (UInt64(0x01) << 56) | ((options.seed & 0xFFFF) << 32) | UInt64(n)
        return ObjectID.make(seconds: Int(now.timeIntervalSince1970), counter: counter)
    }

    /// ISO 8601 with milliseconds, UTC (`2026-08-21T10:00:00.000Z`), as the API writes dates.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses a date as `iso` writes it (with or without milliseconds).
    static func parseISO(_ s: String?) -> Date? {
        guard let s else { return nil }
        return (try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(s, strategy: .iso8601))
    }

    // MARK: Security check

    /// How long the check of version `id` takes: `scanSeconds` ± a jitter derived from the id and seed.
    func checkDuration(for id: String) -> Double {
        let o = options
        var d = o.scanSeconds
        if o.scanJitter > 0 {
            var h: UInt64 = 0xcbf29ce484222325 ^ o.seed
            for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            let unit = Double(h % 10_001) / 10_000
            d += (unit * 2 - 1) * o.scanJitter
        }
        return max(0, d)
    }

    /// Why a config fails the security check (the first deny-list match), or nil.
    func denyReason(_ config: ConfigDocument) -> String? {
        let texts: [(String, String?)] = [
            ("prompt", config["singlePromptConfig"]?["prompt"]?.stringValue),
            ("globalPrompt", config["globalPrompt"]?.stringValue),
            ("firstMessage", config["firstMessage"]?.stringValue),
        ]
        let list = denyList.withLock { $0 }
        for (field, text) in texts {
            guard let text else { continue }
            let ns = text as NSString
            for (pattern, regex) in list {
                if let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) {
                    let hit = ns.substring(with: m.range)
                    let shown = hit.count > 12 ? String(hit.prefix(8)) + "…" : hit
                    return "Security check failed: \(field) matches deny pattern /\(pattern)/ (\"\(shown)\")"
                }
            }
        }
        return nil
    }

    /// Resolves a pending check whose deadline has passed. Returns true when it changed.
    func resolveCheck(_ v: inout StoredVersion, now: Date) -> Bool {
        guard var check = v.row.securityCheck, check.status == .pending, let deadline = v.checkDeadline,
              now.timeIntervalSince1970 >= deadline else { return false }
        if let reason = denyReason(v.config) {
            check.status = .failed
            check.reason = reason
        } else {
            check.status = .passed
            check.reason = nil
        }
        let done = Self.iso(Date(timeIntervalSince1970: deadline))
        check.completedAt = done
        v.row.securityCheck = check
        v.row.updatedAt = done
        return true
    }

    /// The version with its check resolved as of `now`; the resolution is persisted the first time.
    func refreshed(_ db: Database, _ v: StoredVersion, _ now: Date) throws -> StoredVersion {
        var v = v
        if resolveCheck(&v, now: now) { try SimulatorDatabase.save(db, v) }
        return v
    }

    // MARK: Inspection (tests, CLI)

    /// Every activation attempt made on an agent, oldest first.
    public func activationAttempts(agentId: String) -> [ActivationAttempt] {
        (try? database.queue.read { db in try SimulatorDatabase.activations(db, agentId: agentId) }) ?? []
    }

    /// The config document (request field names) of a draft, by its handle.
    public func draftConfig(agentId: String, draftId: String) throws -> ConfigDocument {
        try database.queue.read { db in
            guard let d = try SimulatorDatabase.draft(db, agentId: agentId, draftId: draftId) else {
                throw SimulatorError.notFound("Draft not found")
            }
            return d.config
        }
    }

    /// The config document (request field names) of a published version.
    public func versionConfig(agentId: String, versionId: String) throws -> ConfigDocument {
        try database.queue.read { db in
            guard let v = try SimulatorDatabase.version(db, versionId), v.row.agent == agentId, !v.isDraft else {
                throw SimulatorError.notFound("Version not found")
            }
            return v.config
        }
    }

    /// Ids of every agent, archived ones included, oldest first.
    public func allAgentIds() -> [String] {
        (try? database.queue.read { db in try SimulatorDatabase.allAgents(db).map(\.id) }) ?? []
    }
}
