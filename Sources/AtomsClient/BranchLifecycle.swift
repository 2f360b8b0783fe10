import Foundation
import AtomsModels

/// The outcome of making a branch live, verified by reading the agent back.
public struct MakeLiveOutcome: Sendable {
    /// The branch, now live.
    public var branch: BranchSummary
    /// The agent as read back (its `activeVersionId` is the branch's head).
    public var agent: Agent
    /// The revision that was active before.
    public var previousActiveVersionId: String?
}

/// The v2 (branches + revisions) lifecycle operations both front ends use: read and edit the branch
/// draft with `expectedRevision`, publish and watch the scan (202 → find the revision → poll it with
/// the adaptive watcher; 200 → done at once), cancel, make live with verification, restore, diff.
///
/// Like `Lifecycle`, nothing here makes a revision live whose security check has not passed:
/// `makeLive` reads the head first and refuses unless its check passed (or it has none).
public struct BranchLifecycle: Sendable {
    /// The client in use.
    public let client: AtomsClient
    let clock: any WatchClock

    /// Builds the lifecycle on a client.
    public init(client: AtomsClient, clock: any WatchClock = SystemWatchClock()) {
        self.client = client
        self.clock = clock
    }

    // MARK: Reading

    /// The branch draft's config as a request document with its `draftRevision`; with no open draft,
    /// the head's config at revision 0 (the state a new draft opens from).
    public func draftDocument(agentId: String, branchId: String) async throws -> (document: ConfigDocument, revision: Int, draftId: String?) {
        let summary = try await client.getBranch(agentId, branchId)
        if let draftId = summary.branch.openDraftId {
            async let agent = client.getAgent(agentId, draftId: draftId)
            async let detail = client.getBranchDraft(agentId, branchId, historyLimit: 1)
            let (a, d) = try await (agent, detail)
            return (ConfigMapping.requestDocument(fromResolved: a.resolvedConfig ?? [:]), d.latest.draftRevision ?? 0, draftId)
        }
        guard let head = summary.branch.headRevisionId else {
            throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' has no committed revision"])
        }
        return (try await revisionDocument(agentId: agentId, revisionId: head), 0, nil)
    }

    /// Where a branch's open draft stands against the branch head: "behind r5 by 2" when it was opened on
    /// r3 and r4, r5 were committed since. Nil when the branch has no open draft, the draft names no base
    /// revision, or the base is not a revision of this branch (the numbers would not compare).
    public func draftBase(agentId: String, branch: BranchSummary) async throws -> DraftBaseStatus? {
        guard branch.branch.openDraftId != nil, let headId = branch.branch.headRevisionId, let headNumber = branch.headRevisionNumber else { return nil }
        let detail = try await client.getBranchDraft(agentId, branch.id, historyLimit: 1)
        guard let baseId = detail.latest.sourceVersionId ?? detail.latest.parentVersion else { return nil }
        if baseId == headId { return DraftBaseStatus(baseVersionNumber: headNumber, liveVersionNumber: headNumber, behindBy: 0, prefix: "r") }
        let base = try await client.getVersion(agentId, baseId).version
        guard base.branch == nil || base.branch == branch.id, let n = base.revisionNumber else { return nil }
        return DraftBaseStatus(baseVersionNumber: n, liveVersionNumber: headNumber, behindBy: max(0, headNumber - n),
                               liveIsOlder: headNumber < n, prefix: "r")
    }

    /// A revision's config as a request document (through the by-id read, which resolves across branches).
    public func revisionDocument(agentId: String, revisionId: String) async throws -> ConfigDocument {
        let a = try await client.getAgent(agentId, versionId: revisionId)
        return ConfigMapping.requestDocument(fromResolved: a.resolvedConfig ?? [:])
    }

    /// A revision's config read through its branch (`GET …/branches/{b}/revisions/{r}`): the one read that
    /// serves a revision whose scan failed or still runs.
    public func revisionDocument(agentId: String, branchId: String, revisionId: String) async throws -> ConfigDocument {
        let detail = try await client.getRevision(agentId, branchId, revisionId)
        return ConfigMapping.requestDocument(fromSectioned: detail.resolvedConfig)
    }

    // MARK: Editing

