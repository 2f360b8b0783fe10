import Foundation
import AtomsModels

/// `--api`: force a generation or detect it.
public enum APIMode: String, Sendable, CaseIterable {
    case v1, v2, auto
}

/// Decides whether an account is v1 or v2: a cheap probe on first use (a v1 list read answering
/// `409 versioning_v2_migration_required` means v2), remembered per account in a small file under
/// the state directory, and corrected whenever a migration 409 is seen.
public struct APIGenerationDetector: Sendable {
    /// `$XDG_STATE_HOME/atoms-tui/api-generation.json`.
    public let file: URL

    /// Builds a detector keeping its cache under `stateDirectory`.
    public init(stateDirectory: URL) {
        file = stateDirectory.appendingPathComponent("api-generation.json")
    }

    /// The cache key of an account (no key material: a hash of base URL + key).
    public static func accountKey(_ client: AtomsClient) -> String {
        CheckDurationHistory.accountFingerprint(baseURL: client.configuration.baseURL, apiKey: client.configuration.apiKey)
    }

    func load() -> [String: APIGeneration] {
        guard let data = try? Data(contentsOf: file),
              let map = try? JSONDecoder().decode([String: APIGeneration].self, from: data) else { return [:] }
        return map
    }

    /// The remembered generation of the client's account, if any.
    public func cached(for client: AtomsClient) -> APIGeneration? { load()[Self.accountKey(client)] }

    /// Remembers the generation of the client's account.
    public func remember(_ generation: APIGeneration, for client: AtomsClient) {
        var map = load()
        map[Self.accountKey(client)] = generation
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        if let data = try? enc.encode(map) { try? AppPaths.writePrivate(data, to: file) }
    }

    /// Forgets the client's account (the next `detect` probes again).
    public func forget(for client: AtomsClient) {
        var map = load()
        map[Self.accountKey(client)] = nil
        if let data = try? JSONEncoder().encode(map) { try? AppPaths.writePrivate(data, to: file) }
    }

    /// The generation to use: forced by `mode`, else remembered, else probed (and remembered).
    public func detect(_ client: AtomsClient, mode: APIMode = .auto, refresh: Bool = false) async throws -> APIGeneration {
        switch mode {
        case .v1: return .v1
        case .v2: return .v2
        case .auto: break
        }
        if !refresh, let known = cached(for: client) { return known }
        let found = try await Self.probe(client)
        remember(found, for: client)
        return found
    }

    /// The probe: `GET /agent/{id}/versions?limit=1` on the first agent (or a zero id when there is
    /// none). `409 versioning_v2_migration_required` → v2; any other answer → v1.
    public static func probe(_ client: AtomsClient) async throws -> APIGeneration {
        let first = try await client.listAgents(AgentListQuery(page: 1, pageSize: 1)).agents.first?.id
        do {
            _ = try await client.listVersions(first ?? "000000000000000000000000", limit: 1)
            return .v1
        } catch let e as AtomsError where e.kind == .http {
            return e.isMigrationRequired ? .v2 : .v1
        }
    }

    /// Records what an error says about the account: a migration 409 means v2.
    public func observe(_ error: Error, client: AtomsClient) {
        if let e = error as? AtomsError, e.isMigrationRequired { remember(.v2, for: client) }
    }
}
