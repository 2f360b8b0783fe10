import Foundation

/// The local copy of the call logs read so far, so that a refresh fetches only what is new:
/// `$XDG_CACHE_HOME/atoms-tui/call-logs/` (a 0700 directory), one 0600 file per account and agent.
///
/// Calls are kept per scope (the API base URL and a hash of the key — two accounts, or two simulators,
/// never mix) and agent. Per agent it remembers how far back the copy is complete (`coveredFrom`):
/// everything from that time to the newest cached call is held without a gap.
///
/// An agent's file is plain text — a header line, the scope and agent with the coverage, then one line
/// per call, newest first, fields separated by tabs (`\N` for a missing value; `\\`, `\t`, `\n`, `\r`
/// escaped) — and is replaced whole: written beside itself, then renamed over, so a reader sees the old
/// copy or the new one, never half of one. Writers (other processes too: the CLI's `stats` beside the TUI)
/// take turns through an `flock` on `.lock` in the directory. A file that does not read as a cache is
/// treated as empty and rewritten by the next store: the calls are fetched again, nothing else is lost.
/// (It was SQLite until round 6; the library's code was 1 MiB of the TUI's resident memory for what is a
/// sorted list per agent — docs/decisions.md.)
public final class CallLogCache: @unchecked Sendable {
    private let lock = NSLock()
    /// The directory, or nil in memory.
    public let path: String?
    private let directory: URL?
    private var memory: [String: Entry] = [:]

    /// One agent's copy: how far back it is complete, when it was fetched, the calls newest first.
    struct Entry: Equatable {
        var coveredFrom: Double
        var fetchedAt: Double
        var records: [CallRecord]
    }

    /// The default directory: `call-logs` in the XDG cache directory.
    public static func defaultURL(_ paths: AppPaths = AppPaths()) -> URL {
        paths.cache.appendingPathComponent("call-logs")
    }

    /// Opens the default cache. The SQLite file earlier versions kept beside it (`call-logs.sqlite`, a
    /// copy of what the server holds) is removed: nothing reads it any more.
    public static func openDefault(_ paths: AppPaths = AppPaths()) throws -> CallLogCache {
        try? FileManager.default.removeItem(at: paths.cache.appendingPathComponent("call-logs.sqlite"))
        return try CallLogCache(url: defaultURL(paths))
    }

