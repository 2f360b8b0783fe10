import ArgumentParser
import AtomsSimulator
import Foundation

/// `atoms-tui sim serve`: the local Atoms API simulator.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim", abstract: "The local Atoms API simulator.", subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the simulator on loopback; prints its base URL and its host-only form.",
            discussion: "Point the CLI at it with --base-url http://127.0.0.1:PORT/atoms/v1 and any --api-key (or the one given with --key). "
                + "Tools that append /atoms/v1 themselves take the host-only form (http://127.0.0.1:PORT), printed on the second line.\n\n"
                + "The platform's documented real-world conditions are off by default: --read-lag, --list-lag, --rate-limit-shape, "
                + "--plan and --multi-agents reproduce them.")
        @Option(help: "Port (0 picks a free one; the bound port is printed).") var port = 0
        @Option(help: "SQLite database path (in memory when omitted).") var db: String?
        @Option(name: .customLong("scan-seconds"), help: "Security-check duration in seconds.") var scanSeconds: Double = 6
        @Option(name: .customLong("scan-jitter"), help: "± seconds added to each check's duration (deterministic per version).") var scanJitter: Double = 0
        @Option(name: .customLong("deny-pattern"), help: "A regex that fails the security check (repeatable; replaces the defaults).") var denyPattern: [String] = []
        @Option(help: "Require this Bearer key (default: any non-empty key).") var key: String?
        @Option(help: "Added latency per response, in milliseconds.") var latency = 0
        @Option(name: .customLong("fault-rate"), help: "Fraction (0–1) of requests answered with a fault.") var faultRate: Double = 0
        @Option(help: "Fault mix by kind, comma-separated, e.g. 500=0.04,503=0.03,429=0.04 — kinds 500, 503, 429, slow, drop, lost, plus slow-max-ms=5000 and only=publish — or soak (the ~20 % mix of 500=0.04, 503=0.03, 429=0.04, slow=0.04, drop=0.025, lost=0.025). Replaces --fault-rate; deterministic from --seed. drop: closed before applying; lost: applied, then closed without an answer.") var faults: String?
        @Flag(help: "Answer writes with 423 config_freeze_active.") var freeze = false
        @Option(name: .customLong("rate-limit"), help: "Requests per second before 429 + Retry-After.") var rateLimit: Int?
        @Option(name: .customLong("read-lag"), help: "Seconds after a write during which reads of that agent (and GET /agent) may still answer what they answered before it (the platform's 1–3 s read-after-write lag).") var readLag: Double = 0
        @Option(name: .customLong("list-lag"), help: "Seconds a new revision stays out of the branch's revision list after a publish (a 202's revision appears late).") var listLag: Double = 0
        @Option(name: .customLong("rate-limit-shape"), help: "The 429 body: docs ({status:false, error, code: RATE_LIMIT_EXCEEDED, retry_after}) or scoring ({message, rateLimit:{routeClass, limit, retryAfterSec}}). Default: the classic {status:false, errors} body, or docs with --plan.") var rateLimitShape: String?
        @Option(help: "The account's plan: free (3 agents, 10 requests/s) or pro (25 agents, 100 requests/s). Over the agent limit → 400 \"… upgrade your plan …\"; over the rate → 429 with Retry-After. Off by default.") var plan: String?
        @Flag(name: .customLong("multi-agents"), help: "The organisation may create multi_agents (Playbooks) agents; without it creating one answers 403 \"… not available for your organization\".") var multiAgents = false
        @Option(name: .customLong("branch-model"), help: "on: serve v2 (branches + revisions; existing v1 data migrates to each agent's main branch); v1 writes and lists answer 409 versioning_v2_migration_required.") var branchModel: String = "off"
        @Flag(name: .customLong("lean-conflicts"), help: "v2: answer expectedRevision conflicts with the lean errors: [\"section.field\"] body (as production does) instead of the rich data.conflict body.") var leanConflicts = false
        @Flag(name: .customLong("seed-demo"), help: "Seed the demo agents when the database is empty.") var seedDemo = false
        @Option(help: "Seed for the demo data and fault injection.") var seed: UInt64 = 1
        @Option(name: .customLong("scale-agents"), help: "Add this many synthetic agents when the database is empty (benchmarks).") var scaleAgents = 0
        @Option(name: .customLong("scale-versions"), help: "Published versions per synthetic agent.") var scaleVersions = 10
        @Option(name: .customLong("calls-per-day"), help: "Production calls per day while a version is live, for every version (call logs at scale; a version keeps 8 days of calls). Default: each version's own profile, about one call every 35–65 minutes.") var callsPerDay: Double?

        func validate() throws {
            guard ["on", "off"].contains(branchModel) else { throw ValidationError("--branch-model takes on or off") }
            guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate is a fraction from 0 to 1") }
            if let faults { do { _ = try FaultMix.parse(faults) } catch { throw ValidationError("--faults: \(error)") } }
            guard scanSeconds >= 0 else { throw ValidationError("--scan-seconds must not be negative") }
            guard readLag >= 0, readLag <= 3600 else { throw ValidationError("--read-lag takes seconds from 0 to 3600") }
            guard listLag >= 0, listLag <= 3600 else { throw ValidationError("--list-lag takes seconds from 0 to 3600") }
            if let rateLimitShape, RateLimitShape(rawValue: rateLimitShape) == nil {
                throw ValidationError("--rate-limit-shape takes docs or scoring")
            }
            if let plan, SimulatorPlan(rawValue: plan) == nil { throw ValidationError("--plan takes free or pro") }
            if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1") }
            if let callsPerDay, !(callsPerDay > 0 && callsPerDay <= 250_000) {
                throw ValidationError("--calls-per-day takes a number above 0 and at most 250000")
            }
            for p in denyPattern where (try? NSRegularExpression(pattern: p)) == nil {
                throw ValidationError("--deny-pattern \"\(p)\" is not a valid regular expression")
            }
        }

        func run() async throws {
            var o = SimulatorOptions()
            o.port = port
            o.dbPath = db
            o.scanSeconds = scanSeconds
            o.scanJitter = scanJitter
            if !denyPattern.isEmpty { o.denyPatterns = denyPattern }
            o.apiKey = key
            o.latencyMilliseconds = latency
            o.faultRate = faultRate
            if let faults { o.faults = try FaultMix.parse(faults) }
            o.freeze = freeze
            o.rateLimit = rateLimit
            o.readLag = readLag
            o.listLag = listLag
            o.rateLimitShape = rateLimitShape.flatMap(RateLimitShape.init(rawValue:))
            o.plan = plan.flatMap(SimulatorPlan.init(rawValue:))
            o.multiAgentAccess = multiAgents
            o.branchModel = branchModel == "on"
            o.leanConflicts = leanConflicts
            o.seedDemo = seedDemo
            o.seed = seed
            o.scaleAgents = scaleAgents
            o.scaleVersions = scaleVersions
            o.callsPerDay = callsPerDay
            try await SimulatorServer.run(o)
        }
    }
}
