import Foundation

/// The faults a simulator injects and how often, each a fraction (0...1) of all requests.
/// The kinds are drawn from one deterministic generator seeded by `SimulatorOptions.seed`.
///
/// Every kind except `lost` strikes before the request has any effect, so a client may retry it.
/// `lost` applies the request and then drops the connection without an answer: the dangerous case
/// where a client that retried a publish blindly would publish twice.
public struct FaultMix: Sendable, Equatable, CustomStringConvertible {
    /// `500 {"status":false,"errors":["Internal server error"]}`.
    public var serverError: Double = 0
    /// `503` with `Retry-After: 1`.
    public var unavailable: Double = 0
    /// `429` with `Retry-After: 1`.
    public var throttled: Double = 0
    /// The normal answer, slowed by a random delay of up to `slowMaxMilliseconds`.
    public var slow: Double = 0
    /// The connection is dropped before the request is applied (no answer, no effect).
    public var dropped: Double = 0
    /// The request is applied, then the connection is dropped before the answer (no answer, effect kept).
    public var lost: Double = 0
    /// The longest delay of a slowed answer, in milliseconds.
    public var slowMaxMilliseconds: Int = 5000
    /// Only requests whose `METHOD /route` (ids shown as `:id`, e.g. `POST /agent/:id/drafts/:id/publish`)
    /// contains this text are faulted; nil faults every request.
    public var onlyMatching: String? = nil

    /// No faults.
    public init() {}

    /// One kind of fault.
    public enum Kind: String, Sendable, CaseIterable {
        case serverError = "500"
        case unavailable = "503"
        case throttled = "429"
        case slow
        case dropped = "drop"
        case lost
    }

    /// The rate of one kind.
    public subscript(kind: Kind) -> Double {
        get {
            switch kind {
            case .serverError: serverError
            case .unavailable: unavailable
            case .throttled: throttled
            case .slow: slow
            case .dropped: dropped
            case .lost: lost
            }
        }
        set {
            switch kind {
            case .serverError: serverError = newValue
            case .unavailable: unavailable = newValue
            case .throttled: throttled = newValue
            case .slow: slow = newValue
            case .dropped: dropped = newValue
            case .lost: lost = newValue
            }
        }
    }

    /// The combined rate of every kind.
    public var total: Double { Kind.allCases.reduce(0) { $0 + self[$1] } }

    /// The legacy `faultRate` mix: 500, 503 and a 1.5 s delay in equal parts.
    public static func legacy(rate: Double) -> FaultMix {
        var m = FaultMix()
        m.serverError = rate / 3
        m.unavailable = rate / 3
        m.slow = rate / 3
        m.slowMaxMilliseconds = 1500
        return m
    }

    /// The soak mix: about 20 % of requests in all — 500 4 %, 503 3 %, 429 4 %, slowed up to 5 s 4 %,
    /// dropped before applying 2.5 %, applied but answer lost 2.5 %.
    public static let soak: FaultMix = {
        var m = FaultMix()
        m.serverError = 0.04
        m.unavailable = 0.03
        m.throttled = 0.04
        m.slow = 0.04
        m.dropped = 0.025
        m.lost = 0.025
        return m
    }()

    /// Parses `500=0.04,503=0.03,429=0.04,slow=0.04,drop=0.025,lost=0.025,slow-max-ms=5000[,only=publish]`,
    /// or `soak` for `FaultMix.soak`. Rates must add up to at most 1.
    public static func parse(_ text: String) throws -> FaultMix {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "soak" { return .soak }
        if trimmed.isEmpty || trimmed == "none" { return FaultMix() }
        var m = FaultMix()
        for item in trimmed.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw SimulatorConfigurationError(message: "fault '\(item)' is not KIND=RATE") }
            if parts[0] == "only" {
                m.onlyMatching = parts[1]
                continue
            }
            if parts[0] == "slow-max-ms" {
                guard let ms = Int(parts[1]), ms >= 0 else { throw SimulatorConfigurationError(message: "slow-max-ms takes milliseconds") }
                m.slowMaxMilliseconds = ms
                continue
            }
            guard let kind = Kind(rawValue: parts[0]) else {
                let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw SimulatorConfigurationError(message: "unknown fault kind '\(parts[0])' (known: \(known), slow-max-ms)")
            }
            guard let rate = Double(parts[1]), (0...1).contains(rate) else {
                throw SimulatorConfigurationError(message: "fault rate '\(parts[1])' is not a fraction from 0 to 1")
            }
            m[kind] = rate
        }
        guard m.total <= 1.000001 else { throw SimulatorConfigurationError(message: "fault rates add up to more than 1") }
        return m
    }

    public var description: String {
        var parts = Kind.allCases.filter { self[$0] > 0 }.map { "\($0.rawValue)=\(self[$0])" }
        if slow > 0 { parts.append("slow-max-ms=\(slowMaxMilliseconds)") }
        if let onlyMatching { parts.append("only=\(onlyMatching)") }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }

    /// Picks the fault (if any) for one request from two uniform draws in [0, 1).
    func pick(_ u: Double) -> Kind? {
        var edge = 0.0
        for kind in Kind.allCases {
            edge += self[kind]
            if u < edge { return kind }
        }
        return nil
    }
}