    /// PUTs `patch` (top-level request fields) with `expectedRevision` (nil: last write wins) and reads
    /// the draft back to confirm every sent field persisted. A conflict surfaces as `AtomsError` whose
    /// `v2Conflict` is `.draftConflict` or `.baseRevisionUnavailable`.
    public func editDraft(agentId: String, branchId: String, patch: ConfigDocument, expectedRevision: Int?,
                          before: ConfigDocument? = nil) async throws -> PatchOutcome {
        guard !patch.isEmpty else { throw AtomsError(kind: .invalidInput, serverErrors: ["no changes to send"]) }
        let base: ConfigDocument
        if let before { base = before } else { base = try await draftDocument(agentId: agentId, branchId: branchId).document }
        try AgentKind.requireEditable(base)
        let row = try await client.putBranchDraft(agentId, branchId, patch, expectedRevision: expectedRevision)
        // Read back until every sent field shows, for a bounded time (the branch and agent reads can lag).
        let (after, _) = try await Visibility.poll(clock: clock, timeout: client.configuration.visibilityTimeout) {
            try await draftDocument(agentId: agentId, branchId: branchId).document
        } accept: { PatchOutcome.mismatches(patch: patch, base: base, after: $0).isEmpty }
        return PatchOutcome(revision: row.draftRevision, sentFields: patch.keys.sorted(),
                            notPersisted: PatchOutcome.mismatches(patch: patch, base: base, after: after))
    }

    // MARK: Publishing

    /// Publishes the branch's draft. On the live branch this goes to production once committed.
    public func publish(agentId: String, branchId: String, label: String?) async throws -> PublishResult {
        let trimmed = label?.trimmingCharacters(in: .whitespacesAndNewlines)
        try Lifecycle.validatePublish(label: trimmed, description: nil)
        return try await client.publishBranchDraft(agentId, branchId, label: (trimmed?.isEmpty ?? true) ? nil : trimmed)
    }

    /// Finds the revision a 202 publish created: the newest listed revision that is not one of
    /// `known`. The list can lag behind the 202 (the newest listed revision can still be the previous
    /// one), so it is read again with backoff for up to the client's `visibilityTimeout`.
    /// `attempts` is kept for source compatibility; the wait is bounded by time.
    public func findPublishedRevision(agentId: String, branchId: String, draftId: String?, known: Set<String> = [],
                                      attempts: Int = 5) async throws -> Revision {
        func pick(_ page: RevisionList) -> Revision? {
            page.revisions.first { !known.contains($0.id) && (draftId == nil || $0.draftId == draftId || $0.sourceDraftId == draftId) }
        }
        let (page, visible) = try await Visibility.poll(clock: clock, timeout: client.configuration.visibilityTimeout) {
            try await client.listRevisions(agentId, branchId, limit: 5)
        } accept: { pick($0) != nil }
        if visible, let r = pick(page) { return r }
        throw AtomsError(kind: .refused, serverErrors: ["the publish was accepted but its revision is \(Visibility.notVisibleYet)"],
                         retryable: true, hint: "list the branch's revisions again in a moment")
    }

    /// Publishes and watches: 200 → one `.passed` element at once; 202 → finds the new revision and
    /// polls it (status and `securityCheck.status`) with the adaptive schedule until it is `published`,
    /// fails, or `timeout` passes. A cancelled publish ends the watch with `.failed` ("cancelled").
    public func publishAndWatch(agentId: String, branchId: String, label: String?, expected: TimeInterval,
                                timeout: TimeInterval) async throws -> (result: PublishResult, progress: AsyncThrowingStream<CheckProgress, Error>) {
        let before = try await client.getBranch(agentId, branchId)
        let known = Set(try await client.listRevisions(agentId, branchId, limit: 5).revisions.map(\.id))
        let result = try await publish(agentId: agentId, branchId: branchId, label: label)
        if result.state == .committed {
            return (result, Self.finished(result.revision, expected: expected))
        }
        let revision = try await findPublishedRevision(agentId: agentId, branchId: branchId, draftId: before.branch.openDraftId, known: known)
        return (result, watch(agentId: agentId, branchId: branchId, revision: revision, expected: expected, timeout: timeout))
    }

    /// A stream with one final element for an already committed revision.
    static func finished(_ revision: Revision?, expected: TimeInterval) -> AsyncThrowingStream<CheckProgress, Error> {
        AsyncThrowingStream { c in
            c.yield(CheckProgress(phase: .passed, elapsed: 0, expected: expected, status: revision?.securityCheck?.status ?? .passed,
                                  reason: nil, version: revision, requests: 0, transientError: nil))
            c.finish()
        }
    }

    /// Watches a scanning revision with `SecurityCheckWatcher`'s adaptive loop. Success is
    /// `status == published` (a passed check on a row not yet committed still counts as running).
    public func watch(agentId: String, branchId: String, revision: Revision, expected: TimeInterval,
                      timeout: TimeInterval) -> AsyncThrowingStream<CheckProgress, Error> {
        let client = self.client
        let revisionId = revision.id
        return SecurityCheckWatcher(client: client, clock: clock).watch(
            schedule: PollSchedule(expected: expected, timeout: timeout), initial: Self.watchView(revision)) {
            do {
                return Self.watchView(try await client.getRevision(agentId, branchId, revisionId).revision)
            } catch let e as AtomsError where e.status == 404 || e.status == 400 {
                var gone = revision
                gone.securityCheck = SecurityCheck(status: .failed, reason: "the publish was cancelled")
                return gone
            }
        }
    }