    /// Opens (creating it 0700 when missing) the cache directory at `url`, or an in-memory cache for nil.
    public init(url: URL?) throws {
        guard let url else {
            path = nil
            directory = nil
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw AtomsError(kind: .invalidInput, serverErrors: [
                "cannot open the call-log cache \"\(url.path)\": it is a file, and the cache is a directory; move the file away (or set XDG_CACHE_HOME)"])
        }
        do { try AppPaths.ensurePrivateDirectory(url) } catch {
            throw AtomsError(kind: .invalidInput, serverErrors: ["cannot create the call-log cache \"\(url.path)\": \(Self.reason(error))"])
        }
        guard access(url.path, W_OK | X_OK) == 0 else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["cannot use the call-log cache \"\(url.path)\": \(String(cString: strerror(errno)))"])
        }
        chmod(url.path, 0o700)
        path = url.path
        directory = url
    }

    /// The POSIX reason of a file error ("Not a directory"), else its description.
    /// A failure to change the cache directory, saying what to do about it.
    private func storageFailure(_ what: String, _ why: String) -> AtomsError {
        AtomsError(kind: .invalidInput, serverErrors: [
            "\(what): \(why) — free space or fix the permissions of \"\(path ?? "")\", or remove that directory (the cache only spares fetching the calls again)"])
    }

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
        try serialized { try load(scope: scope, agentId: agentId, since: .infinity, limit: 0)?.coveredFrom }
    }

    /// The ids of the cached calls of an agent at or after `since`.
    public func callIds(scope: String, agentId: String, since: Double = 0) throws -> Set<String> {
        try serialized { Set(try load(scope: scope, agentId: agentId, since: since)?.records.map(\.callId) ?? []) }
    }

    /// How many calls of an agent are cached at or after `since`.
    public func count(scope: String, agentId: String, since: Double = 0) throws -> Int {
        try serialized { try load(scope: scope, agentId: agentId, since: since)?.records.count ?? 0 }
    }

    /// Stores calls (replacing cached ones with the same id) and the new coverage at once; cached calls
    /// older than `coveredFrom` are dropped (they would sit behind a gap).
    public func store(_ records: [CallRecord], scope: String, agentId: String, coveredFrom: Double, fetchedAt: Double) throws {
        try serialized {
            try exclusive {
                var byId: [String: CallRecord] = [:]
                for r in try load(scope: scope, agentId: agentId, since: coveredFrom)?.records ?? [] { byId[r.callId] = r }
                for r in records { byId[r.callId] = r }
                let kept = byId.values.filter { $0.time >= coveredFrom }.sorted(by: Self.newestFirst)
                try save(Entry(coveredFrom: coveredFrom, fetchedAt: fetchedAt, records: kept), scope: scope, agentId: agentId)
            }
        }
    }

    /// The cached calls of an agent at or after `since`, newest first, at most `limit`.
    public func records(scope: String, agentId: String, since: Double = 0, limit: Int = Int.max) throws -> [CallRecord] {
        try serialized { try load(scope: scope, agentId: agentId, since: since, limit: limit)?.records ?? [] }
    }

    /// Forgets an agent's calls.
    public func clear(scope: String, agentId: String) throws {
        try serialized {
            try exclusive {
                guard let directory else {
                    memory[Self.key(scope, agentId)] = nil
                    return
                }
                let file = directory.appendingPathComponent(Self.fileName(scope, agentId))
                if unlink(file.path) != 0, errno != ENOENT {
                    throw storageFailure("cannot remove \"\(file.path)\"", String(cString: strerror(errno)))
                }
            }
        }
    }

    /// Newest first; calls at the same time by id (byte order), the later id first.
    static func newestFirst(_ a: CallRecord, _ b: CallRecord) -> Bool {
        a.time != b.time ? a.time > b.time : b.callId.utf8.lexicographicallyPrecedes(a.callId.utf8)
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

    // MARK: - Storage

    private static func key(_ scope: String, _ agentId: String) -> String { scope + "\u{0}" + agentId }

    /// The agent's file: a hash of scope and agent (ids and URLs are not file names).
    static func fileName(_ scope: String, _ agentId: String) -> String {
        String(SHA256Digest.hex(Array(key(scope, agentId).utf8)).prefix(40)) + ".calls"
    }

    /// Runs `body` alone in this process.
    private func serialized<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` holding the directory's write lock (other processes wait for it).
    private func exclusive(_ body: () throws -> Void) throws {
        guard let directory else { return try body() }
        let lockPath = directory.appendingPathComponent(".lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw storageFailure("cannot lock the call-log cache \"\(lockPath)\"", String(cString: strerror(errno)))
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw storageFailure("cannot lock the call-log cache \"\(lockPath)\"", String(cString: strerror(errno)))
            }
        }
        defer { flock(fd, LOCK_UN) }
        try body()
    }

    /// The agent's copy with its calls at or after `since` (at most `limit`), nil when nothing is cached
    /// (or the file does not read as a cache of this agent).
    private func load(scope: String, agentId: String, since: Double, limit: Int = .max) throws -> Entry? {
        guard let directory else {
            guard var entry = memory[Self.key(scope, agentId)] else { return nil }
            let end = entry.records.firstIndex { $0.time < since } ?? entry.records.count
            entry.records = Array(entry.records[..<min(end, max(0, limit))])
            return entry
        }
        let file = directory.appendingPathComponent(Self.fileName(scope, agentId))
        // Mapped, not read into the heap: files are replaced by rename, never changed in place, so the mapping
        // stays the copy it was; and a large one leaves no freed buffer behind in the process.
        guard let data = try? Data(contentsOf: file, options: .alwaysMapped) else { return nil }
        return CallLogFile.parse(data, scope: scope, agentId: agentId, since: since, limit: limit)
    }

    /// Replaces the agent's copy (in the directory: a private temporary file renamed over the old one).
    private func save(_ entry: Entry, scope: String, agentId: String) throws {
        guard let directory else {
            memory[Self.key(scope, agentId)] = entry
            return
        }
        let name = Self.fileName(scope, agentId)
        let file = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).\(getpid()).tmp")
        do {
            try AppPaths.writePrivate(CallLogFile.render(entry, scope: scope, agentId: agentId), to: temporary)
        } catch {
            unlink(temporary.path)
            throw storageFailure("cannot write the call-log cache \"\(temporary.path)\"", Self.reason(error))
        }
        guard rename(temporary.path, file.path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary.path)
            throw storageFailure("cannot write the call-log cache \"\(file.path)\"", why)
        }
    }
}

/// The text form of one agent's cached calls (see `CallLogCache`).
enum CallLogFile {
    static let header = "atoms-tui call-log cache 1"

    /// The file's bytes.
    static func render(_ entry: CallLogCache.Entry, scope: String, agentId: String) -> Data {
        var out = String()
        out.reserveCapacity(64 + entry.records.count * 120)
        out += header + "\n"
        out += [escape(scope), escape(agentId), number(entry.coveredFrom), number(entry.fetchedAt)].joined(separator: "\t") + "\n"
        for r in entry.records {
            out += escape(r.callId); out += "\t"
            out += number(r.time); out += "\t"
            out += escape(r.versionId); out += "\t"
            out += r.versionNumber.map(String.init) ?? "\\N"; out += "\t"
            out += r.failed ? "1\t" : "0\t"
            out += escape(r.failureReason); out += "\t"
            out += escape(r.disconnectionReason); out += "\t"
            out += r.cost.map(number) ?? "\\N"; out += "\t"
            out += r.latency.map(number) ?? "\\N"; out += "\t"
            out += r.isTest ? "1\t" : "0\t"
            out += escape(CallLogCache.encode(r.dispositions)); out += "\n"
        }
        return Data(out.utf8)
    }

    /// Swift's shortest form that reads back as the same Double.
    static func number(_ d: Double) -> String { "\(d)" }

    static func escape(_ s: String?) -> String {
        guard let s else { return "\\N" }
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The entry in `data` when it is a cache of this scope and agent; its calls at or after `since`, at most
    /// `limit` (the file is newest first). Every line is checked, also those past what is returned: nil when
    /// any does not read (a damaged file is not half-trusted).
    static func parse(_ data: Data, scope: String, agentId: String, since: Double, limit: Int) -> CallLogCache.Entry? {
        data.withUnsafeBytes { raw -> CallLogCache.Entry? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lines = LineReader(bytes: bytes)
            guard let first = lines.next(), String(decoding: first, as: UTF8.self) == header,
                  let second = lines.next() else { return nil }
            var fields = FieldSplitter()
            guard fields.split(second, expecting: 4),
                  unescape(fields[second, 0]) == scope, unescape(fields[second, 1]) == agentId,
                  let coveredFrom = double(fields[second, 2]), let fetchedAt = double(fields[second, 3]) else { return nil }
            var records: [CallRecord] = []
            // One line per call: the array is made its final size at once (growing it by doubling left a third
            // of 100,000 calls' worth of freed buffers behind, BENCHMARKS.md round 6).
            records.reserveCapacity(min(limit, bytes[lines.at...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }))
            var lastVersion: (bytes: [UInt8], id: String)?
            // Calls repeat a few outcomes ("resolved: yes"): equal ones share one dictionary's storage.
            var seen: [String: [String: String]] = [:]
            func dispositions(_ field: Bytes) -> [String: String] {
                guard let text = unescape(field) else { return [:] }
                if let known = seen[text] { return known }
                let decoded = CallLogCache.decode(text)
                if seen.count < 512 { seen[text] = decoded }
                return decoded
            }
            while let line = lines.next() {
                guard fields.split(line, expecting: 11), let time = double(fields[line, 1]) else { return nil }
                let numberField = fields[line, 3], cost = fields[line, 7], latency = fields[line, 8]
                if (!isNull(numberField) && Int(String(decoding: numberField, as: UTF8.self)) == nil)
                    || (!isNull(cost) && double(cost) == nil) || (!isNull(latency) && double(latency) == nil) { return nil }
                guard time >= since, records.count < limit else { continue }
                guard let callId = unescape(fields[line, 0]) else { return nil }
                let versionField = fields[line, 2]
                let versionId: String?
                if let last = lastVersion, last.bytes.elementsEqual(versionField) {
                    versionId = last.id
                } else {
                    versionId = unescape(versionField)
                    if let v = versionId { lastVersion = (Array(versionField), v) }
                }
                let versionNumber: Int? = isNull(numberField) ? nil : Int(String(decoding: numberField, as: UTF8.self))
                records.append(CallRecord(
                    callId: callId, time: time, versionId: versionId, versionNumber: versionNumber,
                    failed: fields[line, 4].first == UInt8(ascii: "1"), failureReason: unescape(fields[line, 5]),
                    disconnectionReason: unescape(fields[line, 6]), cost: isNull(cost) ? nil : double(cost),
                    latency: isNull(latency) ? nil : double(latency), isTest: fields[line, 9].first == UInt8(ascii: "1"),
                    dispositions: dispositions(fields[line, 10])))
            }
            return CallLogCache.Entry(coveredFrom: coveredFrom, fetchedAt: fetchedAt, records: records)
        }
    }

    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    static func isNull(_ f: Bytes) -> Bool {
        f.count == 2 && f.first == UInt8(ascii: "\\") && f.last == UInt8(ascii: "N")
    }

    static func double(_ f: Bytes) -> Double? {
        Double(String(decoding: f, as: UTF8.self))
    }

    static func unescape(_ f: Bytes) -> String? {
        if isNull(f) { return nil }
        guard f.contains(UInt8(ascii: "\\")) else { return String(decoding: f, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(f.count)
        var i = f.startIndex
        while i < f.endIndex {
            let b = f[i]
            if b == UInt8(ascii: "\\"), i + 1 < f.endIndex {
                switch f[i + 1] {
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                default: out.append(f[i + 1])
                }
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lines of a buffer (the last one may lack its newline).
    struct LineReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        mutating func next() -> Bytes? {
            guard at < bytes.count else { return nil }
            let start = at
            while at < bytes.count, bytes[at] != 0x0A { at += 1 }
            let line = bytes[start..<at]
            at += 1
            return line
        }
    }

    /// Where each tab-separated field of a line starts and ends (reused from line to line).
    struct FieldSplitter {
        var bounds: [Int] = Array(repeating: 0, count: 24)

        /// Splits `line`; false unless it has exactly `count` fields.
        mutating func split(_ line: Bytes, expecting count: Int) -> Bool {
            var n = 0
            var start = line.startIndex
            var i = line.startIndex
            while i < line.endIndex {
                if line[i] == 0x09 {
                    guard n + 1 < count else { return false }
                    bounds[2 * n] = start
                    bounds[2 * n + 1] = i
                    n += 1
                    start = i + 1
                }
                i += 1
            }
            guard n + 1 == count else { return false }
            bounds[2 * n] = start
            bounds[2 * n + 1] = line.endIndex
            return true
        }

        subscript(line: Bytes, index: Int) -> Bytes {
            line.base[bounds[2 * index]..<bounds[2 * index + 1]]
        }
    }
}
