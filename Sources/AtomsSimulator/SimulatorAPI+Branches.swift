import Foundation
import AtomsModels

/// Routing of the v2 endpoints (`/agent/{id}/branches…`, `/agent/{id}/diff`). Under the branch model
/// it also settles finished security scans before any agent request is answered, so reads through
/// the v1 paths (`GET /agent/{id}`, by-id version reads) see commits as soon as they happen.
extension SimulatorAPI {
    /// The answer to a v2 request, or nil when the path is not a v2 one (or the branch model is off:
    /// the routes then do not exist and the caller answers the Express 404 page).
    func routeBranches(method: String, segments s: [String], query q: [String: String], body: Data) throws -> SimResponse? {
        guard store.options.branchModel else { return nil }
        let agentId = s.first
        try store.prepareRequest(agentId: agentId.flatMap { ObjectID.isValid($0) ? $0 : nil })
        guard let agentId, s.count >= 2, s[1] == "branches" || s[1] == "diff" else { return nil }
        let r = Array(s.dropFirst())
        guard r[0] == "branches" || r.count == 1 else { return nil }
        let isWrite = method != "GET"
        if isWrite { try store.requireNotFrozen() }
        // A malformed agent id: the operations declare 404 "Agent not found", not 400.
        guard ObjectID.isValid(agentId) else { throw SimulatorError.agentNotFound }
        switch (method, r) {
        case ("GET", ["diff"]):
            return Self.ok(try store.diffRefs(agentId: agentId, a: q["a"], b: q["b"]))
        case ("GET", ["branches"]):
            return Self.ok(try store.branches(agentId: agentId))
        case ("POST", ["branches"]):
            let o = try Self.object(body)
            try Self.checkTypes(o, ["sourceBranchId": .string(), "name": .string()])
            guard let source = o["sourceBranchId"]?.stringValue else { throw SimulatorError.badRequest("sourceBranchId: Required") }
            guard let name = o["name"]?.stringValue else { throw SimulatorError.badRequest("name: Required") }
            return Self.ok(try store.createBranch(agentId: agentId, CreateBranchRequest(sourceBranchId: source, name: name)), status: 201)
        case ("GET", let p) where p.count == 2:
            return Self.ok(try store.branch(agentId: agentId, branchId: p[1]))
        case ("PATCH", let p) where p.count == 2:
            let o = try Self.object(body)
            try Self.checkTypes(o, ["name": .string()])
            guard let name = o["name"]?.stringValue else { throw SimulatorError.badRequest("name: Required") }
            return Self.ok(try store.renameBranch(agentId: agentId, branchId: p[1], RenameBranchRequest(name: name)))
        case ("POST", let p) where p.count == 3 && p[2] == "archive":
            return Self.ok(try store.archiveBranch(agentId: agentId, branchId: p[1]))
        case ("POST", let p) where p.count == 3 && p[2] == "live":
            return Self.ok(try store.makeBranchLive(agentId: agentId, branchId: p[1]))
        case ("GET", let p) where p.count == 3 && p[2] == "draft":
            let limit = try Self.int(q, "limit") ?? 20
            guard (1...100).contains(limit) else { throw SimulatorError.badRequest("limit: Number must be between 1 and 100") }
            return Self.ok(try store.branchDraft(agentId: agentId, branchId: p[1], limit: limit))
        case ("PUT", let p) where p.count == 3 && p[2] == "draft":
            return Self.ok(try store.putBranchDraft(agentId: agentId, branchId: p[1], try Self.object(body)))
        case ("DELETE", let p) where p.count == 3 && p[2] == "draft":
            return Self.ok(try store.discardBranchDraft(agentId: agentId, branchId: p[1]))
        case ("POST", let p) where p.count == 4 && p[2] == "draft" && p[3] == "publish":
            let o = try Self.object(body)
            try Self.checkTypes(o, ["label": .string()], nullable: ["label"])
            let (status, result) = try store.publishBranchDraft(agentId: agentId, branchId: p[1],
                                                                PublishBranchDraftRequest(label: o["label"]?.stringValue))
            return Self.ok(result, status: status)
        case ("POST", let p) where p.count == 5 && p[2] == "draft" && p[3] == "publish" && p[4] == "cancel":
            return Self.ok(try store.cancelBranchPublish(agentId: agentId, branchId: p[1]))
        case ("GET", let p) where p.count == 3 && p[2] == "revisions":
            return Self.ok(try store.revisions(agentId: agentId, branchId: p[1], limit: try Self.int(q, "limit") ?? 20,
                                               skip: try Self.int(q, "skip") ?? 0))
        case ("GET", let p) where p.count == 4 && p[2] == "revisions":
            return Self.ok(try store.revision(agentId: agentId, branchId: p[1], revisionId: p[3]))
        case ("GET", let p) where p.count == 5 && p[2] == "revisions" && p[4] == "history":
            return Self.ok(try store.revisionHistory(agentId: agentId, branchId: p[1], revisionId: p[3]))
        case ("POST", let p) where p.count == 3 && p[2] == "test-call":
            return Self.ok(try store.branchTestCall(agentId: agentId, branchId: p[1], try Self.object(body)))
        case ("POST", let p) where p.count == 5 && p[2] == "revisions" && p[4] == "restore":
            return Self.ok(try store.restoreRevision(agentId: agentId, branchId: p[1], revisionId: p[3]))
        default:
            return nil
        }
    }
}
