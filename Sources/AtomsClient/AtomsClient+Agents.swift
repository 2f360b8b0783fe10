import Foundation
import AtomsModels

/// Query options of `GET /agent`.
public struct AgentListQuery: Sendable, Equatable {
    public var page: Int = 1
    /// Page size (the API calls it `offset`).
    public var pageSize: Int = 10
    public var search: String?
    public var sortField: String?
    public var sortOrder: String?
    public var archived: Bool = false
    /// Builds a query.
    public init(page: Int = 1, pageSize: Int = 10, search: String? = nil, sortField: String? = nil,
                sortOrder: String? = nil, archived: Bool = false) {
        self.page = page
        self.pageSize = pageSize
        self.search = search
        self.sortField = sortField
        self.sortOrder = sortOrder
        self.archived = archived
    }
}

extension AtomsClient {
    static func enc(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? id
    }

    /// `GET /agent`: one page of agents.
    public func listAgents(_ q: AgentListQuery = AgentListQuery()) async throws -> AgentList {
        var items = [URLQueryItem(name: "page", value: String(q.page)), URLQueryItem(name: "offset", value: String(q.pageSize))]
        if let s = q.search, !s.isEmpty { items.append(URLQueryItem(name: "search", value: s)) }
        if let s = q.sortField { items.append(URLQueryItem(name: "sortField", value: s)) }
        if let s = q.sortOrder { items.append(URLQueryItem(name: "sortOrder", value: s)) }
        if q.archived { items.append(URLQueryItem(name: "archived", value: "true")) }
        return try await call("GET", "/agent", query: items)
    }

    /// `GET /agent/{id}`, optionally resolving `_resolvedConfig` from a draft or a version.
    public func getAgent(_ id: String, draftId: String? = nil, versionId: String? = nil) async throws -> Agent {
        var items: [URLQueryItem] = []
        if let d = draftId { items.append(URLQueryItem(name: "draftId", value: d)) }
        if let v = versionId { items.append(URLQueryItem(name: "versionId", value: v)) }
        return try await call("GET", "/agent/\(Self.enc(id))", query: items)
    }

    /// `POST /agent`: creates an agent; answers its id.
    public func createAgent(_ body: ConfigDocument) async throws -> String {
        try await call("POST", "/agent", body: body)
    }

    /// `PATCH /agent/{id}`: metadata only on versioned agents.
    public func updateAgent(_ id: String, _ body: ConfigDocument) async throws -> String {
        try await call("PATCH", "/agent/\(Self.enc(id))", body: body, idempotent: true)
    }

    /// `DELETE /agent/{id}/archive`.
    public func archiveAgent(_ id: String) async throws -> ArchiveResult {
        try await call("DELETE", "/agent/\(Self.enc(id))/archive", idempotent: true)
    }

    /// `DELETE /agent/{id}/archive?on=false`.
    public func unarchiveAgent(_ id: String) async throws -> ArchiveResult {
        try await call("DELETE", "/agent/\(Self.enc(id))/archive", query: [URLQueryItem(name: "on", value: "false")], idempotent: true)
    }
}
