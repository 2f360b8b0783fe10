import AtomsModels

/// The History and Drafts area of the API generation in use: v1's versions and drafts, or v2's
/// branches, their revisions and the branch a person switched History to. One or the other, never
/// both: switching the generation (`AppState.apiGeneration`) starts the other area empty.
public enum LifecycleArea: Sendable {
    /// v1: published versions and drafts per agent.
    case v1(VersionsArea)
    /// v2: branches, revisions and branch drafts per agent.
    case v2(BranchesArea)

    /// An empty area of a generation.
    public init(_ generation: APIGeneration) {
        switch generation {
        case .v1: self = .v1(VersionsArea())
        case .v2: self = .v2(BranchesArea())
        }
    }

    /// The generation the area belongs to.
    public var generation: APIGeneration {
        switch self {
        case .v1: return .v1
        case .v2: return .v2
        }
    }
}

/// v1's History and Drafts: versions and drafts per agent (a cache; see `AppState.evictCaches`).
public struct VersionsArea: Sendable {
    /// Published versions per agent, newest first, paged in.
    public var versions: [String: VersionPage] = [:]
    /// Drafts per agent.
    public var drafts: [String: DraftSet] = [:]
    public init() {}
}

/// v2's History and Drafts: branches per agent, the revisions of the branch History shows, and which
/// branch that is. Open branch drafts are part of the branches (`BranchSummary.hasOpenDraft`).
public struct BranchesArea: Sendable {
    /// Revisions of the branch History shows, per agent (`VersionPage.branchId` says which branch).
    public var revisions: [String: VersionPage] = [:]
    /// Branches per agent.
    public var branches: [String: BranchSet] = [:]
    /// The branch History shows, per agent, once switched (else the live branch).
    public var selectedBranchIds: [String: String] = [:]
    public init() {}
}

extension AppState {
    /// The API generation in use. Setting another one empties the History/Drafts area.
    public var apiGeneration: APIGeneration {
        get { area.generation }
        set { if newValue != area.generation { area = LifecycleArea(newValue) } }
    }

    /// The History pane's rows per agent: v1 versions or the v2 revisions of the branch History shows.
    public var versions: [String: VersionPage] {
        get {
            switch area {
            case .v1(let a): return a.versions
            case .v2(let b): return b.revisions
            }
        }
        _modify {
            switch area {
            case .v1(var a):
                area = .v1(VersionsArea())  // `a` is now the only reference: no copy on write
                defer { area = .v1(a) }
                yield &a.versions
            case .v2(var b):
                area = .v2(BranchesArea())
                defer { area = .v2(b) }
                yield &b.revisions
            }
        }
    }

    /// v1 drafts per agent; always empty on v2 (whose drafts are the branches' open drafts), where
    /// writes to it are dropped.
    public var drafts: [String: DraftSet] {
        get {
            if case .v1(let a) = area { return a.drafts }
            return [:]
        }
        _modify {
            if case .v1(var a) = area {
                area = .v1(VersionsArea())
                defer { area = .v1(a) }
                yield &a.drafts
            } else {
                var none: [String: DraftSet] = [:]
                yield &none
            }
        }
    }

    /// v2 branches per agent; always empty on v1, where writes to it are dropped.
    public var branches: [String: BranchSet] {
        get {
            if case .v2(let b) = area { return b.branches }
            return [:]
        }
        _modify {
            if case .v2(var b) = area {
                area = .v2(BranchesArea())
                defer { area = .v2(b) }
                yield &b.branches
            } else {
                var none: [String: BranchSet] = [:]
                yield &none
            }
        }
    }

    /// v2: the branch History shows per agent, once switched; always empty on v1.
    public var selectedBranchIds: [String: String] {
        get {
            if case .v2(let b) = area { return b.selectedBranchIds }
            return [:]
        }
        _modify {
            if case .v2(var b) = area {
                area = .v2(BranchesArea())
                defer { area = .v2(b) }
                yield &b.selectedBranchIds
            } else {
                var none: [String: String] = [:]
                yield &none
            }
        }
    }
}
