/// Why an effect failed, as data: what kind of failure, the HTTP status, the server's own words and
/// what to do. The Runtime builds it from the client's error; `update` decides by `kind` and by the
/// effect that failed, never by matching text.
public struct EffectFailure: Error, Hashable, Sendable {
    /// What went wrong, broadly.
    public enum Kind: Hashable, Sendable {
        /// 401: the key was refused.
        case unauthorized
        /// 403: not allowed (plan, organisation, archived, unchecked head…).
        case forbidden
        /// 404 or "No agent found": the thing is gone.
        case notFound
        /// 409: the state moved on (a conflict, a scan in progress…).
        case conflict
        /// 423: writes are frozen for maintenance.
        case frozen
        /// 429: too many requests.
        case rateLimited
        /// 400/422: the server refused the input.
        case rejected
        /// 5xx.
        case server
        /// No answer (connection refused, reset, DNS, TLS).
        case network
        /// Ran out of time.
        case timeout
        /// An answer that was not what the spec says.
        case unexpectedAnswer
        /// Found wrong before anything was sent.
        case invalidInput
        /// A lifecycle rule refused it (e.g. activating an unchecked version).
        case refused
        /// `--read-only` refused a write.
        case readOnly
        /// The app itself could not do it (the demo simulator did not start, an edit session is gone).
        case local
    }

    /// The kind.
    public var kind: Kind
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// The reason, one line (the server's message, or the client's description).
    public var reason: String
    /// What to do about it, if anything is known.
    public var hint: String?
    /// The server's `x-request-id`, for support.
    public var requestId: String?

    /// Builds a failure.
    public init(kind: Kind, status: Int? = nil, reason: String, hint: String? = nil, requestId: String? = nil) {
        self.kind = kind
        self.status = status
        self.reason = reason
        self.hint = hint
        self.requestId = requestId
    }

    /// No answer came (network, timeout): a write may or may not have been applied. The client never sends
    /// a write twice on its own; the TUI must not offer a blind second send either.
    public var outcomeUnknown: Bool { kind == .network || kind == .timeout }

    /// One line, reason first: `423 writes are frozen … — try again later (request r-12)`.
    public var line: String {
        var s = status.map { "\($0) " } ?? ""
        s += reason
        if let hint, !hint.isEmpty { s += " — " + hint }
        if let requestId, !requestId.isEmpty { s += " (request \(requestId))" }
        return s
    }
}