    /// The row as the generic watcher should see it: committed → passed; failed/errored → as is;
    /// anything else → still running.
    static func watchView(_ r: Revision) -> Revision {
        var v = r
        if r.status == .published {
            v.securityCheck = r.securityCheck.map { var c = $0; c.status = .passed; return c } ?? SecurityCheck(status: .passed)
        } else if let c = r.securityCheck, c.status.isFailure {
            v.securityCheck = c
        } else {
            var c = r.securityCheck ?? SecurityCheck(status: .queued)
            if c.status.isPassed { c.status = .unknown("committing") }
            v.securityCheck = c
        }
        return v
    }

    /// Cancels a scanning publish (idempotent).
    public func cancelPublish(agentId: String, branchId: String) async throws {
        _ = try await client.cancelBranchPublish(agentId, branchId)
    }

    // MARK: Live and restore

    /// Makes a branch live, refusing unless its head passed its check, then reads the agent back and
    /// confirms `activeVersionId` is the head. Already live → the same verification, nothing sent.
    ///
    /// `expectedHead`: the head the caller knows the branch has (say, the revision a publish just
    /// committed). Reads can lag a publish by a few seconds, so the branch is read again until it
    /// shows that head (bounded by the client's `visibilityTimeout`) before anything is decided.
    public func makeLive(agentId: String, branchId: String, expectedHead: String? = nil) async throws -> MakeLiveOutcome {
        var summary = try await client.getBranch(agentId, branchId)
        if let expectedHead, summary.branch.headRevisionId != expectedHead {
            let (latest, visible) = try await Visibility.poll(clock: clock, timeout: client.configuration.visibilityTimeout) {
                try await client.getBranch(agentId, branchId)
            } accept: { $0.branch.headRevisionId == expectedHead }
            guard visible else {
                throw AtomsError(kind: .refused, serverErrors: ["the head \(expectedHead) of '\(latest.branch.name)' is \(Visibility.notVisibleYet)"],
                                 retryable: true, hint: "nothing was made live; try again in a few seconds")
            }
            summary = latest
        }
        if summary.branch.isArchived {
            throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' is archived"])
        }
        guard let head = summary.branch.headRevisionId else {
            throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' has no committed revision"])
        }
        // The kept by-id read resolves any revision; the server enforces the rule too.
        if let headRow = try? await client.getVersion(agentId, head).version, let check = headRow.securityCheck,
           !check.status.isPassed {
            throw AtomsError(kind: check.status.isFailure ? .securityCheckFailed : .refused,
                             serverErrors: ["the head of '\(summary.branch.name)' has not passed its security check (\(check.status.rawValue))"])
        }
        let before = try await client.getAgent(agentId)
        let live = summary.isLive ? summary : try await client.makeBranchLive(agentId, branchId)
        let (agent, visible) = try await Visibility.poll(clock: clock, timeout: client.configuration.visibilityTimeout) {
            try await client.getAgent(agentId)
        } accept: { $0.activeVersionId == head }
        guard visible else {
            throw AtomsError(kind: .refused, method: "GET", path: "/agent/\(agentId)",
                             serverErrors: ["make-live answered OK but the agent still shows activeVersionId \(agent.activeVersionId ?? "none"), not the head \(head): \(Visibility.notVisibleYet)"],
                             retryable: true, hint: "check the agent again in a few seconds before trying again")
        }
        return MakeLiveOutcome(branch: live, agent: agent, previousActiveVersionId: before.activeVersionId)
    }

    /// Restores an older revision as the branch's new head (200 committed; a 202 is watched like a publish).
    public func restore(agentId: String, branchId: String, revisionId: String, expected: TimeInterval,
                        timeout: TimeInterval) async throws -> (result: PublishResult, progress: AsyncThrowingStream<CheckProgress, Error>) {
        let known = Set(try await client.listRevisions(agentId, branchId, limit: 5).revisions.map(\.id))
        let result = try await client.restoreRevision(agentId, branchId, revisionId)
        if result.state == .committed { return (result, Self.finished(result.revision, expected: expected)) }
        let revision = try await findPublishedRevision(agentId: agentId, branchId: branchId, draftId: nil, known: known)
        return (result, watch(agentId: agentId, branchId: branchId, revision: revision, expected: expected, timeout: timeout))
    }

    /// A section-grouped diff of two refs, computed by the server.
    public func diff(agentId: String, from a: DiffRef, to b: DiffRef) async throws -> AgentVersionDiff {
        try await client.diffRefs(agentId, a, b)
    }
}
