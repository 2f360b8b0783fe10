import Foundation
import AtomsModels

/// The one error type of the client. Its description is one line a person can act on; it never
/// contains the API key.
public struct AtomsError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Equatable {
        /// The server answered with an error status.
        case http
        /// No answer: connection refused, reset, DNS, TLS.
        case network
        /// The request or the whole operation ran out of time.
        case timeout
        /// The server answered 2xx but the body was not what the spec says.
        case decoding
        /// Configuration or input problem found before anything was sent.
        case invalidInput
        /// A lifecycle rule refused the operation (e.g. activating an unchecked version).
        case refused
        /// The security check failed.
        case securityCheckFailed
    }

    public var kind: Kind
    public var method: String
    public var path: String
    /// HTTP status, when the server answered.
    public var status: Int?
    /// The server's `errors`.
    public var serverErrors: [String]
    /// The server's `error_type`.
    public var errorType: ErrorType?
    /// Whether trying again later can help.
    public var retryable: Bool
    /// Extra words from the client (what to do next).
    public var hint: String?
    /// The raw error body, when it was JSON (the v2 conflict body lives here).
    public var body: JSONValue?
    /// The server's `x-request-id` for this answer (support asks for it).
    public var requestId: String?

    /// Builds an error.
    public init(kind: Kind, method: String = "", path: String = "", status: Int? = nil, serverErrors: [String] = [],
                errorType: ErrorType? = nil, retryable: Bool = false, hint: String? = nil, body: JSONValue? = nil) {
        self.kind = kind
        self.method = method
        self.path = path
        self.status = status
        self.serverErrors = serverErrors
        self.errorType = errorType
        self.retryable = retryable
        self.hint = hint
        self.body = body
    }

    /// True for a plan limit: a 400 whose text says to upgrade the plan.
    public var isPlanLimit: Bool {
        status == 400 && serverErrors.contains { $0.range(of: #"upgrade\b.*\bplan"#, options: [.regularExpression, .caseInsensitive]) != nil }
    }

    /// True for an organisation allow-list refusal: a 403 "… not available for your organization".
    public var isNotAvailableForOrganization: Bool {
        status == 403 && serverErrors.contains { $0.range(of: "not available for your (organi[sz]ation|account)", options: [.regularExpression, .caseInsensitive]) != nil }
    }

    /// What to do about a plan-limit or allow-list answer (nil for other errors).
    static func advice(status: Int, messages: [String]) -> String? {
        let probe = AtomsError(kind: .http, status: status, serverErrors: messages)
        if probe.isPlanLimit {
            return "the account's plan limit is reached: archive agents you no longer need (`atoms-tui agents archive`) or upgrade the plan in the Smallest AI console"
        }
        if probe.isNotAvailableForOrganization {
            return "this feature is not enabled for your organisation: ask Smallest AI support to enable it (quote the x-request-id)"
        }
        if status == 429 {
            return "the account's request rate was exceeded and retries ran out; wait a few seconds and try again"
        }
        return nil
    }

    /// True for `409 versioning_v2_migration_required`.
    public var isMigrationRequired: Bool { errorType == .versioningV2MigrationRequired }

    public var description: String {
        // The server's messages, one after another (a closing full stop before "; " goes).
        let serverText = serverErrors.enumerated().map { i, e in i < serverErrors.count - 1 ? Self.withoutFullStop(e) : e }.joined(separator: "; ")
        var parts: [String] = []
        let where_ = method.isEmpty ? path : "\(method) \(path)"
        switch kind {
        case .http:
            var head = "\(where_) → \(status.map(String.init) ?? "?")"
            if let t = errorType { head += " \(t.rawValue)" }
            parts.append(head)
            if isMigrationRequired {
                parts.append("this account uses the Atoms v2 branch model (branches + revisions); v1 drafts/versions writes are switched off for it")
            } else if !serverErrors.isEmpty {
                parts.append(serverText)
            }
            if status == 401 { parts.append("check the key given by --api-key, SMALLEST_API_KEY or the profile's apiKey") }
            if status == 423 {
                // The server's own words usually say it already: do not say it twice.
                let said = serverErrors.contains { $0.range(of: "maintenance|frozen|freeze", options: [.regularExpression, .caseInsensitive]) != nil }
                parts.append(said ? "reads still work; try again later" : "writes are frozen for a maintenance window (reads still work); try again later")
            }
        case .network: parts.append("\(where_): network error")
        case .timeout: parts.append("\(where_): timed out")
        case .decoding: parts.append("\(where_): unexpected response")
        case .invalidInput, .refused, .securityCheckFailed: if !where_.isEmpty { parts.append(where_) }
        }
        if kind != .http, !serverErrors.isEmpty { parts.append(serverText) }
        if let hint { parts.append(hint) }
        // "… try again later.: the account's …": a part's closing full stop goes before the next part's colon.
        let joined = parts.enumerated().map { i, p in i < parts.count - 1 ? Self.withoutFullStop(p) : p }
        var line = joined.joined(separator: ": ")
        if let requestId, !requestId.isEmpty { line += " (x-request-id \(requestId))" }
        return line.replacingOccurrences(of: "\n", with: " ")
    }
}

extension AtomsError {
    /// `s` without one closing full stop (an ellipsis stays).
    static func withoutFullStop(_ s: String) -> String {
        guard s.hasSuffix("."), !s.hasSuffix("..") else { return s }
        return String(s.dropLast())
    }
}

extension AtomsError: LocalizedError {
    public var errorDescription: String? { description }
}
