import Foundation
import AtomsModels

extension Resolver {
    /// A branch by 24-hex id, by name (case- and accent-insensitive; "did you mean …" otherwise), or `live` / `default`.
    public func branch(agentId: String, _ ref: String) async throws -> BranchSummary {
        try Self.checkNotEmpty("branch", ref)
        let branches = try await client.listBranches(agentId)
        let lower = ref.lowercased()
        if lower == "live", let b = branches.first(where: \.isLive) { return b }
        if lower == "default", let b = branches.first(where: { $0.branch.isDefault }) { return b }
        if let b = branches.first(where: { $0.id == ref }) { return b }
        let named = NameMatching.matches(ref, in: branches, name: \.branch.name)
        if named.isEmpty, ObjectID.isValid(ref) { return try await client.getBranch(agentId, ref) }
        return try Self.pick("branch", ref, branches, name: \.branch.name, id: \.id,
                             hint: "list branches with `atoms-tui branches list AGENT`")
    }

    /// A revision on a branch by id, `rN` / `N`, or `head`.
    public func revision(agentId: String, branch: BranchSummary, _ ref: String) async throws -> Revision {
        let lower = ref.lowercased()
        if lower == "head" {
            guard let head = branch.branch.headRevisionId else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["branch \"\(branch.branch.name)\" has no committed revision"])
            }
            return try await client.getVersion(agentId, head).version
        }
        if ObjectID.isValid(ref) { return try await client.getRevision(agentId, branch.id, ref).revision }
        let digits = lower.hasPrefix("r") || lower.hasPrefix("v") ? String(lower.dropFirst()) : lower
        guard let number = Int(digits) else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["\"\(ref)\" is not a revision id, a number like r3, or \"head\""])
        }
        var skip = 0
        while true {
            let page = try await client.listRevisions(agentId, branch.id, limit: 100, skip: skip)
            if let r = page.revisions.first(where: { $0.revisionNumber == number }) { return r }
            skip += page.revisions.count
            if page.revisions.isEmpty || skip >= page.total { break }
        }
        throw Self.notFound("revision", ref, "list revisions with `atoms-tui revisions list AGENT --branch \(branch.branch.name)`")
    }

    /// A diff side: a revision id, `BRANCH:draft`, `BRANCH` (its head) or `BRANCH:rN`.
    public func diffRef(agentId: String, _ ref: String) async throws -> DiffRef {
        if let r = DiffRef(wireValue: ref) { return r }
        let parts = ref.split(separator: ":", maxSplits: 1).map(String.init)
        let b = try await branch(agentId: agentId, parts[0])
        if parts.count == 1 {
            guard let head = b.branch.headRevisionId else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["branch \"\(b.branch.name)\" has no committed revision"])
            }
            return .revision(head)
        }
        if parts[1].lowercased() == "draft" { return .draft(branchId: b.id) }
        return .revision(try await revision(agentId: agentId, branch: b, parts[1]).id)
    }
}
