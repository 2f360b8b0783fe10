import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui versions stats` (v1) and `atoms-tui revisions stats` (v2): release health per version.
enum StatsCommand {
    /// Exit code when the active version is significantly worse than the version that served before it.
    static let activeWorseExitCode: Int32 = 6

    static let abstract = "Release health per version from the call logs: calls, failure rate (95 % interval), turn latency p50/p90, cost per call, top reasons; exits 6 when the active version is significantly worse than the one before it."

    static let discussion = """
        The window: since the version before the active one went live, at most the last 7 days and 5,000 calls \
        (--since and --max-calls change it). Calls are cached in $XDG_CACHE_HOME/atoms-tui/call-logs/, so \
        a second run fetches only new calls. Test calls are left out unless --include-tests; calls without a \
        version are shown as "unattributed". "Significantly worse" needs at least 30 calls on both sides and a \
        two-proportion z-test (failure rate) or a Mann–Whitney rank test (turn latency) at p < 0.025 each.

        Exit codes: 0 done (also "too few calls to tell") · 1 API or network error · 2 usage error · \
        6 the active version is significantly worse than the version that served before it.
        """

    /// Parses "24h", "90m", "7d", "2w", "3600s" or an ISO-8601 time into a start date.
    static func parseSince(_ text: String, now: Date) throws -> Date {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let unit = t.last, let n = Double(t.dropLast()), n > 0, n.isFinite {
            let seconds: Double? = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800][String(unit)]
            if let seconds { return now.addingTimeInterval(-n * seconds) }
        }
        if let at = CallRecord.parseTime(t) {
            guard at < now.timeIntervalSince1970 else { throw ValidationError("--since \"\(text)\" is in the future") }
            return Date(timeIntervalSince1970: at)
        }
        throw ValidationError("--since takes a duration such as 24h, 90m, 7d or 2w, or an ISO-8601 time such as 2026-08-20T10:00:00Z (got \"\(text)\")")
    }

    /// Loads and prints the report; throws exit code 6 when the active version is significantly worse.
    static func run(connection: ConnectionOptions, json: Bool, agentRef: String, versionRefs: [String], since: String?,
                    maxCalls: Int, includeTests: Bool, noCache: Bool, generation: APIGeneration) async throws {
        let now = Date()
        let start = try since.map { try parseSince($0, now: now) }
        let (client, _, agent) = try await connection.agentContext(agentRef, for: generation)
        let versions = generation == .v2
            ? try await V2Call.run(connection, client) { try await ReleaseHealthLoader.servingVersions(client: client, agentId: agent.id, generation: .v2) }
            : try await ReleaseHealthLoader.servingVersions(client: client, agentId: agent.id, generation: .v1)
        var cache: CallLogCache?
        if !noCache {
            do { cache = try CallLogCache.openDefault() } catch {
                CLIOutput.stderr("warning: the call-log cache is not usable (\((error as? AtomsError)?.serverErrors.first ?? "\(error)")); reading every call without it")
            }
        }
        let loader = ReleaseHealthLoader(reader: CallLogReader(client: client, cache: cache))
        // An explicit --since may reach further back than the 7-day default cap.
        let maxAge = start.map { max(CallLogWindow.defaultMaxAge, now.timeIntervalSince($0) + 60) } ?? CallLogWindow.defaultMaxAge
        let result = try await loader.load(agentId: agent.id, activeVersionId: agent.activeVersionId, versions: versions,
                                           since: start, maxAge: maxAge, maxCalls: maxCalls, includeTests: includeTests)
        var report = result.report
        let all = report.versions
        if !versionRefs.isEmpty {
            report.versions = try versionRefs.map { ref in
                guard let h = find(ref, in: all, active: agent.activeVersionId) else {
                    let served = all.map { HealthFormat.versionName($0, generation: generation) }.joined(separator: ", ")
                    throw CLIFailure(code: CLIFailure.usage, message: "no version \"\(ref)\" served calls in the window (served: \(served.isEmpty ? "none" : served))")
                }
                return h
            }
        }
        let worse = report.activeWorse
        if json {
            CLIOutput.json(StatsJSON(agent: agent.name, agentId: agent.id, generation: generation, report: report,
                                     requests: result.read.requests, newCalls: result.read.newCalls, truncated: result.read.truncated,
                                     activeSignificantlyWorse: worse != nil))
        } else {
            printText(report, all: all, agent: agent, generation: generation, read: result.read, defaultWindow: start == nil)
        }
        if let worse {
            let active = all.first { $0.versionId == worse.versionId }.map { HealthFormat.versionName($0, generation: generation) } ?? "the active version"
            let previous = all.first { $0.versionId == worse.previousVersionId }.map { HealthFormat.versionName($0, generation: generation) } ?? "the previous version"
            let rollBack = generation == .v2
                ? "atoms-tui revisions restore \(shellQuoted(agent.name)) \(previous) --branch main"
                : "atoms-tui rollback \(shellQuoted(agent.name)) \(previous)"
            CLIOutput.stderr("The active version \(active) is significantly worse than \(previous) (\(worse.verdict.summary.replacingOccurrences(of: "significantly worse: ", with: ""))); roll back with: \(rollBack)")
            throw ExitCode(activeWorseExitCode)
        }
    }

    static func shellQuoted(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } ? s : "\"" + Sanitizer.sanitize(s).replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A version by id, "v13"/"r13"/"13", or "active".
    static func find(_ ref: String, in versions: [VersionHealth], active: String?) -> VersionHealth? {
        let r = ref.lowercased()
        if r == "active" { return versions.first { $0.versionId == active } }
        if let v = versions.first(where: { $0.versionId == ref }) { return v }
        let digits = r.hasPrefix("v") || r.hasPrefix("r") ? String(r.dropFirst()) : r
        guard let n = Int(digits) else { return nil }
        return versions.first { $0.versionNumber == n }
    }

    static func printText(_ report: HealthReport, all: [VersionHealth], agent: Agent, generation: APIGeneration, read: CallLogRead, defaultWindow: Bool) {
        func name(_ id: String?) -> String {
            guard let id else { return "-" }
            return all.first { $0.versionId == id }.map { HealthFormat.versionName($0, generation: generation) } ?? "…" + String(id.suffix(6))
        }
        let from = report.since.map(shortTime) ?? "?", to = report.until.map(shortTime) ?? "?"
        var head = "Release health of \(CLIText.quoted(agent.name)), \(from) → \(to) UTC"
        if read.truncated { head += " (the newest \(CLIText.count(read.records.count, "call")))" } else if defaultWindow { head += " (since the version before the active one went live, at most 7 days)" }
        // The calls counted: the test calls left out are said apart, not counted twice.
        var counts = "\(CLIText.count(max(0, read.records.count - report.testCallsExcluded), "call")) in the window"
        if report.testCallsExcluded > 0 { counts += ", \(report.testCallsExcluded) test call\(report.testCallsExcluded == 1 ? "" : "s") left out (--include-tests)" }
        CLIOutput.stdout(head + "\n" + counts + "\n\n")
        var rows: [[String]] = report.versions.map { h in
            let c = h.versionId.flatMap { report.comparisons[$0] }
            let verdict = c.map { c in c.previousVersionId == nil ? c.verdict.summary : "vs \(name(c.previousVersionId)): \(c.verdict.summary)" } ?? ""
            return [HealthFormat.versionName(h, generation: generation) + (h.versionId == report.activeVersionId ? " ●" : ""),
                    String(h.calls), HealthFormat.percent(h.failureRate), HealthFormat.interval(h.failureInterval),
                    HealthFormat.milliseconds(h.latencyP50), HealthFormat.milliseconds(h.latencyP90), HealthFormat.cost(h.meanCost), verdict]
        }
        if let u = report.unattributed {
            rows.append(["unattributed", String(u.calls), HealthFormat.percent(u.failureRate), HealthFormat.interval(u.failureInterval),
                         HealthFormat.milliseconds(u.latencyP50), HealthFormat.milliseconds(u.latencyP90), HealthFormat.cost(u.meanCost), "not compared"])
        }
        if rows.isEmpty {
            CLIOutput.stdout(report.testCallsExcluded > 0 ? "No calls in the window but the test calls left out (--include-tests counts them).\n"
                                                           : "No calls in the window.\n")
            return
        }
        CLIOutput.table(["VERSION", "CALLS", "FAIL", "95% INTERVAL", "P50", "P90", "COST/CALL", "COMPARED WITH THE VERSION BEFORE"], rows)
        var details = ""
        for h in report.versions + (report.unattributed.map { [$0] } ?? []) {
            details += "\n\(HealthFormat.versionName(h, generation: generation)):\n"
            details += "  failure reasons: \(HealthFormat.reasons(h.topFailureReasons))\n"
            details += "  disconnections: \(HealthFormat.reasons(h.topDisconnectionReasons))\n"
            for d in h.dispositions { details += "  \(HealthFormat.dispositions(d))\n" }
        }
        CLIOutput.stdout(details)
    }

    static func shortTime(_ iso: String) -> String {
        guard let t = CallRecord.parseTime(iso) else { return iso }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    /// `--json`: the report plus what the read cost.
    struct StatsJSON: Encodable {
        var agent: String
        var agentId: String
        var generation: APIGeneration
        var report: HealthReport
        var requests: Int
        var newCalls: Int
        var truncated: Bool
        var activeSignificantlyWorse: Bool
    }
}

/// The options both `stats` commands take.
struct StatsOptions: ParsableArguments {
    @Argument(help: "Agent id or name.") var agent: String
    @Argument(help: "Versions to show (id, vN/rN, or active); default: every version that served calls in the window.") var versions: [String] = []
    @Option(help: "Window start: a duration back from now (24h, 90m, 7d, 2w) or an ISO-8601 time. Default: since the version before the active one went live, at most 7 days.") var since: String?
    @Option(name: .customLong("max-calls"), help: "Read at most this many calls, the newest (1–100000).") var maxCalls = CallLogWindow.defaultMaxCalls
    @Flag(name: .customLong("include-tests"), help: "Count test calls too.") var includeTests = false
    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the call-log cache.") var noCache = false

    func validate() throws {
        guard (1...100_000).contains(maxCalls) else { throw ValidationError("--max-calls takes a number from 1 to 100000") }
        if let since { _ = try StatsCommand.parseSince(since, now: Date()) }
    }

    /// The one run behind `versions stats` and `revisions stats`.
    func run(connection: ConnectionOptions, json: Bool, generation: APIGeneration) async throws {
        try await StatsCommand.run(connection: connection, json: json, agentRef: agent, versionRefs: versions, since: since,
                                   maxCalls: maxCalls, includeTests: includeTests, noCache: noCache, generation: generation)
    }
}

extension VersionsCommand {
    /// `atoms-tui versions stats AGENT [VERSION…]`
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: StatsCommand.abstract, discussion: StatsCommand.discussion)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var options: StatsOptions

        func run() async throws { try await options.run(connection: connection, json: output.json, generation: .v1) }
    }
}

extension RevisionsCommand {
    /// `atoms-tui revisions stats AGENT [REVISION…]` (v2: the live branch's revisions).
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: StatsCommand.abstract, discussion: StatsCommand.discussion)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var options: StatsOptions

        func run() async throws { try await options.run(connection: connection, json: output.json, generation: .v2) }
    }
}
