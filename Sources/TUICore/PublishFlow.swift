import Foundation
import AtomsModels

/// `p`/`P` from review to activation: the review dialog, the publish call, the live security-check
/// panel, the activation question and its outcome. Shown while it is in `AppState.publish`; Esc during
/// the check moves the watch to the background (`AppState.watches`).
public struct PublishFlow: Sendable {
    /// Where the flow stands.
    public enum Phase: Hashable, Sendable {
        /// The review dialog: diff, label, description.
        case review
        /// The publish call is running.
        case publishing
        /// The version is published and its security check runs (the progress panel).
        case checking
        /// v2, live branch: "Publish to production? [y/N]" after the review, before anything is sent.
        case confirmPublish
        /// Enter when the three-way review says publishing would undo live changes: R rebases
        /// (the default, offered first), `!`/`y` publish anyway, Esc goes back to the review.
        case confirmRevert
        /// The check passed: "Activate vN …? [y/N]" (v2 off the live branch: "Make branch live? [y/N]").
        case confirmActivate
        /// Activating and reading the agent back.
        case activating
        /// The check failed (reason); n forks a fix-draft.
        case failed(reason: String)
        /// The watch gave up before the check ended.
        case timedOut(status: String, after: TimeInterval)
    }

    /// The agent.
    public var agentId: String
    /// The draft being published.
    public var draftId: String
    /// `draft "name"`.
    public var draftTitle: String
    /// `P`: activate as soon as the check passes, without the second question.
    public var andActivate: Bool
    /// Where the flow stands.
    public var phase: Phase = .review
    /// Label and description.
    public var form: MetaForm
    /// The version the review compares with (the active one), if any.
    public var baseVersionId: String?
    /// The diff of the draft against `baseVersionId`, once loaded.
    public var diff: LoadState<[DetailLine]>?
    /// The three-way review (base, draft, live), asked for alongside the diff.
    public var review: LoadState<ThreeWayReview>?
    /// The person answered `!`/`y` to publish although it undoes live changes.
    public var revertConfirmed = false
    /// Enter was pressed while the three-way review was still loading: it acts when the review is
    /// here (and asks first when publishing would undo live changes).
    public var enterPending = false
    /// True when the loaded diff is empty (the review warns).
    public var noDifferences = false
    /// First visible diff line.
    public var diffScroll = 0
    /// Why the last publish attempt or Enter was refused (shown in the review).
    public var error: String?
    /// The published version, once the publish call answered.
    public var version: AgentVersion?
    /// The watch following its check.
    public var watchId: Int?
    /// When the publish answered (the panel's elapsed time counts from here).
    public var startedAt: Date?
    /// The last observation of the check.
    public var last: CheckUpdate?
    /// v2: the branch whose draft is published (`draftId` is then its `openDraftId`).
    public var branchId: String?
    /// v2: the branch's name (raw; sanitized when drawn).
    public var branchName: String = ""
    /// v2: the branch was live when the review opened (the change reaches production once the scan passes).
    public var onLiveBranch = false
    /// v2: the number the new revision will get (head + 1), for the questions.
    public var nextRevision: Int?
    /// v2, off the live branch, once the scan passed: the three-way review of making the branch live
    /// (what it would undo on the live branch), the same one `m` shows; asked for when the question opens.
    public var makeLiveReview: LoadState<ThreeWayReview>?
    /// `y` was pressed while `makeLiveReview` was loading: it acts when the review is here, unless the
    /// review adds a warning (then the question is asked again with the warning on screen).
    public var makeLiveConfirmedEarly = false

    /// A flow in review.
    public init(agentId: String, draftId: String, draftTitle: String, andActivate: Bool, form: MetaForm, baseVersionId: String?) {
        self.agentId = agentId
        self.draftId = draftId
        self.draftTitle = draftTitle
        self.andActivate = andActivate
        self.form = form
        self.baseVersionId = baseVersionId
    }

    /// `v7 "label"` of the published version (the draft title before publishing).
    public var versionTitle: String {
        guard let v = version else { return draftTitle }
        let label = v.label.map { " \"" + Sanitizer.sanitize($0, maxCharacters: 60) + "\"" } ?? ""
        // While the scan runs the revision has no number yet: the one the review promised stands for it.
        if branchId != nil, v.revisionNumber == nil, let n = nextRevision { return "r\(n)" + label }
        return (branchId == nil ? v.displayNumber : v.revisionLabel) + label
    }

    /// `branch "main"`, sanitized (v2).
    public var branchTitle: String { "branch \"" + Sanitizer.sanitize(branchName, maxCharacters: 60) + "\"" }

    /// The source the review diffs against the base: the draft (v1) or the branch draft (v2).
    public var reviewSource: ConfigSource {
        if let b = branchId { return .branchDraft(branchId: b, draftId: draftId) }
        return .draft(draftId)
    }
}
