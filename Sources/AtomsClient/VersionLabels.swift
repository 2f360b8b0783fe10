import Foundation
import AtomsModels

/// Short names for version / revision ids in tables (`v12`, `r4`) where the API hands out ids only.
public struct VersionLabels: Sendable {
    let client: AtomsClient

    /// Builds the helper.
    public init(client: AtomsClient) { self.client = client }

    /// `v12` (v1) / `r4` (v2: any row with a revision number) for each agent's active version, by agent id: one by-id read per agent with an active
    /// version, at most `concurrency` at a time. An id that cannot be read is left out (the caller shows
    /// the id instead).
    public func activeVersions(of agents: [Agent], concurrency: Int = 4) async -> [String: String] {
        let wanted = agents.compactMap { a in (a.activeVersionId ?? a.versionId).map { (a.id, $0) } }
        var out: [String: String] = [:]
        var index = 0
        await withTaskGroup(of: (String, String?).self) { group in
            func next() {
                guard index < wanted.count else { return }
                let (agentId, versionId) = wanted[index]
                index += 1
                group.addTask {
                    let v = try? await client.getVersion(agentId, versionId).version
                    // `r38` for a v2 revision (a migrated one keeps its versionNumber too), as `branches list` says.
                    return (agentId, v?.revisionLabel)
                }
            }
            for _ in 0..<max(1, concurrency) { next() }
            while let (agentId, label) = await group.next() {
                if let label { out[agentId] = label }
                next()
            }
        }
        return out
    }

    /// `v3` for each version id of an agent (every page of its versions; v1).
    public func versionNumbers(agentId: String) async throws -> [String: String] {
        var out: [String: String] = [:]
        var skip = 0
        while true {
            let page = try await client.listVersions(agentId, limit: 100, skip: skip)
            for v in page.versions { out[v.id] = v.displayNumber }
            skip += page.versions.count
            if page.versions.isEmpty || skip >= page.total { break }
        }
        return out
    }
}
