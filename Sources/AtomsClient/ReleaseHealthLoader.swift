import Foundation
import AtomsModels

/// What the CLI's `stats` and the TUI's health views both load: the calls of the window (through the
/// reader and its cache) and the report computed from them.
public struct ReleaseHealthResult: Sendable {
    public var report: HealthReport
    public var read: CallLogRead
}

/// Loads the release health of an agent: the window (default: since the version before the active
/// one went live, at most 7 days / 5,000 calls), the calls, the statistics. One implementation for
/// both front ends.
public struct ReleaseHealthLoader: Sendable {
    public let reader: CallLogReader
    public let minimumCalls: Int

    /// Builds a loader.
    public init(reader: CallLogReader, minimumCalls: Int = HealthStatistics.defaultMinimumCalls) {
        self.reader = reader
        self.minimumCalls = minimumCalls
    }

    /// The cache at its default place, or none when it cannot be opened (health still loads, uncached).
    public static func defaultCache(paths: AppPaths = AppPaths()) -> CallLogCache? {
        try? CallLogCache.openDefault(paths)
    }

    /// The versions (v1) or the live branch's revisions (v2) whose activation times set the default window.
    public static func servingVersions(client: AtomsClient, agentId: String, generation: APIGeneration) async throws -> [AgentVersion] {
        switch generation {
        case .v1:
            return try await client.listVersions(agentId, limit: 100).versions
        case .v2:
            let branches = try await client.listBranches(agentId)
            guard let live = branches.first(where: { $0.isLive }) ?? branches.first(where: { $0.branch.isDefault }) else { return [] }
            return try await client.listRevisions(agentId, live.branch.id, limit: 100).revisions
        }
    }

    /// Loads the report. `since` nil: the default window start from `versions`' activations.
    public func load(agentId: String, activeVersionId: String?, versions: [AgentVersion], since: Date? = nil,
                     maxAge: TimeInterval = CallLogWindow.defaultMaxAge, maxCalls: Int = CallLogWindow.defaultMaxCalls,
                     includeTests: Bool = false) async throws -> ReleaseHealthResult {
        let start = since ?? CallLogWindow.defaultSince(versions: versions, activeVersionId: activeVersionId)
        let read = try await reader.read(agentId: agentId, window: CallLogWindow(since: start, maxAge: maxAge, maxCalls: maxCalls))
        // Cut by the call cap: the window begins at the oldest call read.
        let from = read.truncated ? (read.records.last?.time ?? read.start) : read.start
        let report = HealthStatistics.report(agentId: agentId, calls: read.records, window: (from, read.end),
                                             activeVersionId: activeVersionId, includeTests: includeTests,
                                             minimumCalls: minimumCalls)
        return ReleaseHealthResult(report: report, read: read)
    }
}
