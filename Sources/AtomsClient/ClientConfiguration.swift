import Foundation

/// Where and how the client talks to the Atoms API.
public struct ClientConfiguration: Sendable {
    /// The default live API.
    public static let defaultBaseURL = URL(string: "https://api.smallest.ai/atoms/v1")!

    /// Base URL, e.g. `https://api.smallest.ai/atoms/v1`.
    public var baseURL: URL
    /// The Bearer key. Never printed, logged or put in an error.
    public var apiKey: String
    /// Per-request timeout in seconds.
    public var requestTimeout: TimeInterval
    /// How many times a retryable request is tried again.
    public var maxRetries: Int
    /// First backoff delay in seconds (doubles each retry, with jitter).
    public var baseBackoff: TimeInterval
    /// Longest single wait, including `Retry-After`.
    public var maxBackoff: TimeInterval
    /// The account's request rate (requests per second), when known (a profile's `requestsPerSecond`,
    /// 10 on Free, 100 on Pro). nil: adaptive — the client starts at the Pro rate and drops to the
    /// rate a `429` reveals (its `rateLimit.limit`, else the Free rate) for the rest of its life.
    /// The client-side limiter stays a little under it (see `RateLimiter`).
    public var requestsPerSecond: Double?
    /// How many times a request answered `429` is tried again (each after `Retry-After` or the body's
    /// `retry_after` / `rateLimit.retryAfterSec`). A 429 is answered before anything is applied, so
    /// writes are retried too.
    public var maxRateLimitRetries: Int
    /// The 429 retries in force: none when the client is configured never to retry (`maxRetries` 0),
    /// else the larger of `maxRetries` and `maxRateLimitRetries`.
    public var effectiveRateLimitRetries: Int { maxRetries <= 0 ? 0 : max(maxRetries, maxRateLimitRetries) }
    /// How long verification reads (read-back after an edit, activation and make-live checks, finding
    /// a 202's revision) keep retrying before concluding: the platform's reads can lag writes by 1–3 s.
    public var visibilityTimeout: TimeInterval

    /// Builds a configuration.
    public init(baseURL: URL = ClientConfiguration.defaultBaseURL, apiKey: String, requestTimeout: TimeInterval = 20,
                maxRetries: Int = 3, baseBackoff: TimeInterval = 0.25, maxBackoff: TimeInterval = 8,
                requestsPerSecond: Double? = nil, maxRateLimitRetries: Int = 6, visibilityTimeout: TimeInterval = 8) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.requestsPerSecond = requestsPerSecond
        self.maxRateLimitRetries = maxRateLimitRetries
        self.visibilityTimeout = visibilityTimeout
    }

    /// Refuses plain `http://` to a non-loopback host unless `insecure` is set: the key would travel in clear.
    public static func checkBaseURL(_ url: URL, insecure: Bool) throws {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["base URL \"\(url.absoluteString)\" is not an http(s) URL"])
        }
        if scheme == "http" && !insecure {
            let host = url.host ?? ""
            let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
            if !loopback {
                throw AtomsError(kind: .invalidInput, serverErrors: [
                    "refusing to send the API key over plain http to \(host); use https or pass --insecure",
                ])
            }
        }
    }
}
