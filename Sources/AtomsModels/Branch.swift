import Foundation

/// `Branch.status`. Open: unknown values decode to `.unknown`.
public enum BranchStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case active, archived
    case unknown(String)

    /// The wire string.
    public var rawValue: String {
        switch self {
        case .active: return "active"
        case .archived: return "archived"
        case .unknown(let s): return s
        }
    }
    /// Parses a wire string.
    public init(rawValue: String) {
        switch rawValue {
        case "active": self = .active
        case "archived": self = .archived
        default: self = .unknown(rawValue)
        }
    }
    public init(from decoder: Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
    public var description: String { rawValue }
}

/// v2 `Branch` (an `AgentBranch` document): a line of revisions with at most one open draft.
public struct Branch: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var agent: String
    public var name: String
    /// True for the seeded `main` branch, which cannot be renamed or archived.
    public var isDefault: Bool
    /// The branch it was forked from (`nil` for `main`).
    public var sourceBranchId: String?
    /// The source branch's head at fork time.
    public var sourceRevisionId: String?
    /// The last committed revision (`nil` until the first commit).
    public var headRevisionId: String?
    /// The open draft's `draftId`, if any.
    public var openDraftId: String?
    public var status: BranchStatus
    public var createdBy: String?
    public var updatedBy: String?
    public var createdAt: String?
    public var updatedAt: String?
    /// Live extras (not in the spec).
    public var createdByName: String?
    public var updatedByName: String?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case agent, name, isDefault, sourceBranchId, sourceRevisionId, headRevisionId, openDraftId, status
        case createdBy, updatedBy, createdAt, updatedAt, createdByName, updatedByName
    }

    /// Builds a branch.
    public init(id: String, agent: String, name: String, isDefault: Bool = false, status: BranchStatus = .active) {
        self.id = id
        self.agent = agent
        self.name = name
        self.isDefault = isDefault
        self.status = status
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        agent = (try? c.decodeIfPresent(String.self, forKey: .agent)) ?? ""
        name = (try? c.decodeIfPresent(String.self, forKey: .name)) ?? ""
        isDefault = ((try? c.decodeIfPresent(Bool.self, forKey: .isDefault)) ?? nil) ?? false
        sourceBranchId = try c.decodeIfPresent(String.self, forKey: .sourceBranchId)
        sourceRevisionId = try c.decodeIfPresent(String.self, forKey: .sourceRevisionId)
        headRevisionId = try c.decodeIfPresent(String.self, forKey: .headRevisionId)
        openDraftId = try c.decodeIfPresent(String.self, forKey: .openDraftId)
        status = (try? c.decodeIfPresent(BranchStatus.self, forKey: .status)) ?? .active
        createdBy = try c.decodeIfPresent(String.self, forKey: .createdBy)
        updatedBy = try c.decodeIfPresent(String.self, forKey: .updatedBy)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        createdByName = try c.decodeIfPresent(String.self, forKey: .createdByName)
        updatedByName = try c.decodeIfPresent(String.self, forKey: .updatedByName)
    }

    /// True when archived.
    public var isArchived: Bool { status == .archived }
}

/// v2 `BranchSummary`: the branch plus derived fields (`isLive`, `hasOpenDraft`, counts).
/// `isDefault` and `_id` live on the inner `branch`.
public struct BranchSummary: Codable, Sendable, Hashable, Identifiable {
    public var branch: Branch
    /// True when the agent's live config points at this branch.
    public var isLive: Bool
    public var hasOpenDraft: Bool
    public var revisionsCount: Int
    public var headRevisionNumber: Int?

    /// Builds a summary.
    public init(branch: Branch, isLive: Bool, hasOpenDraft: Bool, revisionsCount: Int, headRevisionNumber: Int?) {
        self.branch = branch
        self.isLive = isLive
        self.hasOpenDraft = hasOpenDraft
        self.revisionsCount = revisionsCount
        self.headRevisionNumber = headRevisionNumber
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        branch = try c.decode(Branch.self, forKey: .branch)
        isLive = ((try? c.decodeIfPresent(Bool.self, forKey: .isLive)) ?? nil) ?? false
        hasOpenDraft = ((try? c.decodeIfPresent(Bool.self, forKey: .hasOpenDraft)) ?? nil) ?? (branch.openDraftId != nil)
        revisionsCount = ((try? c.decodeIfPresent(Int.self, forKey: .revisionsCount)) ?? nil) ?? 0
        headRevisionNumber = try c.decodeIfPresent(Int.self, forKey: .headRevisionNumber)
    }

    /// The branch id.
    public var id: String { branch.id }
}

/// `GET /agent/{id}/branches` data.
public struct BranchList: Codable, Sendable, Hashable {
    public var branches: [BranchSummary]
    /// Builds a list.
    public init(branches: [BranchSummary]) { self.branches = branches }
}

/// `POST /agent/{id}/branches` body.
public struct CreateBranchRequest: Codable, Sendable, Equatable {
    public var sourceBranchId: String
    public var name: String
    /// Builds a fork request.
    public init(sourceBranchId: String, name: String) {
        self.sourceBranchId = sourceBranchId
        self.name = name
    }
}

/// `PATCH /agent/{id}/branches/{branchId}` body.
public struct RenameBranchRequest: Codable, Sendable, Equatable {
    public var name: String
    /// Builds a rename.
    public init(name: String) { self.name = name }
}

/// `POST /agent/{id}/branches/{branchId}/archive` data: `{archived: true}`.
public struct ArchiveBranchResult: Codable, Sendable, Equatable {
    public var archived: Bool
    /// Builds a result.
    public init(archived: Bool = true) { self.archived = archived }
}
