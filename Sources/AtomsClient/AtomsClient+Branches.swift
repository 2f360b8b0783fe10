import Foundation
import AtomsModels

extension AtomsClient {
    func branchPath(_ agentId: String, _ branchId: String? = nil, _ rest: String = "") -> String {
        var p = "/agent/\(Self.enc(agentId))/branches"
        if let branchId { p += "/\(Self.enc(branchId))" }
        return p + rest
    }

    // MARK: v2 branches

    /// `GET /agent/{id}/branches`: the agent's non-archived branches.
    public func listBranches(_ agentId: String) async throws -> [BranchSummary] {
        let list: BranchList = try await call("GET", branchPath(agentId))
        return list.branches
    }

    /// `GET /agent/{id}/branches/{branchId}`: one branch (archived ones too).
    public func getBranch(_ agentId: String, _ branchId: String) async throws -> BranchSummary {
        try await call("GET", branchPath(agentId, branchId))
    }

    /// `POST /agent/{id}/branches`: forks a branch at the source branch's head.
    public func createBranch(_ agentId: String, name: String, from sourceBranchId: String) async throws -> Branch {
        try await call("POST", branchPath(agentId), body: CreateBranchRequest(sourceBranchId: sourceBranchId, name: name))
    }

    /// `PATCH /agent/{id}/branches/{branchId}`: renames a branch (never `main`).
    public func renameBranch(_ agentId: String, _ branchId: String, to name: String) async throws -> Branch {
        try await call("PATCH", branchPath(agentId, branchId), body: RenameBranchRequest(name: name), idempotent: true)
    }

    /// `POST /agent/{id}/branches/{branchId}/archive`: hides a branch (never `main` or the live one).
    public func archiveBranch(_ agentId: String, _ branchId: String) async throws -> ArchiveBranchResult {
        try await call("POST", branchPath(agentId, branchId, "/archive"), idempotent: true)
    }

    /// `POST /agent/{id}/branches/{branchId}/live`: the branch's head starts serving production traffic.
    /// Raw endpoint: prefer `BranchLifecycle.makeLive`, which checks the head and verifies the agent.
    public func makeBranchLive(_ agentId: String, _ branchId: String) async throws -> BranchSummary {
        try await call("POST", branchPath(agentId, branchId, "/live"), idempotent: true)
    }

    // MARK: v2 branch draft

    /// `GET /agent/{id}/branches/{branchId}/draft`: the open draft (404 when there is none).
    public func getBranchDraft(_ agentId: String, _ branchId: String, historyLimit: Int? = nil) async throws -> BranchDraftDetail {
        let q = historyLimit.map { [URLQueryItem(name: "limit", value: String($0))] } ?? []
        return try await call("GET", branchPath(agentId, branchId, "/draft"), query: q)
    }

    /// `PUT /agent/{id}/branches/{branchId}/draft`: merges a config partial into the draft (opening one
    /// from the head when none is open). With `expectedRevision` the server checks field-level conflicts;
    /// a 409 then carries a `DraftConflict` (see `AtomsError.v2Conflict`). Not retried.
    public func putBranchDraft(_ agentId: String, _ branchId: String, _ patch: ConfigDocument,
                               expectedRevision: Int? = nil) async throws -> Revision {
        var body = patch
        if let expectedRevision { body["expectedRevision"] = .number(Double(expectedRevision)) }
        return try await call("PUT", branchPath(agentId, branchId, "/draft"), body: body, idempotent: false)
    }

    /// `DELETE /agent/{id}/branches/{branchId}/draft`: discards the open draft.
    public func discardBranchDraft(_ agentId: String, _ branchId: String) async throws -> DiscardDraftResult {
        try await call("DELETE", branchPath(agentId, branchId, "/draft"), idempotent: false)
    }

    /// `POST /agent/{id}/branches/{branchId}/draft/publish`: 200 `committed` (with the revision) or
    /// 202 `scanning` (find the revision in the branch's list, then poll it).
    public func publishBranchDraft(_ agentId: String, _ branchId: String, label: String? = nil) async throws -> PublishResult {
        try await call("POST", branchPath(agentId, branchId, "/draft/publish"), body: PublishBranchDraftRequest(label: label))
    }

    /// `POST /agent/{id}/branches/{branchId}/draft/publish/cancel`: drops a scanning publish (idempotent).
    public func cancelBranchPublish(_ agentId: String, _ branchId: String) async throws -> CancelPublishResult {
        try await call("POST", branchPath(agentId, branchId, "/draft/publish/cancel"), idempotent: true)
    }

    // MARK: v2 revisions

    /// `GET /agent/{id}/branches/{branchId}/revisions`: newest first.
    public func listRevisions(_ agentId: String, _ branchId: String, limit: Int = 20, skip: Int = 0) async throws -> RevisionList {
        try await call("GET", branchPath(agentId, branchId, "/revisions"),
                       query: [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "skip", value: String(skip))])
    }

    /// `GET /agent/{id}/branches/{branchId}/revisions/{revisionId}`: the revision and its section-keyed config.
    public func getRevision(_ agentId: String, _ branchId: String, _ revisionId: String) async throws -> RevisionDetail {
        try await call("GET", branchPath(agentId, branchId, "/revisions/\(Self.enc(revisionId))"))
    }

    /// `GET …/revisions/{revisionId}/history`: the publisher and the trail of prior revisions.
    public func revisionHistory(_ agentId: String, _ branchId: String, _ revisionId: String) async throws -> RevisionHistory {
        try await call("GET", branchPath(agentId, branchId, "/revisions/\(Self.enc(revisionId))/history"))
    }

    /// `POST …/revisions/{revisionId}/restore`: republishes an older revision as the new head.
    public func restoreRevision(_ agentId: String, _ branchId: String, _ revisionId: String) async throws -> PublishResult {
        try await call("POST", branchPath(agentId, branchId, "/revisions/\(Self.enc(revisionId))/restore"), idempotent: false)
    }

    /// `GET /agent/{id}/diff?a=&b=`: `a` is the base, `b` the target.
    public func diffRefs(_ agentId: String, _ a: DiffRef, _ b: DiffRef) async throws -> AgentVersionDiff {
        try await call("GET", "/agent/\(Self.enc(agentId))/diff",
                       query: [URLQueryItem(name: "a", value: a.wireValue), URLQueryItem(name: "b", value: b.wireValue)])
    }
}
