import Foundation
import AtomsModels

/// An HTTP request as the API layer sees it (independent of the server library).
struct SimRequest: Sendable {
    var method: String
    /// The raw (percent-encoded) path, e.g. `/atoms/v1/agent/abc`.
    var path: String
    /// The raw query string without `?`, if any.
    var query: String?
    /// Header name (lowercased) → value.
    var headers: [String: String]
    var body: Data
}

/// An HTTP answer.
struct SimResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data
    /// Extra delay before answering (fault injection: slowed responses).
    var delayMilliseconds: Int = 0
    /// Fault injection: close the connection instead of answering.
    var dropConnection = false

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// The HTTP semantics of the simulated API over a `SimulatorStore`: auth, rate limit, faults,
/// routing, Express-style 404 pages, body parsing and the JSON envelopes. Pure apart from the store.
final class SimulatorAPI: Sendable {
    /// The base path every route lives under.
    static let basePath = "/atoms/v1"

    let store: SimulatorStore
    let rng: Locked<SplitMix64>
    private let rateWindows: Locked<[String: (second: Int, count: Int)]>
    private let requestCounter = Locked<UInt64>(0)
    /// Answers kept for `readLag` (see `SimulatorAPI+Lag.swift`).
    let lagCache = Locked(LagCache())

    /// What the fault injection did.
    let faultCounter: FaultCounter

    init(store: SimulatorStore, faultCounter: FaultCounter = FaultCounter()) {
        self.store = store
        self.faultCounter = faultCounter
        self.rng = Locked(SplitMix64(seed: store.options.seed))
        self.rateWindows = Locked([:])
    }

    // MARK: Entry point

    /// Answers one request. Every answer carries an `x-request-id`. HEAD is answered as GET (Express routes
    /// HEAD to GET handlers); the HTTP layer sends its status and headers without the body.
    func handle(_ req: SimRequest) -> SimResponse {
        var routed = req
        if req.method.uppercased() == "HEAD" { routed.method = "GET" }
        return withRequestID(answer(routed))
    }

    /// The answer to a body over the size limit: 413 with body-parser's message (GUESS: the platform's error
    /// handler wraps it in the usual `{status:false, errors}` envelope; docs/api-fidelity.md).
    func handleTooLarge() -> SimResponse {
        withRequestID(Self.error(SimulatorError(status: 413, errors: ["request entity too large"])))
    }

    private func withRequestID(_ answer: SimResponse) -> SimResponse {
        var answer = answer
        let n = requestCounter.withLock { c -> UInt64 in c += 1; return c }
        answer.headers.append(("x-request-id", Self.requestID(seed: store.options.seed, n: n)))
        return answer
    }

    /// `req-` + 24 hex digits: the seed and a per-process counter (unique, deterministic per run).
    static func requestID(seed: UInt64, n: UInt64) -> String {
        let hex = String(seed & 0xFFFF_FFFF, radix: 16)
        let count = String(n, radix: 16)
        return "req-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
            + String(repeating: "0", count: max(0, 16 - count.count)) + count
    }

    private func answer(_ req: SimRequest) -> SimResponse {
        let options = store.options
        // Auth.
        let auth = req.headers["authorization"] ?? ""
        let token: String? = auth.lowercased().hasPrefix("bearer ")
            ? String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
        guard let token, !token.isEmpty, options.apiKey == nil || options.apiKey == token else {
            return Self.error(SimulatorError(status: 401, errors: ["Unauthorized: User not found"]))
        }
        // Rate limit (per key, per second of the simulator clock).
        if let limit = options.effectiveRateLimit {
            let second = Int(store.clock.now().timeIntervalSince1970.rounded(.down))
            let allowed = rateWindows.withLock { windows -> Bool in
                var w = windows[token] ?? (second, 0)
                if w.second != second { w = (second, 0) }
                w.count += 1
                windows[token] = w
                return w.count <= limit
            }
            if !allowed { return Self.rateLimited(limit: limit, shape: options.rateLimitShape ?? (options.plan != nil ? .docs : nil)) }
        }
        // Faults: every kind but `lost` strikes before any side effect, so a retried write is safe.
        return withFaults(options, method: req.method, path: req.path) { lagged(req) }
    }

