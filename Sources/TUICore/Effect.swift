import AtomsModels

/// A command `update` asks the Runtime to carry out. Plain data; every effect that runs as a task
/// has a stable `key`: a new effect with the key of a running task supersedes it (the Runtime
/// cancels the old task), and `.cancel(key:)` cancels explicitly. Each effect answers with exactly
/// one `Msg` (its success message, or `.failed(effect, failure)`), except `.cancel`, `.quit`, `.suspend` and `.repaint`.
/// `.editDraft` is the one effect the Runtime runs inline on its loop: the editor owns the terminal.
public enum Effect: Hashable, Sendable {
    /// `GET /agent?page=&offset=&search=` → `.agentsLoaded`.
    case loadAgents(page: Int, pageSize: Int, search: String?)
    /// `GET /agent/{id}/versions?skip=&limit=` (newest first) → `.versionsLoaded`.
    case loadVersions(agentId: String, skip: Int, limit: Int)
    /// `GET /agent/{id}/drafts` → `.draftsLoaded`.
    case loadDrafts(agentId: String)
    /// The config of a version or draft as a request document (`ConfigMapping`) → `.configLoaded`.
    case loadConfig(agentId: String, source: ConfigSource)
    /// A section-grouped diff from `from` (old) to `to` (new) → `.diffLoaded`.
    /// Draft vs version: the draft diff endpoint with `compareTo`; version vs version: the versions diff;
    /// anything else: both configs and `ConfigMapping.diff`.
    case loadDiff(agentId: String, from: ConfigSource, to: ConfigSource, generation: APIGeneration = .v1)
    /// `POST /agent/{id}/drafts` → `.draftForked`.
    case forkDraft(agentId: String, sourceVersionId: String?, sourceDraftId: String?, name: String?)
    /// `PATCH /agent/{id}/drafts/{draftId}` → `.draftRenamed`.
    case renameDraft(agentId: String, draftId: String, name: String)
    /// `DELETE /agent/{id}/drafts/{draftId}` → `.draftDiscarded`.
    case discardDraft(agentId: String, draftId: String)
    /// `PATCH /agent/{id}/versions/{versionId}` `{isPinned}` → `.pinChanged`.
    case setPinned(agentId: String, versionId: String, pinned: Bool)
    /// The client's activate lifecycle operation (refuses unpassed checks, reads the agent back and
    /// verifies `activeVersionId`) → `.activated`.
    case activate(agentId: String, versionId: String)
    /// Checks for a recovery file of the draft (when `resume` is nil) and otherwise reads the draft
    /// into an edit session (`DraftEditFlow.begin`; `resume: true` starts from the recovery file)
    /// → `.edit(.recoveryFound)` or `.edit(.begun)`.
    case beginEdit(EditTarget, resume: Bool?)
    /// Runs INLINE on the loop: leaves curses, runs the session's editor rounds in `$VISUAL`/`$EDITOR`
    /// (reopening on validation errors), comes back, redraws and drops keys typed meanwhile
    /// → `.edit(.cancelled | .editorFailed | .ready)`. `rebase`: first put the text on top of the
    /// latest draft after a conflict. `session`: the edit session the last `.edit` event brought.
    case editDraft(agentId: String, draftId: String, rebase: Bool, session: Carried)
    /// Saves the session's patch (conflict check, minimal PATCH, read-back; `overwrite` sends
    /// conflicting fields anyway) → `.edit(.saved | .conflict | .failed)`.
    case saveEdit(agentId: String, draftId: String, overwrite: Bool, session: Carried)
    /// Ends a session after a conflict, keeping its text in the recovery file → `.edit(.abandoned)`.
    case abandonEdit(agentId: String, draftId: String, session: Carried)
    /// The publish review's diff (same answer as `.loadDiff`, under its own key so the detail
    /// area's diff is not superseded) → `.diffLoaded`.
    case loadPublishDiff(agentId: String, from: ConfigSource, to: ConfigSource, generation: APIGeneration = .v1)
    /// The client's publish (label required ≤ 200, description ≤ 2000) → `.published`.
    case publishDraft(agentId: String, draftId: String, label: String, description: String?)
    /// Streams the client's `watchCheck` for a published version: one `.checkProgress(watchId:…)`
    /// per observation until passed/failed/timed out (or `.checkWatchFailed`). The Runtime records the
    /// observed duration in the account's check history on pass or fail.
    case watchCheck(watchId: Int, agentId: String, version: AgentVersion, timeout: Double)
    /// `PATCH /agent/{id}/versions/{versionId}` `{label, description}` → `.versionMetaChanged`.
    case updateVersionMeta(agentId: String, versionId: String, label: String, description: String)
    /// Plans every `*.atoms.yaml` file of `dir` against the platform (the CLI's `plan`, read-only) →
    /// `.localPlansLoaded`.
    case planLocalConfigs(dir: String, generation: APIGeneration)
    /// v2: `GET /agent/{id}/branches` → `.branchesLoaded`.
    case loadBranches(agentId: String)
    /// v2: where a branch's open draft stands against the head (`BranchLifecycle.draftBase`: the draft's
    /// base revision, read by id) → `.draftBaseLoaded`. One per branch with an open draft.
    case loadDraftBase(agentId: String, branch: BranchSummary)
    /// v2: `GET /agent/{id}/branches/{branchId}/revisions?skip=&limit=` → `.revisionsLoaded`.
    case loadRevisions(agentId: String, branchId: String, skip: Int, limit: Int)
    /// v2: the client's `BranchLifecycle.publishAndWatch` (label ≤ 200): `.branchPublished`, then one
    /// `.checkProgress(watchId:)` per observation (200 committed → one `passed` at once; 202 scanning →
    /// the adaptive watch). A failure before the answer → `.failed`.
    case publishBranch(watchId: Int, agentId: String, branchId: String, label: String, timeout: Double)
    /// v2: the client's `BranchLifecycle.restore` of an older revision as the branch's new head,
    /// answered like `.publishBranch` (failure before the answer → `.failed`).
    case restoreRevision(watchId: Int, agentId: String, branchId: String, revisionId: String, timeout: Double)
    /// v2: `POST …/draft/publish/cancel` → `.branchPublishCancelled`.
    case cancelBranchPublish(agentId: String, branchId: String)
    /// v2: the client's verified make-live (refuses a head whose scan has not passed; reads the agent
    /// back; on an already live branch only the read-back) → `.branchMadeLive`.
    case makeBranchLive(agentId: String, branchId: String)
    /// v2: `POST /agent/{id}/branches` → `.branchCreated`.
    case createBranch(agentId: String, name: String, fromBranchId: String)
    /// v2: `PATCH /agent/{id}/branches/{branchId}` → `.branchRenamed`.
    case renameBranch(agentId: String, branchId: String, name: String)
    /// v2: `POST /agent/{id}/branches/{branchId}/archive` → `.branchArchived`.
    case archiveBranch(agentId: String, branchId: String)
    /// v2: `DELETE /agent/{id}/branches/{branchId}/draft` → `.branchDraftDiscarded`.
    case discardBranchDraft(agentId: String, branchId: String)
    /// The three-way review of a draft / branch draft / make-live (`ThreeWayReviewer`): base, draft
    /// and live, each changed field classified, reverted ones attributed → `.reviewLoaded`.
    case loadReview(agentId: String, subject: ReviewTarget)
    /// The first phase of a rebase (`DraftRebase.prepare`, conflicts left for the editor):
    /// `.rebase(.needsEditor)` when conflicts are to be edited, else the whole rebase
    /// → `.rebase(.finished)`.
    case rebaseDraft(agentId: String, agentName: String, subject: ReviewTarget)
    /// Runs INLINE on the loop like `.editDraft`: the editor on the rebase's conflicting fields
    /// (`DraftRebase.editConflicts`) → `.rebase(.edited)`. `rebase`: what `.needsEditor` brought.
    case rebaseConflicts(agentId: String, subject: ReviewTarget, rebase: Carried)
    /// The last phase of a rebase after the editor (`DraftRebase.finish`) → `.rebase(.finished)`.
    /// `rebase`: what `.edited` brought (the plan and the editor's result).
    case finishRebase(agentId: String, subject: ReviewTarget, rebase: Carried)
    /// Release health of an agent: its call logs in the default window (through the call-log cache)
    /// and the statistics per version → `.healthLoaded`.
    case loadHealth(agentId: String, generation: APIGeneration = .v1)
    /// Cancel the running task with this key, if any. Answers nothing.
    case cancel(key: String)
    /// Leave the app: restore the terminal and exit 0.
    case quit
    /// Stop the process like Ctrl-Z in a shell (terminal restored; redrawn on `fg`).
    case suspend
    /// Repaint every cell of the terminal (Ctrl-L).
    case repaint
    /// Put `text` on the terminal's clipboard (OSC 52, base64; the Terminal layer decides whether the
    /// terminal can) → `.copied`. `what` names it for the status line.
    case copyToClipboard(text: String, what: String)

