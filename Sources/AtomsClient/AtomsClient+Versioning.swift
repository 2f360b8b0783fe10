import Foundation
import AtomsModels

extension AtomsClient {
    // MARK: v1 drafts

    /// `GET /agent/{id}/drafts`: the agent's active drafts.
    public func listDrafts(_ agentId: String) async throws -> [AgentVersion] {
        try await call("GET", "/agent/\(Self.enc(agentId))/drafts")
    }

    /// `POST /agent/{id}/drafts`: fork a draft from a version or another draft.
    public func createDraft(_ agentId: String, _ body: CreateDraftRequest) async throws -> AgentVersion {
        try await call("POST", "/agent/\(Self.enc(agentId))/drafts", body: body)
    }

    /// `GET /agent/{id}/drafts/{draftId}`: latest revision + edit history.
    public func getDraft(_ agentId: String, _ draftId: String, historyLimit: Int? = nil) async throws -> DraftDetail {
        let q = historyLimit.map { [URLQueryItem(name: "limit", value: String($0))] } ?? []
        return try await call("GET", "/agent/\(Self.enc(agentId))/drafts/\(Self.enc(draftId))", query: q)
    }

    /// `PATCH /agent/{id}/drafts/{draftId}`: rename.
    public func renameDraft(_ agentId: String, _ draftId: String, to name: String) async throws -> RenameDraftResult {
        try await call("PATCH", "/agent/\(Self.enc(agentId))/drafts/\(Self.enc(draftId))",
                       body: RenameDraftRequest(draftName: name), idempotent: true)
    }

    /// `DELETE /agent/{id}/drafts/{draftId}`: discard (soft delete).
    public func discardDraft(_ agentId: String, _ draftId: String) async throws {
        let _: EmptyData = try await call("DELETE", "/agent/\(Self.enc(agentId))/drafts/\(Self.enc(draftId))", idempotent: false)
    }

    /// `PATCH /agent/{id}/drafts/{draftId}/config`: the answer is the draft row with a new
    /// `draftRevision`, NOT the sent fields — read back with `getAgent(draftId:)` to verify.
    /// Not idempotent (each call bumps the revision), so never retried blindly.
    public func patchDraftConfig(_ agentId: String, _ draftId: String, _ patch: ConfigDocument) async throws -> AgentVersion {
        try await call("PATCH", "/agent/\(Self.enc(agentId))/drafts/\(Self.enc(draftId))/config", body: patch, idempotent: false)
    }

    /// `GET /agent/{id}/drafts/{draftId}/diff`: against `compareTo` or the source version.
    public func draftDiff(_ agentId: String, _ draftId: String, compareTo: String? = nil) async throws -> DraftDiff {
        let q = compareTo.map { [URLQueryItem(name: "compareTo", value: $0)] } ?? []
        return try await call("GET", "/agent/\(Self.enc(agentId))/drafts/\(Self.enc(draftId))/diff", query: q)
    }

    /// `POST /agent/{id}/drafts/{draftId}/publish`: makes an INACTIVE version and starts its security check.
    public func publishDraft(_ agentId: String, _ draftId: String, label: String?, description: String?) async throws -> AgentVersion {
        try await call("POST", "/agent/\(Self.enc(agentId))/drafts/\(Self.enc(draftId))/publish",
                       body: PublishDraftRequest(label: label, description: description))
    }

    // MARK: v1 versions

    /// `GET /agent/{id}/versions`: newest first.
    public func listVersions(_ agentId: String, limit: Int = 20, skip: Int = 0, isPinned: Bool? = nil) async throws -> VersionList {
        var q = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "skip", value: String(skip))]
        if let p = isPinned { q.append(URLQueryItem(name: "isPinned", value: p ? "true" : "false")) }
        return try await call("GET", "/agent/\(Self.enc(agentId))/versions", query: q)
    }

    /// `GET /agent/{id}/versions/{versionId}`: the version and its section-keyed config.
    public func getVersion(_ agentId: String, _ versionId: String) async throws -> VersionDetail {
        try await call("GET", "/agent/\(Self.enc(agentId))/versions/\(Self.enc(versionId))")
    }

    /// `GET /agent/{id}/versions/diff?versionA&versionB`.
    public func diffVersions(_ agentId: String, _ a: String, _ b: String) async throws -> AgentVersionDiff {
        try await call("GET", "/agent/\(Self.enc(agentId))/versions/diff",
                       query: [URLQueryItem(name: "versionA", value: a), URLQueryItem(name: "versionB", value: b)])
    }

    /// `PATCH /agent/{id}/versions/{versionId}`: label, description, pin.
    public func updateVersionMeta(_ agentId: String, _ versionId: String, _ body: UpdateVersionMetaRequest) async throws -> AgentVersion {
        try await call("PATCH", "/agent/\(Self.enc(agentId))/versions/\(Self.enc(versionId))", body: body, idempotent: true)
    }

    /// `PATCH /agent/{id}/versions/{versionId}/activate`. Raw endpoint: prefer `Lifecycle.activate`,
    /// which refuses versions whose check has not passed and verifies the agent afterwards.
    public func activateVersion(_ agentId: String, _ versionId: String) async throws -> AgentVersion {
        try await call("PATCH", "/agent/\(Self.enc(agentId))/versions/\(Self.enc(versionId))/activate", idempotent: true)
    }
}
