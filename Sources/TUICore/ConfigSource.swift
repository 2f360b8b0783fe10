/// Which config a detail load or a diff side refers to: a published version or a draft.
public enum ConfigSource: Hashable, Sendable, CustomStringConvertible {
    /// A version by its `_id`.
    case version(String)
    /// A draft by its `draftId` handle (not the row `_id`).
    case draft(String)
    /// v2: the open draft of a branch (`draftId` is its `openDraftId`, used by the by-id read).
    case branchDraft(branchId: String, draftId: String)
    /// v2: a revision read through its branch — one whose scan failed or still runs: the by-id version
    /// read answers 404 for those (only committed revisions are versions).
    case revision(branchId: String, revisionId: String)

    /// `version:<id>` or `draft:<draftId>`: stable text used in effect keys and tests.
    public var description: String {
        switch self {
        case .version(let id): return "version:\(id)"
        case .draft(let id): return "draft:\(id)"
        case .branchDraft(let b, let d): return "branch-draft:\(b):\(d)"
        case .revision(let b, let r): return "revision:\(b):\(r)"
        }
    }
}
