import Foundation

/// How a simulator behaves: where it listens, what it stores, and which of the platform's
/// conditions (slow scans, faults, freezes, rate limits, the v2 branch model) it reproduces.
public struct SimulatorOptions: Sendable {
    /// Interface to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one.
    public var port: Int = 0
    /// `nil`: any non-empty Bearer token is accepted; set: only this key. Otherwise 401.
    public var apiKey: String? = nil
    /// SQLite file; `nil` keeps everything in memory.
    public var dbPath: String? = nil
    /// How long a security check takes, in seconds; 0 resolves it on the next read.
    public var scanSeconds: Double = 6
    /// ± seconds added to each check's duration, deterministic per version id.
    public var scanJitter: Double = 0
    /// Regular expressions (case-insensitive) that fail a security check when the prompt,
    /// global prompt or first message matches.
    public var denyPatterns: [String] = SimulatorOptions.defaultDenyPatterns
    /// Delay added to every response, in milliseconds.
    public var latencyMilliseconds: Int = 0
    /// Fraction (0...1) of requests answered with a fault: a 500 JSON body, a 503 with
    /// `Retry-After: 1`, or a slowed response. Deterministic from `seed`.
    public var faultRate: Double = 0
    /// The fault mix by kind (500, 503, 429, slowed up to 5 s, dropped, applied-but-answer-lost);
    /// when set it replaces `faultRate`. Deterministic from `seed`.
    public var faults: FaultMix? = nil
    /// Maintenance window: every write answers `423 config_freeze_active`.
    public var freeze: Bool = false
    /// Maximum requests per second per API key; beyond it `429` with `Retry-After`.
    public var rateLimit: Int? = nil
    /// The account is on the v2 branch model: the branch/revision/diff endpoints are served (each agent
    /// gets a live `main` branch holding its versions as revisions on its first request), and the v1
    /// write and list endpoints answer `409 versioning_v2_migration_required` with `Deprecation: true`.
    public var branchModel: Bool = false
    /// Under the branch model, answer `expectedRevision` conflicts with the lean body the production
    /// API sends (`errors: ["section.field"]` only) instead of the rich `data.conflict` body.
    public var leanConflicts: Bool = false
    /// Populate the deterministic demo data when the database is empty.
    public var seedDemo: Bool = false
    /// Seed for ids, faults and jitter.
    public var seed: UInt64 = 1
    /// Benchmarks and load tests: synthetic agents added when the database has no agent yet.
    public var scaleAgents: Int = 0
    /// Published versions per synthetic agent.
    public var scaleVersions: Int = 10
    /// Read-after-write lag (seconds): for this long after a write to an agent, a read of the agent,
    /// its branches or revisions (and `GET /agent` after any write) may answer what it answered
    /// before the write, as the platform's replicas do for 1–3 s. 0: reads see writes at once.
    public var readLag: Double = 0
    /// After a publish answered 202, the new revision stays out of the branch's revision list for
    /// this many seconds (the newest listed revision is still the previous one). 0: listed at once.
    public var listLag: Double = 0
    /// The body of a `429`: the documented general shape, the prompt-scoring shape, or (nil) the
    /// simulator's classic `{status:false, errors:[…]}` (the general shape when a `plan` is set).
    public var rateLimitShape: RateLimitShape? = nil
    /// The account's plan: its agent-count limit (400 "upgrade … plan") and request rate (429).
    /// nil: no plan limits (only `rateLimit`, when set).
    public var plan: SimulatorPlan? = nil
    /// Production calls per day while a version is live (every version; `sim serve --calls-per-day`);
    /// nil: each version's own call profile (about one call every 35–65 minutes). A version keeps its
    /// newest 8 days of calls (at least 80).
    public var callsPerDay: Double? = nil
    /// The organisation may create `multi_agents` (Playbooks) agents; without it → 403.
    public var multiAgentAccess: Bool = false

    /// The default deny-list: an instruction-override phrase, a secret-key-like token and a
    /// 16-digit card-like number.
    public static let defaultDenyPatterns: [String] = [
        #"ignore (all )?(the )?previous instructions"#,
        #"sk-[A-Za-z0-9]{20,}"#,
        #"\b(?:\d[ -]?){15}\d\b"#,
    ]

    /// The request rate in force: `rateLimit`, else the plan's.
    public var effectiveRateLimit: Int? { rateLimit ?? plan?.requestsPerSecond }

    /// Default options: loopback, any port, in memory, 6 s checks, no faults.
    public init() {}
}

/// The documented bodies of a `429`.
public enum RateLimitShape: String, Sendable, CaseIterable {
    /// `{status:false, error:"Rate limit exceeded", code:"RATE_LIMIT_EXCEEDED", retry_after:N}`.
    case docs
    /// `{message, rateLimit:{routeClass, limit, retryAfterSec}}` (the prompt-scoring route).
    case scoring
}

/// The plans of the documented limits.
public enum SimulatorPlan: String, Sendable, CaseIterable {
    case free, pro

    /// Requests per second per key: 10 on Free, 100 on Pro.
    public var requestsPerSecond: Int { self == .free ? 10 : 100 }
    /// Agents the organisation may hold (archived ones excluded): 3 on Free, 25 on Pro.
    public var agentLimit: Int { self == .free ? 3 : 25 }
}