    /// The task key: the Runtime keeps at most one running task per key.
    public var key: String {
        switch self {
        case .loadAgents(_, _, let search): return search == nil ? EffectKey.agents : EffectKey.agentSearch
        case .loadVersions: return EffectKey.versions
        case .loadDrafts: return EffectKey.drafts
        case .loadConfig: return EffectKey.config
        case .loadDiff: return EffectKey.diff
        case .forkDraft, .renameDraft, .discardDraft, .setPinned, .activate: return EffectKey.write
        case .beginEdit, .editDraft, .saveEdit, .abandonEdit: return EffectKey.edit
        case .updateVersionMeta: return EffectKey.write
        case .loadPublishDiff: return EffectKey.publishDiff
        case .publishDraft: return EffectKey.publish
        case .watchCheck(_, _, let version, _): return EffectKey.watch(version.id)
        case .loadBranches: return EffectKey.branches
        case .planLocalConfigs: return "local-plans"
        case .loadRevisions: return EffectKey.versions
        case .loadDraftBase(_, let branch): return "draft-base:" + branch.id
        case .publishBranch(_, _, let branchId, _, _), .restoreRevision(_, _, let branchId, _, _): return EffectKey.branchPublish(branchId)
        case .cancelBranchPublish, .makeBranchLive, .createBranch, .renameBranch, .archiveBranch, .discardBranchDraft: return EffectKey.write
        case .loadReview: return EffectKey.publishReview
        case .rebaseDraft, .rebaseConflicts, .finishRebase: return EffectKey.edit
        case .loadHealth: return EffectKey.health
        case .cancel(let key): return key
        case .quit: return "quit"
        case .suspend: return "suspend"
        case .repaint: return "repaint"
        case .copyToClipboard: return "clipboard"
        }
    }

