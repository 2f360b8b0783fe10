import Foundation
import AtomsModels

/// Finds agents, versions and drafts by id, by name, or (versions) by number such as `v7`.
/// Ambiguity is an error that lists the candidates.
public struct Resolver: Sendable {
    let client: AtomsClient

    /// Builds a resolver.
    public init(client: AtomsClient) { self.client = client }

    static func ambiguous(_ what: String, _ ref: String, _ candidates: [String]) -> AtomsError {
        AtomsError(kind: .invalidInput, serverErrors: ["\(what) \"\(ref)\" is ambiguous; candidates: \(candidates.joined(separator: ", "))"],
                   hint: "name it by id")
    }

    static func notFound(_ what: String, _ ref: String, _ hint: String, suggestions: [String] = []) -> AtomsError {
        let close = suggestions.map { "\"\($0)\"" }.joined(separator: ", ")
        return AtomsError(kind: .invalidInput, serverErrors: ["no \(what) named \"\(ref)\""],
                          hint: suggestions.isEmpty ? hint : "did you mean \(close)? (\(hint))")
    }

    /// An empty reference is refused before anything is sent.
    static func checkNotEmpty(_ what: String, _ ref: String) throws {
        if ref.trimmingCharacters(in: .whitespaces).isEmpty {
            throw AtomsError(kind: .invalidInput, serverErrors: ["the \(what) name is empty"], hint: "give an id or a name")
        }
    }

    /// One match among `candidates` by name (case- and accent-insensitive), or the error that says why
    /// not: ambiguous (with the candidates), or not found with the closest names.
    static func pick<T>(_ what: String, _ ref: String, _ candidates: [T], name: (T) -> String, id: (T) -> String,
                        hint: String) throws -> T {
        let found = NameMatching.matches(ref, in: candidates, name: name)
        if found.count == 1 { return found[0] }
        if found.count > 1 { throw ambiguous(what, ref, found.map { "\"\(name($0))\" (\(id($0)))" }) }
        throw notFound(what, ref, hint, suggestions: NameMatching.suggestions(for: ref, among: candidates.map(name)))
    }

    /// An agent by 24-hex id or by name (case- and accent-insensitive; "did you mean …" when none matches).
    public func agent(_ ref: String) async throws -> Agent {
        try Self.checkNotEmpty("agent", ref)
        let hint = "list agents with `atoms-tui agents list`"
        if ObjectID.isValid(ref) {
            do { return try await client.getAgent(ref) } catch let e as AtomsError where e.status == 400 || e.status == 404 {
                // Fall through: a name can look like an id only in theory; report not found.
                throw Self.notFound("agent", ref, hint)
            }
        }
        // The server's search first (cheap); it may not fold accents, so without a match every agent is read.
        var found: [Agent] = []
        for search in [ref as String?, nil] {
            found = []
            var page = 1
            while page <= (search == nil ? 20 : 50) {
                let list = try await client.listAgents(AgentListQuery(page: page, pageSize: 100, search: search))
                found += list.agents
                if list.hasMore != true || list.agents.isEmpty { break }
                page += 1
            }
            if !NameMatching.matches(ref, in: found, name: \.name).isEmpty { break }
        }
        return try Self.pick("agent", ref, found, name: \.name, id: \.id, hint: hint)
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
            throw AtomsError(kind: .invalidInput, serverErrors: ["\"\(ref)\" is not a version id, a number like v7, \"active\" or \"latest\""])
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

    /// A draft by its `draftId`, row id, or name (case- and accent-insensitive; "did you mean …" otherwise).
    public func draft(agentId: String, _ ref: String) async throws -> AgentVersion {
        try Self.checkNotEmpty("draft", ref)
        let drafts = try await client.listDrafts(agentId)
        if let d = drafts.first(where: { $0.draftId == ref || $0.id == ref }) { return d }
        return try Self.pick("draft", ref, drafts, name: { $0.draftName ?? "" }, id: { $0.draftId ?? $0.id },
                             hint: "list drafts with `atoms-tui drafts list AGENT`")
    }

    /// Refuses a draft name that another draft of the agent already has (compared as names are resolved:
    /// case- and accent-insensitively), so every draft stays reachable by name. `except` is the draft being
    /// renamed. Nothing is sent when it throws.
    public func checkDraftNameFree(agentId: String, _ name: String, except: String? = nil) async throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["the draft name is empty"], hint: "give 1–100 characters")
        }
        let drafts = try await client.listDrafts(agentId)
        let key = NameMatching.fold(trimmed)
        if let other = drafts.first(where: { NameMatching.fold($0.draftName ?? "") == key && ($0.draftId ?? $0.id) != except && $0.id != except }) {
            throw AtomsError(kind: .invalidInput,
                             serverErrors: ["a draft named \"\(other.draftName ?? "")\" already exists (\(other.draftId ?? other.id))"],
                             hint: "choose another name; names are compared ignoring case and accents")
        }
    }
}
