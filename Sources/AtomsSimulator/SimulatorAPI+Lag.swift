import Foundation

/// What `readLag` remembers: the last answer of each read and the last write of each agent.
/// Order is kept by a sequence number (a manual clock may not move between a read and a write);
/// the lag itself is measured on the store's clock.
struct LagCache: Sendable {
    struct Entry: Sendable {
        var seq: UInt64
        var response: SimResponse
    }
    var seq: UInt64 = 0
    /// Request line (path + query) → the last fresh answer.
    var answers: [String: Entry] = [:]
    /// Agent id → (sequence, time) of its last successful write.
    var writes: [String: (seq: UInt64, at: Double)] = [:]
    /// The last successful write to any agent (what `GET /agent` lags behind).
    var anyWrite: (seq: UInt64, at: Double)?

    /// The most answers kept; past it the cache starts over (reads are then fresh until re-read).
    static let capacity = 4096
}

extension SimulatorAPI {
    /// Routes the request under the read-after-write lag of `SimulatorOptions.readLag`: a read of an
    /// agent (its document, drafts, versions, branches, revisions) made within `readLag` seconds of a
    /// write to that agent answers what the same read answered before the write, if it was made
    /// before; `GET /agent` does the same after a write to any agent. Writes are never delayed.
    func lagged(_ req: SimRequest) -> SimResponse {
        let lag = store.options.readLag
        guard lag > 0 else { return route(req) }
        let base = Self.basePath + "/agent"
        guard req.path == base || req.path.hasPrefix(base + "/") else { return route(req) }
        let rest = req.path.dropFirst(base.count).split(separator: "/").map(String.init)
        let agentKey = rest.first  // nil: the agent collection
        let now = store.clock.now().timeIntervalSince1970
        if req.method.uppercased() == "GET" {
            let line = req.path + "?" + (req.query ?? "")
            let stale: SimResponse? = lagCache.withLock { c in
                guard let entry = c.answers[line] else { return nil }
                let write = agentKey.map { c.writes[$0] } ?? c.anyWrite
                guard let write, entry.seq < write.seq, now - write.at < lag else { return nil }
                return entry.response
            }
            if let stale { return stale }
            let fresh = route(req)
            if (200..<300).contains(fresh.status), !fresh.dropConnection {
                lagCache.withLock { c in
                    if c.answers.count >= LagCache.capacity { c.answers.removeAll() }
                    c.seq += 1
                    c.answers[line] = LagCache.Entry(seq: c.seq, response: fresh)
                }
            }
            return fresh
        }
        let answer = route(req)
        if (200..<300).contains(answer.status) {
            lagCache.withLock { c in
                c.seq += 1
                if let agentKey { c.writes[agentKey] = (c.seq, now) }
                c.anyWrite = (c.seq, now)
            }
        }
        return answer
    }
}
