import Foundation
import AtomsModels

/// Finds agents, versions and drafts by id, by name, or (versions) by number such as `v7`.
/// Ambiguity is an error that lists the candidates.
public struct Resolver: Sendable {
    let client: AtomsClient

    /// Builds a resolver.
    public init(client: AtomsClient) { self.client = client }

    static func ambiguous(_ what: String, _ ref: String, _ candidates: [String]) -> AtomsError {
        AtomsError(kind: .invalidInput, serverErrors: ["\(what) '\(ref)' is ambiguous; candidates: \(candidates.joined(separator: ", "))"],
                   hint: "name it by id")
    }

    static func notFound(_ what: String, _ ref: String, _ hint: String) -> AtomsError {
        AtomsError(kind: .invalidInput, serverErrors: ["no \(what) named '\(ref)'"], hint: hint)
    }

    /// An agent by 24-hex id or by (case-insensitive) name.
    public func agent(_ ref: String) async throws -> Agent {
        if ObjectID.isValid(ref) {
            do { return try await client.getAgent(ref) } catch let e as AtomsError where e.status == 400 || e.status == 404 {
                // Fall through: a name can look like an id only in theory; report not found.
                throw Self.notFound("agent", ref, "list agents with `atoms-tui agents list`")
            }
        }
        var matches: [Agent] = []
        var page = 1
        while page <= 50 {
            let list = try await client.listAgents(AgentListQuery(page: page, pageSize: 100, search: ref))
            matches += list.agents.filter { $0.name.caseInsensitiveCompare(ref) == .orderedSame }
            if list.hasMore != true || list.agents.isEmpty { break }
            page += 1
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw Self.ambiguous("agent", ref, matches.map { "\($0.name) (\($0.id))" }) }
        throw Self.notFound("agent", ref, "list agents with `atoms-tui agents list`")
    }

    /// A published version by id, `vN` / `N`, `active`, or `latest`.
    public func version(agentId: String, _ ref: String) async throws -> AgentVersion {
        if ObjectID.isValid(ref) { return try await client.getVersion(agentId, ref).version }
        let lower = ref.lowercased()
        if lower == "active" {
            let agent = try await client.getAgent(agentId)
            guard let id = agent.activeVersionId ?? agent.versionId else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["agent has no active version"])
            }
            return try await client.getVersion(agentId, id).version
        }
        if lower == "latest" {
            guard let v = try await client.listVersions(agentId, limit: 1).versions.first else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["agent has no versions"])
            }
            return v
        }
        let digits = lower.hasPrefix("v") ? String(lower.dropFirst()) : lower
        guard let number = Int(digits) else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["'\(ref)' is not a version id, a number like v7, 'active' or 'latest'"])
        }
        var skip = 0
        while true {
            let page = try await client.listVersions(agentId, limit: 100, skip: skip)
            if let v = page.versions.first(where: { $0.versionNumber == number }) { return v }
            skip += page.versions.count
            if page.versions.isEmpty || skip >= page.total { break }
        }
        throw Self.notFound("version", ref, "list versions with `atoms-tui versions list AGENT`")
    }

    /// A draft by its `draftId`, row id, or (case-insensitive) name.
    public func draft(agentId: String, _ ref: String) async throws -> AgentVersion {
        let drafts = try await client.listDrafts(agentId)
        if let d = drafts.first(where: { $0.draftId == ref || $0.id == ref }) { return d }
        let named = drafts.filter { ($0.draftName ?? "").caseInsensitiveCompare(ref) == .orderedSame }
        if named.count == 1 { return named[0] }
        if named.count > 1 { throw Self.ambiguous("draft", ref, named.map { "\($0.draftName ?? "") (\($0.draftId ?? $0.id))" }) }
        throw Self.notFound("draft", ref, "list drafts with `atoms-tui drafts list AGENT`")
    }
}