    /// The effects the loop runs itself (the terminal is involved), or nil for the runner's. Exhaustive, so
    /// a new effect is placed here on purpose and the loop's switch over `LoopEffect` needs no `default:`.
    public var onLoop: LoopEffect? {
        switch self {
        case .quit: return .quit
        case .suspend: return .suspend
        case .repaint: return .repaint
        case .copyToClipboard(let text, let what): return .copyToClipboard(text: text, what: what)
        case .editDraft(let agentId, let draftId, let rebase, let session):
            return .editDraft(agentId: agentId, draftId: draftId, rebase: rebase, session: session)
        case .rebaseConflicts(let agentId, let subject, let rebase): return .rebaseConflicts(agentId: agentId, subject: subject, rebase: rebase)
        case .loadAgents, .loadVersions, .loadDrafts, .loadConfig, .loadDiff, .forkDraft, .renameDraft, .discardDraft, .setPinned,
             .activate, .beginEdit, .saveEdit, .abandonEdit, .updateVersionMeta, .loadPublishDiff, .publishDraft, .watchCheck,
             .loadBranches, .planLocalConfigs, .loadRevisions, .loadDraftBase, .publishBranch, .restoreRevision, .cancelBranchPublish,
             .makeBranchLive, .createBranch, .renameBranch, .archiveBranch, .discardBranchDraft, .loadReview, .rebaseDraft,
             .finishRebase, .loadHealth, .cancel:
            return nil
        }
    }

    /// True for effects that change server state or lead to a change (all disabled by `--read-only`).
    public var isWrite: Bool {
        if case .cancel = self { return false }
        if case .publishBranch = self { return true }
        if case .restoreRevision = self { return true }
        return key == EffectKey.write || key == EffectKey.edit || key == EffectKey.publish
    }
}

/// The effects the loop runs itself (`Effect.onLoop`): they hand the terminal over or draw on it.
public enum LoopEffect: Hashable, Sendable {
    case quit
    case suspend
    case repaint
    case copyToClipboard(text: String, what: String)
    case editDraft(agentId: String, draftId: String, rebase: Bool, session: Carried)
    case rebaseConflicts(agentId: String, subject: ReviewTarget, rebase: Carried)
}

/// The task keys effects use (see `Effect.key`).
public enum EffectKey {
    /// The plain agents list (paging).
    public static let agents = "agents"
    /// The server-side agent search while a filter is typed.
    public static let agentSearch = "agents.search"
    /// The selected agent's versions (first load and paging).
    public static let versions = "versions"
    /// The selected agent's drafts.
    public static let drafts = "drafts"
    /// The detail area's config.
    public static let config = "config"
    /// The detail area's diff.
    public static let diff = "diff"
    /// The one write in flight (fork, rename, discard, pin, activate). Never superseded: update
    /// refuses a second write while one runs.
    public static let write = "write"
    /// The draft edit in flight (begin, save, abandon; one at a time, like writes).
    public static let edit = "edit"
    /// The publish review's diff.
    public static let publishDiff = "publish.diff"
    /// The publish review's three-way review.
    public static let publishReview = "publish.review"
    /// The publish call.
    public static let publish = "publish"
    /// v2: the selected agent's branches.
    public static let branches = "branches"
    /// The selected agent's release health (call logs and statistics).
    public static let health = "health"
    /// v2: a publish or restore on a branch and the watch of its scan (one per branch).
    public static func branchPublish(_ branchId: String) -> String { "publish:" + branchId }
    /// The security-check watch of a version (a new watch of the same version supersedes the old one).
    public static func watch(_ versionId: String) -> String { "watch:" + versionId }
}
