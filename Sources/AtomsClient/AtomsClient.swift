import Foundation
import AtomsModels
import Logging

/// The shared Atoms API client: typed endpoints (in the `AtomsClient+…` extensions), Bearer auth,
/// per-request timeouts, retries with backoff and jitter, redacted debug logs, one error type.
public final class AtomsClient: Sendable {
    /// The configuration in use.
    public let configuration: ClientConfiguration
    let transport: any HTTPTransport
    let logger: Logger
    let sleeper: @Sendable (TimeInterval) async throws -> Void
    /// Keeps requests under the account's rate (see `RateLimiter`).
    public let rateLimiter: RateLimiter

    /// Builds a client. `sleeper` is injectable so retry tests need not wait; so is the rate limiter
    /// (default: one for `configuration.requestsPerSecond`, on the monotonic clock).
    public init(configuration: ClientConfiguration, transport: any HTTPTransport = URLSessionTransport(),
                logger: Logger = Logger(label: "atoms.client"),
                sleeper: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1e9)) },
                rateLimiter: RateLimiter? = nil) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        self.sleeper = sleeper
        self.rateLimiter = rateLimiter ?? RateLimiter(limit: configuration.requestsPerSecond)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Builds the URL for a path relative to the base URL plus query items.
    func url(_ path: String, _ query: [URLQueryItem]) throws -> URL {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard var comps = URLComponents(string: base + path) else {
            throw AtomsError(kind: .invalidInput, path: path, serverErrors: ["cannot build a URL for \(path)"])
        }
        if !query.isEmpty { comps.queryItems = query }
        guard let u = comps.url else { throw AtomsError(kind: .invalidInput, path: path, serverErrors: ["bad URL"]) }
        return u
    }

    /// Sends a request and decodes the `data` of the success envelope.
    func call<T: Decodable & Sendable>(_ method: String, _ path: String, query: [URLQueryItem] = [],
                                       body: (any Encodable & Sendable)? = nil, idempotent: Bool? = nil,
                                       as type: T.Type = T.self) async throws -> T {
        let response = try await raw(method, path, query: query, body: body, idempotent: idempotent)
        return try decodeData(T.self, response, method: method, path: path)
    }

    /// Decodes `{status:true, data:T}` from a response.
    func decodeData<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, method: String, path: String) throws -> T {
        let body = Self.validUTF8(response.body)
        if T.self == EmptyData.self, let env = try? JSONDecoder().decode(StatusOnly.self, from: body), env.status {
            return EmptyData() as! T
        }
        do {
            return try JSONDecoder().decode(DataEnvelope<T>.self, from: body).data
        } catch {
            logger.debug("decode failure", metadata: ["path": "\(path)", "error": "\(error)"])
            throw AtomsError(kind: .decoding, method: method, path: path, status: response.status,
                             serverErrors: [Self.describe(decodingError: error)],
                             hint: "the server's answer did not match the Atoms API spec")
        }
    }

    /// The body with any invalid UTF-8 replaced by U+FFFD, so one bad byte in a name does not make a
    /// whole answer unreadable (the text is sanitized before it is shown).
    static func validUTF8(_ data: Data) -> Data {
        if String(validating: data, as: UTF8.self) != nil { return data }
        return Data(String(decoding: data, as: UTF8.self).utf8)
    }

    static func describe(decodingError error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let k, let ctx):
            return "missing field '\((ctx.codingPath + [k]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "wrong type at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "body is not valid JSON" : "bad value at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
        default:
            return "body could not be read"
        }
    }

    /// Sends a request with retries; returns a 2xx response or throws `AtomsError`.
    func raw(_ method: String, _ path: String, query: [URLQueryItem] = [], body: (any Encodable & Sendable)? = nil,
             idempotent: Bool? = nil) async throws -> HTTPResponse {
        let isIdempotent = idempotent ?? (method == "GET" || method == "HEAD")
        var headers = ["Authorization": "Bearer \(configuration.apiKey)", "Accept": "application/json",
                       "User-Agent": "atoms-tui/0.1"]
        var data: Data?
        if let body {
            do { data = try Self.encoder.encode(body) } catch {
                throw AtomsError(kind: .invalidInput, method: method, path: path, serverErrors: ["could not encode the request body"])
            }
            headers["Content-Type"] = "application/json"
        }
        var request = HTTPRequest(method: method, url: try url(path, query), headers: headers, body: data,
                                  timeout: configuration.requestTimeout)
        request.reuseConnection = isIdempotent
        var attempt = 0
        var throttledAttempts = 0
        while true {
            try Task.checkCancellation()
            try await rateLimiter.acquire()
            let started = Date()
            let outcome: Result<HTTPResponse, Error>
            do { outcome = .success(try await transport.send(request)) } catch { outcome = .failure(error) }
            let ms = Int(Date().timeIntervalSince(started) * 1000)
            switch outcome {
            case .success(let response):
                logger.debug("\(method) \(path) → \(response.status) (\(ms) ms, attempt \(attempt + 1))")
                if (200..<300).contains(response.status) { return response }
                let error = Self.httpError(method: method, path: path, response: response)
                if response.status == 429 {
                    // Answered before anything is applied: safe to retry, writes included.
                    let hint = Self.rateLimitHint(response)
                    if rateLimiter.throttled(revealedLimit: hint.limit) {
                        logger.debug("rate limited: keeping under \(rateLimiter.currentLimit ?? 0) requests/s from now on")
                    }
                    if throttledAttempts < configuration.effectiveRateLimitRetries {
                        let wait = hint.retryAfter.map { min(max(0, $0), configuration.maxBackoff) }
                            ?? backoff(attempt: throttledAttempts, retryAfter: nil)
                        logger.debug("429 on \(method) \(path): retrying in \(wait) s")
                        try await sleeper(wait)
                        throttledAttempts += 1
                        continue
                    }
                    throw error
                }
                let throttled = response.status == 503
                let canRetry = throttled || (isIdempotent && response.status >= 500)
                if canRetry && attempt < configuration.maxRetries {
                    let wait = backoff(attempt: attempt, retryAfter: response.header("Retry-After"))
                    logger.debug("retrying \(method) \(path) in \(wait) s")
                    try await sleeper(wait)
                    attempt += 1
                    continue
                }
                throw error
            case .failure(let failure):
                if failure is CancellationError { throw failure }
                logger.debug("\(method) \(path) failed after \(ms) ms: \(failure)")
                var error: AtomsError
                switch failure {
                case TransportFailure.timedOut:
                    error = AtomsError(kind: .timeout, method: method, path: path, retryable: true,
                                       hint: "no answer within \(Int(configuration.requestTimeout)) s")
                case TransportFailure.bodyTooLarge(let n):
                    error = AtomsError(kind: .decoding, method: method, path: path, serverErrors: ["the response body (at least \(n) bytes) is larger than the 50 MB limit; it was not read further"])
                case TransportFailure.network(let why):
                    error = AtomsError(kind: .network, method: method, path: path, serverErrors: [why], retryable: true,
                                       hint: "is \(configuration.baseURL.host ?? "the server") reachable?")
                default:
                    error = AtomsError(kind: .network, method: method, path: path, serverErrors: ["\(failure)"], retryable: true)
                }
                if !isIdempotent && error.kind != .decoding {
                    // The request may have been applied and only its answer lost: never resent blindly.
                    error.hint = [error.hint, "no answer arrived, so it may or may not have been applied; it was not sent again — check before retrying"]
                        .compactMap { $0 }.joined(separator: "; ")
                }
                if isIdempotent && error.retryable && attempt < configuration.maxRetries {
                    try await sleeper(backoff(attempt: attempt, retryAfter: nil))
                    attempt += 1
                    continue
                }
                if error.kind == .timeout && attempt > 0 {
                    // Say how long it really was: each of the tries waited the whole timeout.
                    error.hint = (error.hint ?? "") + ", \(attempt + 1) tries"
                }
                throw error
            }
        }
    }

    /// What a `429` says about waiting and the account's rate: the `Retry-After` header, else the
    /// documented bodies' `retry_after` or `rateLimit.retryAfterSec`; the limit from `rateLimit.limit`.
    static func rateLimitHint(_ response: HTTPResponse) -> (retryAfter: TimeInterval?, limit: Double?) {
        let body = try? JSONDecoder().decode(JSONValue.self, from: response.body)
        let header = response.header("Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let bodyWait = body?["retry_after"]?.numberValue ?? body?["rateLimit"]?["retryAfterSec"]?.numberValue
        return (header ?? bodyWait, body?["rateLimit"]?["limit"]?.numberValue)
    }

    /// Exponential backoff with full jitter, or the server's `Retry-After`, capped.
    func backoff(attempt: Int, retryAfter: String?) -> TimeInterval {
        if let ra = retryAfter?.trimmingCharacters(in: .whitespaces), let secs = Double(ra) {
            return min(max(0, secs), configuration.maxBackoff)
        }
        let exp = configuration.baseBackoff * pow(2, Double(attempt))
        return min(configuration.maxBackoff, exp / 2 + Double.random(in: 0...(exp / 2)))
    }

    /// Maps a non-2xx answer to `AtomsError`, keeping the server's words.
    static func httpError(method: String, path: String, response: HTTPResponse) -> AtomsError {
        let status = response.status
        let retryable = status == 429 || status >= 500
        let requestId = response.header("x-request-id")
        if let env = try? JSONDecoder().decode(ErrorEnvelope.self, from: response.body) {
            let raw = try? JSONDecoder().decode(JSONValue.self, from: response.body)
            var e = AtomsError(kind: .http, method: method, path: path, status: status, serverErrors: env.errors,
                               errorType: env.errorType, retryable: retryable, body: raw)
            e.requestId = requestId
            e.hint = AtomsError.advice(status: status, messages: env.errors)
            return e
        }
        if let raw = try? JSONDecoder().decode(JSONValue.self, from: response.body), raw.objectValue != nil {
            // The other documented error bodies: {status:false, error, code, retry_after} and {message, rateLimit}.
            let words = [raw["error"]?.stringValue, raw["message"]?.stringValue].compactMap { $0 }
            var e = AtomsError(kind: .http, method: method, path: path, status: status, serverErrors: words,
                               retryable: retryable, body: raw)
            e.requestId = requestId
            e.hint = AtomsError.advice(status: status, messages: words)
            return e
        }
        // Not JSON: Express HTML 404 pages and proxies. Keep one short readable line.
        var text = String(decoding: response.body.prefix(2000), as: UTF8.self)
        if let r = text.range(of: "<pre>"), let e = text.range(of: "</pre>"), r.upperBound <= e.lowerBound {
            text = String(text[r.upperBound..<e.lowerBound])
        } else {
            text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        }
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if text.count > 160 { text = String(text.prefix(160)) + "…" }
        var hint: String?
        if status == 404 && text.hasPrefix("Cannot ") { hint = "no such route on the server: check --base-url (it should end in /atoms/v1)" }
        var e = AtomsError(kind: .http, method: method, path: path, status: status,
                           serverErrors: text.isEmpty ? [] : [text], retryable: retryable, hint: hint)
        e.requestId = requestId
        return e
    }
}

/// Decodes `data: null` answers.
public struct EmptyData: Codable, Sendable, Equatable {
    /// Builds an empty payload.
    public init() {}
}

private struct DataEnvelope<T: Decodable>: Decodable { let data: T }
private struct StatusOnly: Decodable { let status: Bool }