    /// A `429` in the chosen shape, always with `Retry-After` (seconds until the window resets).
    static func rateLimited(limit: Int, shape: RateLimitShape?) -> SimResponse {
        let retry = 1
        let body: JSONValue
        switch shape {
        case nil:
            return error(SimulatorError(status: 429, errors: ["Too many requests, please try again later."],
                                        headers: ["Retry-After": "\(retry)"]))
        case .docs?:
            body = ["status": false, "error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED",
                    "retry_after": .number(Double(retry))]
        case .scoring?:
            body = ["message": "Too many requests, please slow down.",
                    "rateLimit": ["routeClass": "default", "limit": .number(Double(limit)), "retryAfterSec": .number(Double(retry))]]
        }
        let data = (try? encoder().encode(body)) ?? Data()
        return SimResponse(status: 429, headers: [("Content-Type", jsonType), ("Retry-After", "\(retry)")], body: data)
    }

    // MARK: Routing

    func route(_ req: SimRequest) -> SimResponse {
        let method = req.method.uppercased()
        guard req.path == Self.basePath || req.path.hasPrefix(Self.basePath + "/") else {
            return Self.notFoundPage(method: method, path: req.path)
        }
        let rest = req.path.dropFirst(Self.basePath.count)
        var segs = rest.split(separator: "/", omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
        if segs.first == "" { segs.removeFirst() }
        while segs.last == "" { segs.removeLast() }
        let q = Self.parseQuery(req.query)
        let notFound = Self.notFoundPage(method: method, path: req.path)
        if segs == ["user"] && method == "GET" { return Self.ok(store.user()) }
        guard segs.first == "agent" else { return notFound }
        let s = Array(segs.dropFirst())

        do {
            if let v2 = try routeBranches(method: method, segments: s, query: q, body: req.body) { return v2 }
            if let extra = try routeAgentExtras(method: method, segments: s, query: q, body: req.body) { return extra }
            switch (method, s.count) {
            case ("GET", 0):
                return Self.ok(try store.listAgents(try Self.agentQuery(q)))
            case ("POST", 0):
                try store.requireNotFrozen()
                return Self.ok(try store.createAgent(try Self.object(req.body, allowEmpty: false)), status: 201)
            case ("GET", 1):
                // An empty `draftId=` / `versionId=` is treated as absent (the parameters are optional).
                return Self.ok(try store.agent(id: s[0], draftId: q["draftId"].flatMap { $0.isEmpty ? nil : $0 },
                                               versionId: q["versionId"].flatMap { $0.isEmpty ? nil : $0 }))
            case ("PATCH", 1):
                try store.requireNotFrozen()
                return Self.ok(try store.updateAgent(id: s[0], try Self.object(req.body)))
            default: break
            }
            guard s.count >= 2 else { return notFound }
            let agentId = s[0]
            switch (method, Array(s.dropFirst())) {
            case ("DELETE", ["archive"]):
                let on = q["on"] ?? q["true"]
                return Self.ok(try store.archiveAgent(id: agentId, archive: on.map { $0 != "false" } ?? true))

            case ("POST", ["drafts"]):
                try preflight(agentId, gated: true, write: true)
                let body = try Self.object(req.body)
                try Self.checkTypes(body, ["sourceVersionId": .string(), "sourceDraftId": .string(), "draftName": .string()])
                return Self.ok(try store.createDraft(agentId: agentId, CreateDraftRequest(
                    sourceVersionId: body["sourceVersionId"]?.stringValue, sourceDraftId: body["sourceDraftId"]?.stringValue,
                    draftName: body["draftName"]?.stringValue)), status: 201)
            case ("GET", ["drafts"]):
                try preflight(agentId, gated: true, write: false, malformedIdIsNotFound: true)
                return Self.ok(try store.drafts(agentId: agentId))
            case ("GET", let r) where r.count == 2 && r[0] == "drafts":
                try preflight(agentId, gated: false, write: false)
                return Self.ok(try store.draft(agentId: agentId, draftId: r[1], limit: try Self.int(q, "limit")))
            case ("PATCH", let r) where r.count == 2 && r[0] == "drafts":
                try preflight(agentId, gated: true, write: true)
                let body = try Self.object(req.body)
                guard let nameValue = body["draftName"] else { throw SimulatorError.badRequest("draftName: Required") }
                try Self.checkTypes(body, ["draftName": .string()])
                return Self.ok(try store.renameDraft(agentId: agentId, draftId: r[1],
                                                     RenameDraftRequest(draftName: nameValue.stringValue ?? "")))
            case ("DELETE", let r) where r.count == 2 && r[0] == "drafts":
                try preflight(agentId, gated: true, write: true, malformedIdIsNotFound: true)
                try store.discardDraft(agentId: agentId, draftId: r[1])
                return Self.ok(JSONValue.null)
            case ("PATCH", let r) where r.count == 3 && r[0] == "drafts" && r[2] == "config":
                try preflight(agentId, gated: true, write: true)
                return Self.ok(try store.updateDraftConfig(agentId: agentId, draftId: r[1], try Self.object(req.body)))
            case ("GET", let r) where r.count == 3 && r[0] == "drafts" && r[2] == "diff":
                try preflight(agentId, gated: false, write: false)
                return Self.ok(try store.draftDiff(agentId: agentId, draftId: r[1], compareTo: q["compareTo"]))
            case ("POST", let r) where r.count == 3 && r[0] == "drafts" && r[2] == "publish":
                try preflight(agentId, gated: true, write: true)
                let body = try Self.object(req.body)
                // `label` and `description` are nullable in the spec: null is the same as absent.
                try Self.checkTypes(body, ["label": .string(), "description": .string(), "activate": .bool],
                                    nullable: ["label", "description"])
                return Self.ok(try store.publishDraft(agentId: agentId, draftId: r[1], PublishDraftRequest(
                    label: body["label"]?.stringValue, description: body["description"]?.stringValue,
                    activate: body["activate"]?.boolValue)), status: 201)

            case ("GET", ["versions"]):
                try preflight(agentId, gated: true, write: false)
                let pinned: Bool?
                switch q["isPinned"] {
                case nil: pinned = nil
                case "true"?: pinned = true
                case "false"?: pinned = false
                default: throw SimulatorError.badRequest("isPinned: Expected boolean, received string")
                }
                return Self.ok(try store.versions(agentId: agentId, limit: try Self.int(q, "limit") ?? 20,
                                                  skip: try Self.int(q, "skip") ?? 0, isPinned: pinned))
            case ("GET", ["versions", "diff"]):
                try preflight(agentId, gated: false, write: false)
                return Self.ok(try store.versionDiff(agentId: agentId, versionA: q["versionA"], versionB: q["versionB"]))
            case ("GET", let r) where r.count == 2 && r[0] == "versions":
                try preflight(agentId, gated: false, write: false)
                return Self.ok(try store.version(agentId: agentId, versionId: r[1]))
            case ("PATCH", let r) where r.count == 2 && r[0] == "versions":
                try preflight(agentId, gated: true, write: true)
                let body = try Self.object(req.body)
                // `label` and `description` are nullable in the spec: null clears the field.
                try Self.checkTypes(body, ["label": .string(), "description": .string(), "isPinned": .bool],
                                    nullable: ["label", "description"])
                let clear = Set(["label", "description"].filter { body[$0]?.isNull == true })
                return Self.ok(try store.updateVersion(agentId: agentId, versionId: r[1], UpdateVersionMetaRequest(
                    label: body["label"]?.stringValue, description: body["description"]?.stringValue,
                    isPinned: body["isPinned"]?.boolValue), clear: clear))
            case ("PATCH", let r) where r.count == 3 && r[0] == "versions" && r[2] == "activate":
                try preflight(agentId, gated: true, write: true)
                return Self.ok(try store.activateVersion(agentId: agentId, versionId: r[1]))
            default:
                return notFound
            }
        } catch let e as SimulatorError {
            return Self.error(e)
        } catch {
            return Self.error(SimulatorError(status: 500, errors: ["Internal server error"]))
        }
    }

    /// Checks that come before the body is read: branch-model gating, the freeze, the agent id format.
    /// A malformed agent id is a 400, except on operations whose spec declares no 400 (list and
    /// discard drafts), where it is the 404 "Agent not found" they do declare.
    private func preflight(_ agentId: String, gated: Bool, write: Bool, malformedIdIsNotFound: Bool = false) throws {
        if gated { try store.requireV1() }
        if write { try store.requireNotFrozen() }
        guard ObjectID.isValid(agentId) else {
            throw malformedIdIsNotFound ? SimulatorError.agentNotFound : SimulatorError.badRequest("Invalid id format")
        }
    }

    // MARK: Parsing

    static func parseQuery(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            let key = decode(parts[0])
            if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    /// An integer query parameter. Not a number → 400; a number beyond the range every route accepts
    /// (±1e9, far past any page, limit or skip) → 400 before any arithmetic can overflow.
    static func int(_ q: [String: String], _ name: String) throws -> Int? {
        guard let raw = q[name] else { return nil }
        guard let v = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            if raw.isEmpty { throw SimulatorError.badRequest("\(name): Expected number, received string") }
            if Double(raw) != nil, Int64(raw) == nil, raw.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) {
                throw SimulatorError.badRequest("\(name): Number must be less than or equal to \(maxQueryNumber)")
            }
            throw SimulatorError.badRequest("\(name): Expected number, received string")
        }
        guard v <= maxQueryNumber else { throw SimulatorError.badRequest("\(name): Number must be less than or equal to \(maxQueryNumber)") }
        guard v >= -maxQueryNumber else { throw SimulatorError.badRequest("\(name): Number must be greater than or equal to \(-maxQueryNumber)") }
        return v
    }

