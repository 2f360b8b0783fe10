import Foundation
import AtomsModels

/// A fact that happened: a key, a resize, a clock tick, or the result of an `Effect`.
/// `update` turns messages into state changes and new effects.
public enum Msg: Sendable {
    /// The app started; `update` answers with the first loads. Send it once, after the first frame.
    case started
    /// One page of `GET /agent` arrived (`search` echoes the effect's search, nil for the plain list).
    case agentsLoaded(page: Int, search: String?, list: AgentList)
    /// One page of an agent's versions arrived (`skip` echoes the effect's skip).
    case versionsLoaded(agentId: String, skip: Int, list: VersionList)
    /// An agent's active drafts arrived.
    case draftsLoaded(agentId: String, drafts: [AgentVersion])
    /// A version's or draft's config arrived, as a request document.
    case configLoaded(agentId: String, source: ConfigSource, config: ConfigDocument)
    /// A diff arrived (`from` = old side, `to` = new side, as asked).
    case diffLoaded(agentId: String, from: ConfigSource, to: ConfigSource, diff: AgentVersionDiff)
    /// The effect failed (the effect itself is its identity), with why.
    case failed(Effect, EffectFailure)
    /// The app could not connect: the demo simulator did not start, or the account could not be reached.
    case connectFailed(EffectFailure)
    /// A draft was forked (the new draft row).
    case draftForked(agentId: String, draft: AgentVersion)
    /// A draft was renamed.
    case draftRenamed(agentId: String, draftId: String, name: String)
    /// A draft was discarded.
    case draftDiscarded(agentId: String, draftId: String)
    /// A version's pinned flag changed.
    case pinChanged(agentId: String, versionId: String, pinned: Bool)
    /// A version was activated; `verified` is true when reading the agent back showed it live.
    case activated(agentId: String, versionId: String, verified: Bool)
    /// A step of a draft edit happened (see `EditEvent`).
    case edit(agentId: String, draftId: String, EditEvent)
    /// A draft was published as a new inactive version whose security check now runs.
    case published(agentId: String, draftId: String, version: AgentVersion)
    /// An observation of the security-check watch `watchId` (stale ids are ignored).
    case checkProgress(watchId: Int, CheckUpdate)
    /// The watch `watchId` ended with an error (not a check result).
    case checkWatchFailed(watchId: Int, EffectFailure)
    /// A version's label/description changed (the row as the server answered).
    case versionMetaChanged(agentId: String, version: AgentVersion)
    /// The account's API generation is known; `reason` says why it changed mid-run
    /// (a migration 409 on a v1 call), nil at start.
    case apiDetected(generation: APIGeneration, reason: String?)
    /// The pulled config files of `dir`, planned (empty: none there).
    case localPlansLoaded(dir: String, [LocalConfigPlan])
    /// v2: an agent's branches arrived (non-archived).
    case branchesLoaded(agentId: String, branches: [BranchSummary])
    /// v2: where a branch's open draft stands against the branch head (nil: unknown).
    case draftBaseLoaded(agentId: String, branchId: String, DraftBaseStatus?)
    /// v2: one page of a branch's revisions arrived (newest first; `skip` echoes the effect's).
    case revisionsLoaded(agentId: String, branchId: String, skip: Int, list: RevisionList)
    /// v2: a publish or restore answered (`state` scanning or committed) with the revision it made;
    /// `.checkProgress(watchId:)` messages follow until the scan ends.
    case branchPublished(watchId: Int, agentId: String, branchId: String, state: String, revision: AgentVersion?, restored: Bool)
    /// v2: the running scan of a branch was cancelled (the draft stays open).
    case branchPublishCancelled(agentId: String, branchId: String)
    /// v2: a branch is live, verified by reading the agent back (`activeVersionId` is its head).
    case branchMadeLive(agentId: String, branchId: String, activeVersionId: String)
    /// v2: a branch was created.
    case branchCreated(agentId: String, branch: Branch)
    /// v2: a branch was renamed.
    case branchRenamed(agentId: String, branchId: String, name: String)
    /// v2: a branch was archived.
    case branchArchived(agentId: String, branchId: String)
    /// v2: a branch's open draft was discarded.
    case branchDraftDiscarded(agentId: String, branchId: String)
    /// A three-way review arrived (`.loadReview`).
    case reviewLoaded(agentId: String, subject: ReviewTarget, ThreeWayReview)
    /// A step of a rebase (see `RebaseEvent`).
    case rebase(agentId: String, subject: ReviewTarget, RebaseEvent)
    /// An agent's release health arrived (`.loadHealth`).
    case healthLoaded(agentId: String, report: HealthReport)
    /// `.copyToClipboard` ran: `refusal` says why the terminal could not take the text (nil when sent).
    case copied(what: String, text: String, refusal: String?)
    /// The person pressed a key.
    case keyPressed(Key)
    /// The terminal has a new size (also sent once at start).
    case resized(width: Int, height: Int)
    /// The clock moved (the Runtime sends this every ~100 ms while idle; drives ages and debounced loads).
    case tick(Date)
}
