import Foundation
import AtomsModels

/// Counts the faults a simulator injected, by kind and by `KIND METHOD /route` (ids shown as `:id`),
/// so soak and load runs can report what they went through.
public final class FaultCounter: Sendable {
    private let counts = Locked<[String: Int]>([:])

    /// An empty counter.
    public init() {}

    func record(_ kind: FaultMix.Kind, method: String, path: String) {
        let route = Self.routeShape(path)
        counts.withLock { c in
            c[kind.rawValue, default: 0] += 1
            c["\(kind.rawValue) \(method) \(route)", default: 0] += 1
        }
    }

    /// Every count: keys are a kind (`500`, `503`, `429`, `slow`, `drop`, `lost`) or `KIND METHOD /route`.
    public var snapshot: [String: Int] { counts.withLock { $0 } }

    /// How many faults of one kind were injected.
    public func count(_ kind: FaultMix.Kind) -> Int { snapshot[kind.rawValue] ?? 0 }

    /// `/atoms/v1/agent/65f…/drafts/65f…/publish` → `/agent/:id/drafts/:id/publish`.
    static func routeShape(_ path: String) -> String {
        var p = path
        if p.hasPrefix(SimulatorAPI.basePath) { p.removeFirst(SimulatorAPI.basePath.count) }
        return p.split(separator: "/", omittingEmptySubsequences: false).map { seg in
            seg.count == 24 && seg.allSatisfy(\.isHexDigit) ? ":id" : String(seg)
        }.joined(separator: "/")
    }
}

extension SimulatorAPI {
    /// The fault mix in force: `options.faults`, else the legacy `faultRate` mix.
    static func faultMix(_ options: SimulatorOptions) -> FaultMix {
        options.faults ?? (options.faultRate > 0 ? FaultMix.legacy(rate: options.faultRate) : FaultMix())
    }

    /// Draws a fault for this request and applies it around `answer` (the routed request).
    /// 500 / 503 / 429 / dropped strike before `answer` runs, so nothing changes on the server;
    /// slowed answers run it and wait; lost answers run it and then drop the connection.
    func withFaults(_ options: SimulatorOptions, method: String = "", path: String = "",
                    _ answer: () -> SimResponse) -> SimResponse {
        let mix = Self.faultMix(options)
        guard mix.total > 0 else { return answer() }
        if let only = mix.onlyMatching, !"\(method) \(FaultCounter.routeShape(path))".contains(only) { return answer() }
        let (u, v) = rng.withLock { r in (r.nextUnit(), r.nextUnit()) }
        guard let kind = mix.pick(u) else { return answer() }
        faultCounter.record(kind, method: method, path: path)
        switch kind {
        case .serverError:
            return Self.error(SimulatorError(status: 500, errors: ["Internal server error"]))
        case .unavailable:
            return Self.error(SimulatorError(status: 503, errors: ["Service temporarily unavailable"], headers: ["Retry-After": "1"]))
        case .throttled:
            return Self.error(SimulatorError(status: 429, errors: ["Too many requests, please try again later."],
                                             headers: ["Retry-After": "1"]))
        case .dropped:
            var r = SimResponse(status: 200, headers: [], body: Data())
            r.dropConnection = true
            return r
        case .slow:
            var r = answer()
            r.delayMilliseconds += Int((v * Double(mix.slowMaxMilliseconds)).rounded())
            return r
        case .lost:
            var r = answer()
            r.dropConnection = true
            return r
        }
    }
}