    /// The largest magnitude accepted for an integer query parameter.
    static let maxQueryNumber = 1_000_000_000

    static func agentQuery(_ q: [String: String]) throws -> AgentListQuery {
        var query = AgentListQuery()
        if let p = try int(q, "page") { query.page = p }
        if let o = try int(q, "offset") { query.offset = o }
        query.search = q["search"]
        query.type = q["type"]
        if let f = q["sortField"] { query.sortField = f }
        if let o = q["sortOrder"] { query.sortOrder = o }
        switch q["archived"] {
        case nil, "false"?: query.archived = false
        case "true"?: query.archived = true
        default: throw SimulatorError.badRequest("archived: Expected boolean, received string")
        }
        return query
    }

    /// The body as a JSON object. An empty body counts as `{}`; malformed JSON → 400.
    static func object(_ body: Data, allowEmpty: Bool = true) throws -> ConfigDocument {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return [:] }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: body) } catch {
            throw SimulatorError.badRequest("Invalid JSON in request body")
        }
        guard let o = value.objectValue else {
            throw SimulatorError.badRequest("Expected object, received \(value.typeName)")
        }
        return o
    }

    static func checkTypes(_ body: ConfigDocument, _ schema: [String: ConfigValidator.Schema], nullable: Set<String> = []) throws {
        var errors: [String] = []
        for (k, v) in body.sorted(by: { $0.key < $1.key }) {
            if v.isNull && nullable.contains(k) { continue }
            if let s = schema[k] { ConfigValidator.check(v, s, path: k, into: &errors) }
        }
        if !errors.isEmpty { throw SimulatorError(status: 400, errors: errors) }
    }

    // MARK: Answers

    static let jsonType = "application/json; charset=utf-8"

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Fields that do not apply to a row are `null` on the wire, not left out (AgentVersion/Revision).
        e.userInfo[.explicitNulls] = true
        return e
    }

    static func ok<T: Codable & Sendable>(_ data: T, status: Int = 200) -> SimResponse {
        do {
            let body = try encoder().encode(APIEnvelope(data: data))
            return SimResponse(status: status, headers: [("Content-Type", jsonType)], body: body)
        } catch {
            return Self.error(SimulatorError(status: 500, errors: ["Internal server error"]))
        }
    }

    static func error(_ e: SimulatorError) -> SimResponse {
        let body = (try? encoder().encode(e.body)) ?? Data(#"{"status":false,"errors":["Internal server error"]}"#.utf8)
        var headers = [("Content-Type", jsonType)]
        for (k, v) in e.headers.sorted(by: { $0.key < $1.key }) { headers.append((k, v)) }
        return SimResponse(status: e.status, headers: headers, body: body)
    }

    /// Express's default 404 page: `Cannot METHOD /path`, `text/html; charset=utf-8`.
    static func notFoundPage(method: String, path: String) -> SimResponse {
        let escaped = path.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
        let html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Error</title>
            </head>
            <body>
            <pre>Cannot \(method) \(escaped)</pre>
            </body>
            </html>

            """
        return SimResponse(status: 404, headers: [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Security-Policy", "default-src 'none'"),
                                                  ("X-Content-Type-Options", "nosniff")], body: Data(html.utf8))
    }
}
