import Foundation
import AtomsModels

/// An agent's release health: the last report (kept while a new one loads) and the load's state.
public struct HealthLoad: Sendable, Equatable {
    public var report: HealthReport?
    public var loading: Bool
    public var error: String?

    /// Builds a load state.
    public init(report: HealthReport? = nil, loading: Bool = false, error: String? = nil) {
        self.report = report
        self.loading = loading
        self.error = error
    }
}

/// Release health in the TUI: loaded after an agent's versions arrive (never before the first frame),
/// shown as compact columns in the Versions/History pane, a Health section in a version's detail, and
/// a status-line warning naming the roll-back key when the active version is significantly worse.
extension AppState {
    /// Wants an agent's health once it has stayed selected a moment (`.tick` asks for it).
    mutating func wantHealth(_ agentId: String) {
        guard agentId == selectedAgentId else { return }
        healthWanted = (agentId, now)
    }

    /// Asks for an agent's health (keeps the last report on screen meanwhile).
    mutating func loadHealth(_ agentId: String) -> [Effect] {
        health[agentId, default: HealthLoad()].loading = true
        return [.loadHealth(agentId: agentId, generation: apiGeneration)]
    }

    mutating func healthArrived(agentId: String, report: HealthReport) {
        health[agentId] = HealthLoad(report: report, loading: false, error: nil)
    }

    mutating func healthFailed(agentId: String, _ message: String) {
        health[agentId, default: HealthLoad()].loading = false
        health[agentId]?.error = message
    }

    /// The selected agent's report, when loaded.
    var selectedHealth: HealthReport? { selectedAgentId.flatMap { health[$0]?.report } }

    /// "v13" / "r13" for a version id of the selected agent (from the report, else the loaded rows).
    func healthName(_ versionId: String?, in report: HealthReport) -> String {
        guard let id = versionId else { return "unattributed" }
        if let h = report.health(of: id) { return HealthFormat.versionName(h, generation: apiGeneration) }
        if let v = selectedAgentId.flatMap({ versions[$0] })?.items.first(where: { $0.id == id }) { return isV2 ? v.revisionLabel : v.displayNumber }
        return "…" + String(id.suffix(6))
    }

    /// The compact columns of a version row: calls, failure %, p50 latency (blank for a version
    /// that served no calls in the window). 18 cells.
    static let healthColumnsWidth = 17

    func healthColumns(_ versionId: String, report: HealthReport) -> String {
        guard let h = report.health(of: versionId), h.calls > 0 else { return String(repeating: " ", count: Self.healthColumnsWidth) }
        let p50 = h.latencyP50.map { $0 < 1000 ? "\(Int($0.rounded()))ms" : String(format: "%.1fs", $0 / 1000) } ?? "-"
        return DisplayWidth.pad(String(h.calls), to: 5, alignRight: true) + DisplayWidth.pad(HealthFormat.percent(h.failureRate), to: 6, alignRight: true)
            + DisplayWidth.pad(p50, to: 6, alignRight: true)
    }

    /// The status line's warning when the selected agent's active version is significantly worse.
    var healthAlert: String? {
        // The active version as the state knows it now (a roll back moves it before health reloads).
        guard let report = selectedHealth, let active = activeVersionId, let worse = report.comparisons[active], worse.verdict.isWorse,
              let previous = worse.previousVersionId else { return nil }
        let what = worse.verdict.summary.replacingOccurrences(of: "significantly worse: ", with: "")
        let activeName = healthName(worse.versionId, in: report), before = healthName(previous, in: report)
        return "⚠ roll back: a on \(before), then y — \(activeName) is significantly worse than \(before) (\(what))"
    }

    /// The Health section of a version's detail: its figures next to the version that served before
    /// it, the verdict, calls and failures per hour, top reasons.
    func healthLines(_ v: AgentVersion) -> [DetailLine] {
        // A revision that was never committed (its scan failed or runs) never served a call.
        if isV2 && v.status != .published { return [] }
        guard let agentId = selectedAgentId, let load = health[agentId] else { return [] }
        // Nothing while the first report loads: the detail does not jump when it arrives a moment later.
        guard let report = load.report else {
            if let e = load.error { return [DetailLine("Health: could not read the call logs: \(e)", style: .dim), DetailLine("")] }
            return []
        }
        let name = isV2 ? v.revisionLabel : v.displayNumber
        guard let h = report.health(of: v.id), h.calls > 0 else {
            return [DetailLine("Health: \(name) served no calls in the window", style: .dim), DetailLine("")]
        }
        var lines = [DetailLine("Health" + (load.loading ? " (refreshing…)" : "") + " · calls since " + shortWindowStart(report) + " · fail % [95 % interval]", style: .bold)]
        let comparison = report.comparisons[v.id]
        let previous = comparison?.previousVersionId.flatMap { report.health(of: $0) }
        func figures(_ x: VersionHealth) -> String {
            let i = String(format: "[%.1f–%.1f]", x.failureInterval.low * 100, x.failureInterval.high * 100)
            let cost = x.meanCost.map { String(format: "$%.2f/call", $0) } ?? ""
            return DisplayWidth.pad(HealthFormat.versionName(x, generation: apiGeneration), to: 4) + DisplayWidth.pad(String(x.calls), to: 6, alignRight: true)
                + (x.calls == 1 ? " call   fail " : " calls  fail ") + DisplayWidth.pad(HealthFormat.percent(x.failureRate), to: 5, alignRight: true) + " " + i
                + "  p50 " + HealthFormat.milliseconds(x.latencyP50) + " p90 " + HealthFormat.milliseconds(x.latencyP90) + "  " + cost
        }
        lines.append(DetailLine(figures(h)))
        if let p = previous { lines.append(DetailLine(figures(p), style: .dim)) }
        if let c = comparison {
            let text = c.previousVersionId == nil ? c.verdict.summary : "vs \(healthName(c.previousVersionId, in: report)): \(c.verdict.summary)"
            lines.append(DetailLine(text, style: c.verdict.isWorse ? .failed : .dim))
        }
        let width = 48
        lines.append(DetailLine("calls/h    " + HealthFormat.sparkline(h.hourlyCalls, width: width)))
        lines.append(DetailLine("failures/h " + HealthFormat.sparkline(h.hourlyFailures, width: width, scaleTo: h.hourlyCalls),
                                style: h.failures > 0 ? .warning : .dim))
        lines.append(DetailLine("failure reasons: " + HealthFormat.reasons(h.topFailureReasons), style: .dim))
        if !h.topDisconnectionReasons.isEmpty { lines.append(DetailLine("disconnections: " + HealthFormat.reasons(h.topDisconnectionReasons), style: .dim)) }
        for d in h.dispositions.prefix(2) { lines.append(DetailLine(HealthFormat.dispositions(d), style: .dim)) }
        lines.append(DetailLine(""))
        return lines
    }

    private func shortWindowStart(_ report: HealthReport) -> String {
        guard let s = report.since else { return "?" }
        return RelativeAge.phrase(iso: s, now: now)
    }
}
