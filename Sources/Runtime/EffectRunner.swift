import AtomsClient
import AtomsModels
import Foundation
import Synchronization
import TUICore

/// Where effect tasks post their messages: straight into the loop's event stream.
final class Inbox: Sendable {
    private let continuation: EventQueue

    init(_ continuation: EventQueue) { self.continuation = continuation }

    func post(_ msg: Msg) { continuation.yield(.message(msg)) }
}

/// Carries out `Effect`s as cancellable tasks keyed by `Effect.key`, posting one `Msg` per effect.
final class EffectRunner: @unchecked Sendable {
    let inbox: Inbox
    private let lock = NSLock()
    private var tasks: [String: (id: Int, task: Task<Void, Never>)] = [:]
    private var counter = 0
    private var services: RuntimeServices?
    private var pending: [Effect] = []

    /// `--read-only`: write effects are refused here too, whatever asked for them.
    let readOnly: Bool

    init(inbox: Inbox, readOnly: Bool = false) {
        self.inbox = inbox
        self.readOnly = readOnly
    }

    /// Sets the client once it is ready (the demo simulator starts after the first frame); effects
    /// asked for before that run now.
    func connect(_ lifecycle: Lifecycle) {
        let services = RuntimeServices(lifecycle: lifecycle)
        lock.lock()
        self.services = services
        let queued = pending
        pending = []
        lock.unlock()
        queued.forEach(run)
    }

    /// The services, once connected (nil before).
    var connected: RuntimeServices? {
        lock.lock()
        defer { lock.unlock() }
        return services
    }

    /// Cancels every running task.
    func cancelAll() {
        lock.lock()
        let all = tasks.values.map(\.task)
        tasks.removeAll()
        lock.unlock()
        all.forEach { $0.cancel() }
    }

    /// Runs one effect (not `.quit`/`.suspend`, which the loop handles).
    func run(_ effect: Effect) {
        if case .cancel(let key) = effect {
            lock.lock()
            let t = tasks.removeValue(forKey: key)
            lock.unlock()
            t?.task.cancel()
            return
        }
        if readOnly && effect.isWrite {
            // The keymap refuses write keys in read-only mode; this is the second, structural guard.
            inbox.post(.failed(effect, EffectFailure(kind: .readOnly, reason: "read-only mode (started with --read-only)", hint: "nothing was sent")))
            return
        }
        // A publish supersedes its review's three-way load: its reads would queue in front of the
        // publish's own requests on the paced client.
        var publishes = false
        if case .publishDraft = effect { publishes = true }
        if case .publishBranch = effect { publishes = true }
        if publishes {
            lock.lock()
            let review = tasks.removeValue(forKey: EffectKey.publishReview)
            lock.unlock()
            review?.task.cancel()
        }
        lock.lock()
        guard let services else {
            pending.removeAll { $0.key == effect.key && !effect.isWrite }
            pending.append(effect)
            lock.unlock()
            return
        }
        counter += 1
        let id = counter
        let key = effect.key
        let previous = tasks[key]
        let inbox = self.inbox
        let task = Task.detached { [weak self] in
            let msg: Msg?
            do {
                if let stream = EffectRunner.branchStream(effect) {
                    // v2 publish/restore: the answer, then one message per observation of the scan.
                    var answered = false
                    do {
                        try await EffectRunner.publishOrRestore(stream, services) { m in
                            if case .branchPublished = m { answered = true }
                            if !Task.isCancelled { inbox.post(m) }
                        }
                        msg = nil
                    } catch is CancellationError {
                        msg = nil
                    } catch {
                        if Task.isCancelled { msg = nil }
                        else if answered { msg = .checkWatchFailed(watchId: stream.watchId, EffectRunner.failure(error)) }
                        else { msg = .failed(effect, EffectRunner.failure(error)) }
                    }
                } else if case .watchCheck(let watchId, let agentId, let version, let timeout) = effect {
                    // A streaming effect: one message per observation, posted as they come.
                    do {
                        try await EffectRunner.watch(watchId: watchId, agentId: agentId, version: version, timeout: timeout, services) {
                            if !Task.isCancelled { inbox.post($0) }
                        }
                        msg = nil
                    } catch is CancellationError {
                        msg = nil
                    } catch {
                        msg = Task.isCancelled ? nil : .checkWatchFailed(watchId: watchId, EffectRunner.failure(error))
                    }
                } else {
                    msg = try await EffectRunner.perform(effect, services)
                }
            } catch is CancellationError {
                msg = nil
            } catch let e as AtomsError where e.isMigrationRequired {
                // A v1 call on a v2 account: remember it and switch the app over.
                services.detector.remember(.v2, for: services.lifecycle.client)
                msg = Task.isCancelled ? nil : .apiDetected(generation: .v2, reason: "This account is on the Atoms v2 branch model (a v1 call answered 409 versioning_v2_migration_required) — switched to branches + revisions")
            } catch {
                msg = Task.isCancelled ? nil : .failed(effect, EffectRunner.failure(error))
            }
            if let msg, !Task.isCancelled { inbox.post(msg) }
            self?.finished(key: key, id: id)
        }
        tasks[key] = (id, task)
        lock.unlock()
        previous?.task.cancel()
    }

    private func finished(key: String, id: Int) {
        lock.lock()
        if tasks[key]?.id == id { tasks.removeValue(forKey: key) }
        lock.unlock()
    }

    /// The typed failure of an error: its kind and status, the reason first (never the method and
    /// path), what to do; the v2 409 flavours say what happened and what to do.
    static func failure(_ error: Error) -> EffectFailure {
        guard let e = error as? AtomsError else { return EffectFailure(kind: .local, reason: "\(error)") }
        let server = e.serverErrors.joined(separator: "; ")
        var f = EffectFailure(kind: kind(e), status: e.status, reason: server, hint: e.hint, requestId: e.requestId)
        switch e.kind {
        case .network: f.reason = "no answer from the server (network error)"
        case .timeout: f.reason = "the server did not answer in time"
        case .decoding: f.reason = "the server's answer was not what the API documents"
        case .http, .invalidInput, .refused, .securityCheckFailed: break
        }
        if f.reason.isEmpty { f.reason = e.errorType?.rawValue ?? "the request failed" }
        if e.status == 401 { f.reason = "the API key was refused"; f.hint = "check the key given by --api-key, SMALLEST_API_KEY or the profile's apiKey" }
        if e.status == 423 { f.reason = "config freeze active: writes are frozen for a maintenance window"; f.hint = "reads still work; try again later" }
        if !server.isEmpty, e.status == 423 { f.reason += " (\(server))" }
        switch e.v2Conflict {
        case .securityCheckFailed?:
            f.reason = "this draft failed its security scan and was not edited since"; f.hint = "edit it (e), then publish again"
        case .publishInProgress?:
            f.reason = "a publish or restore is already running on this branch"; f.hint = "wait for its scan or cancel it (c)"
        case .baseRevisionUnavailable?:
            f.reason = "base_revision_unavailable: the draft's revision you started from is gone (published or discarded meanwhile)"
            f.hint = "press e to edit the branch as it is now"
        case .draftConflict(let c)?:
            f.reason = "someone else changed the same fields of this draft meanwhile" + (c.paths.isEmpty ? "" : ": " + c.paths.joined(separator: ", "))
        case .migrationRequired?:
            f.reason = "this account is on the v2 branch model (versioning_v2_migration_required)"
        case .other(let t)?:
            if let t, case .unknown(let raw) = t { f.reason = raw + (server.isEmpty ? "" : ": " + server) }
        case nil:
            break
        }
        return f
    }

    /// The failure kind of a client error.
    static func kind(_ e: AtomsError) -> EffectFailure.Kind {
        switch e.kind {
        case .network: return .network
        case .timeout: return .timeout
        case .decoding: return .unexpectedAnswer
        case .invalidInput: return .invalidInput
        case .refused, .securityCheckFailed: return .refused
        case .http:
            switch e.status ?? 0 {
            case 401: return .unauthorized
            case 403: return .forbidden
            case 404: return .notFound
            case 409: return .conflict
            case 423: return .frozen
            case 429: return .rateLimited
            case 500...: return .server
            default: return .rejected
            }
        }
    }

    /// A v2 publish or restore effect's parameters.
    struct BranchStream {
        var watchId: Int
        var agentId: String
        var branchId: String
        var label: String?
        var revisionId: String?
        var timeout: Double
        var restore: Bool { revisionId != nil }
    }

    static func branchStream(_ effect: Effect) -> BranchStream? {
        if case .publishBranch(let w, let a, let b, let label, let t) = effect {
            return BranchStream(watchId: w, agentId: a, branchId: b, label: label, revisionId: nil, timeout: t)
        }
        if case .restoreRevision(let w, let a, let b, let r, let t) = effect {
            return BranchStream(watchId: w, agentId: a, branchId: b, label: nil, revisionId: r, timeout: t)
        }
        return nil
    }

    /// Runs the client's `publishAndWatch` or `restore` and reports the answer and each observation.
    static func publishOrRestore(_ s: BranchStream, _ services: RuntimeServices, post: (Msg) -> Void) async throws {
        let bl = services.branchLifecycle
        let expected = services.history.expected()
        let (result, progress): (PublishResult, AsyncThrowingStream<CheckProgress, Error>)
        if let r = s.revisionId {
            (result, progress) = try await bl.restore(agentId: s.agentId, branchId: s.branchId, revisionId: r, expected: expected, timeout: s.timeout)
        } else {
            (result, progress) = try await bl.publishAndWatch(agentId: s.agentId, branchId: s.branchId, label: s.label, expected: expected, timeout: s.timeout)
        }
        var announced = false
        for try await p in progress {
            try Task.checkCancellation()
            if !announced {
                announced = true
                post(.branchPublished(watchId: s.watchId, agentId: s.agentId, branchId: s.branchId, state: result.state.rawValue,
                                      revision: result.revision ?? p.version, restored: s.restore))
            }
            let phase: CheckUpdate.Phase
            switch p.phase {
            case .checking: phase = .checking
            case .passed: phase = .passed
            case .failed: phase = .failed
            case .timedOut: phase = .timedOut
            }
            if (phase == .passed || phase == .failed) && p.elapsed > 0.5 { services.history.record(p.elapsed) }
            post(.checkProgress(watchId: s.watchId, CheckUpdate(phase: phase, elapsed: p.elapsed, expected: p.expected, status: p.status,
                                                                reason: p.reason, version: p.version, requests: p.requests,
                                                                transientError: p.transientError)))
        }
        if !announced {
            post(.branchPublished(watchId: s.watchId, agentId: s.agentId, branchId: s.branchId, state: result.state.rawValue,
                                  revision: result.revision, restored: s.restore))
        }
    }

    /// One effect against the client. Every result is a fact for `update`.
    static func perform(_ effect: Effect, _ services: RuntimeServices) async throws -> Msg? {
        let lifecycle = services.lifecycle
        let client = lifecycle.client
        let bl = services.branchLifecycle
        switch effect {
        case .loadBranches(let agentId):
            return .branchesLoaded(agentId: agentId, branches: try await client.listBranches(agentId))
        case .planLocalConfigs(let dir, let generation):
            return await planLocalConfigs(dir: dir, generation: generation, services)
        case .loadDraftBase(let agentId, let branch):
            return .draftBaseLoaded(agentId: agentId, branchId: branch.id, try await bl.draftBase(agentId: agentId, branch: branch))
        case .loadRevisions(let agentId, let branchId, let skip, let limit):
            let list = try await client.listRevisions(agentId, branchId, limit: limit, skip: skip)
            return .revisionsLoaded(agentId: agentId, branchId: branchId, skip: skip, list: list)
        case .loadConfig(let agentId, .revision(let branchId, let revisionId)):
            let doc = try await bl.revisionDocument(agentId: agentId, branchId: branchId, revisionId: revisionId)
            return .configLoaded(agentId: agentId, source: .revision(branchId: branchId, revisionId: revisionId), config: doc)
        case .loadConfig(let agentId, .branchDraft(let branchId, let draftId)):
            let doc = try await bl.draftDocument(agentId: agentId, branchId: branchId).document
            return .configLoaded(agentId: agentId, source: .branchDraft(branchId: branchId, draftId: draftId), config: doc)
        case .loadDiff(let agentId, let from, let to, .v2), .loadPublishDiff(let agentId, let from, let to, .v2):
            let result = try await bl.diff(agentId: agentId, from: diffRef(from), to: diffRef(to))
            return .diffLoaded(agentId: agentId, from: from, to: to, diff: result)
        case .cancelBranchPublish(let agentId, let branchId):
            try await bl.cancelPublish(agentId: agentId, branchId: branchId)
            return .branchPublishCancelled(agentId: agentId, branchId: branchId)
        case .makeBranchLive(let agentId, let branchId):
            let outcome = try await bl.makeLive(agentId: agentId, branchId: branchId)
            return .branchMadeLive(agentId: agentId, branchId: branchId, activeVersionId: outcome.agent.activeVersionId ?? "")
        case .createBranch(let agentId, let name, let from):
            return .branchCreated(agentId: agentId, branch: try await client.createBranch(agentId, name: name, from: from))
        case .renameBranch(let agentId, let branchId, let name):
            let b = try await client.renameBranch(agentId, branchId, to: name)
            return .branchRenamed(agentId: agentId, branchId: branchId, name: b.name)
        case .archiveBranch(let agentId, let branchId):
            _ = try await client.archiveBranch(agentId, branchId)
            return .branchArchived(agentId: agentId, branchId: branchId)
        case .discardBranchDraft(let agentId, let branchId):
            _ = try await client.discardBranchDraft(agentId, branchId)
            return .branchDraftDiscarded(agentId: agentId, branchId: branchId)
        case .publishBranch, .restoreRevision:
            return nil
        case .loadAgents(let page, let pageSize, let search):
            let list = try await client.listAgents(AgentListQuery(page: page, pageSize: pageSize, search: search))
            return .agentsLoaded(page: page, search: search, list: list)
        case .loadVersions(let agentId, let skip, let limit):
            let list = try await client.listVersions(agentId, limit: limit, skip: skip)
            return .versionsLoaded(agentId: agentId, skip: skip, list: list)
        case .loadDrafts(let agentId):
            return .draftsLoaded(agentId: agentId, drafts: try await client.listDrafts(agentId))
        case .loadHealth(let agentId, let generation):
            // The same loader as `versions stats` / `revisions stats`: the default window from the
            // versions' activations, the call logs through the cache, the statistics.
            let agent = try await client.getAgent(agentId)
            let serving = try await ReleaseHealthLoader.servingVersions(client: client, agentId: agentId, generation: generation)
            let result = try await services.health.load(agentId: agentId, activeVersionId: agent.activeVersionId, versions: serving)
            return .healthLoaded(agentId: agentId, report: result.report)
        case .loadConfig(let agentId, let source):
            let doc = try await lifecycle.document(agentId: agentId, ref(source))
            return .configLoaded(agentId: agentId, source: source, config: doc)
        case .loadDiff(let agentId, let from, let to, .v1), .loadPublishDiff(let agentId, let from, let to, .v1):
            let result = try await lifecycle.diff(agentId: agentId, from: ref(from), to: ref(to))
            return .diffLoaded(agentId: agentId, from: from, to: to, diff: result.diff)
        case .forkDraft(let agentId, let sourceVersionId, let sourceDraftId, let name):
            let source: ForkSource = sourceDraftId.map { .draft($0) } ?? .version(sourceVersionId ?? "")
            return .draftForked(agentId: agentId, draft: try await lifecycle.fork(agentId: agentId, from: source, name: name))
        case .renameDraft(let agentId, let draftId, let name):
            let r = try await client.renameDraft(agentId, draftId, to: name)
            return .draftRenamed(agentId: agentId, draftId: draftId, name: r.draftName)
        case .discardDraft(let agentId, let draftId):
            try await client.discardDraft(agentId, draftId)
            return .draftDiscarded(agentId: agentId, draftId: draftId)
        case .setPinned(let agentId, let versionId, let pinned):
            let v = try await client.updateVersionMeta(agentId, versionId, UpdateVersionMetaRequest(isPinned: pinned))
            return .pinChanged(agentId: agentId, versionId: versionId, pinned: v.isPinned)
        case .activate(let agentId, let versionId):
            let outcome = try await lifecycle.activate(agentId: agentId, versionId: versionId)
            return .activated(agentId: agentId, versionId: versionId,
                              verified: outcome.agent.activeVersionId == versionId || outcome.agent.versionId == versionId)
        case .beginEdit(let t, let resume):
            return try await beginEdit(t, resume: resume, services)
        case .saveEdit(let agentId, let draftId, let overwrite, let session):
            return try await saveEdit(agentId: agentId, draftId: draftId, overwrite: overwrite, session: session, services)
        case .abandonEdit(let agentId, let draftId, let session):
            return abandonEdit(agentId: agentId, draftId: draftId, session: session, services)
        case .publishDraft(let agentId, let draftId, let label, let description):
            let version = try await lifecycle.publish(agentId: agentId, draftId: draftId, label: label, description: description)
            return .published(agentId: agentId, draftId: draftId, version: version)
        case .updateVersionMeta(let agentId, let versionId, let label, let description):
            let v = try await client.updateVersionMeta(agentId, versionId, UpdateVersionMetaRequest(label: label, description: description))
            return .versionMetaChanged(agentId: agentId, version: v)
        case .loadReview(let agentId, let subject):
            let review = try await ThreeWayReviewer(client: services.lifecycle.client).review(agentId: agentId, reviewSubject(subject))
            return .reviewLoaded(agentId: agentId, subject: subject, review)
        case .rebaseDraft(let agentId, let agentName, let subject):
            return try await rebaseDraft(agentId: agentId, agentName: agentName, subject: subject, services)
        case .finishRebase(let agentId, let subject, let rebase):
            return try await finishRebase(agentId: agentId, subject: subject, rebase: rebase, services)
        case .editDraft, .rebaseConflicts, .watchCheck, .cancel, .quit, .suspend, .repaint, .copyToClipboard:
            return nil
        }
    }

    /// Follows a version's security check with the client's adaptive watch (the same one
    /// `publish --wait` uses), posting each observation; records the duration of a finished check
    /// in the account's history so the next estimate learns from it.
    static func watch(watchId: Int, agentId: String, version: AgentVersion, timeout: Double, _ services: RuntimeServices,
                      post: (Msg) -> Void) async throws {
        let expected = services.history.expected()
        for try await p in services.lifecycle.watchCheck(agentId: agentId, version: version, expected: expected, timeout: timeout) {
            try Task.checkCancellation()
            if (p.phase == .passed || p.phase == .failed) && p.elapsed > 0.5 { services.history.record(p.elapsed) }
            post(.checkProgress(watchId: watchId, p))
        }
    }

    /// `.beginEdit`: a recovery file first, else the shared flow's session, sent to the core with `.begun`
    /// (it comes back with `.editDraft`).
    static func beginEdit(_ t: EditTarget, resume: Bool?, _ services: RuntimeServices) async throws -> Msg {
        let flow = services.editFlow
        if resume == nil, let url = flow.hasRecovery(agentId: t.agentId, draftId: t.draftId) {
            return .edit(agentId: t.agentId, draftId: t.draftId, .recoveryFound(path: url.path))
        }
        let session: DraftEditSession
        if let branchId = t.branchId {
            session = try await flow.begin(agentId: t.agentId, branchId: branchId, agentName: t.agentName, branchName: t.draftName,
                                           format: services.editFormat, resume: resume ?? false)
        } else {
            session = try await flow.begin(agentId: t.agentId, draftId: t.draftId, agentName: t.agentName, draftName: t.draftName,
                                           format: services.editFormat, resume: resume ?? false)
        }
        return .edit(agentId: t.agentId, draftId: t.draftId, .begun(session: EditInProgress(session: session).carried))
    }

    /// `.saveEdit`: the carried patch, through the shared flow's save (a conflict goes back to the core with
    /// the session, for editing again on top of theirs).
    static func saveEdit(agentId: String, draftId: String, overwrite: Bool, session carried: Carried,
                         _ services: RuntimeServices) async throws -> Msg {
        let flow = services.editFlow
        guard var entry = EditInProgress(carried), let patch = entry.patch else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["no edit of this draft is waiting to be saved — press e to edit it again"])
        }
        switch await flow.save(entry.session, patch: patch, overwrite: overwrite) {
        case .saved(let outcome):
            let kept = outcome.verified ? nil : flow.recovery.load(agentId: agentId, draftId: draftId)?.url.path
            return .edit(agentId: agentId, draftId: draftId, .saved(revision: outcome.revision, notPersisted: outcome.notPersisted, recoveryPath: kept))
        case .conflict(let fields, let theirs, let mine, let latest, let latestRevision):
            entry.conflict = EditInProgress.Conflict(fields: fields, mine: mine, latest: latest, latestRevision: latestRevision)
            let rows = fields.map { EditConflict.Field(name: $0, theirs: text(theirs[$0]), mine: text(mine[$0])) }
            return .edit(agentId: agentId, draftId: draftId, .conflict(EditConflict(fields: rows, latestRevision: latestRevision),
                                                                       session: entry.carried))
        case .failed(let message, let url, let error):
            // The reason first (status, server words, hint, request id), never the method and path.
            let reason = error.map { EffectRunner.failure($0).line } ?? message
            return .edit(agentId: agentId, draftId: draftId, .failed(message: reason, recoveryPath: url?.path))
        }
    }

    /// `.abandonEdit`: the carried session's text goes to the recovery file; the core forgets the session.
    static func abandonEdit(agentId: String, draftId: String, session carried: Carried, _ services: RuntimeServices) -> Msg {
        let flow = services.editFlow
        var kept: String?
        if let entry = EditInProgress(carried) {
            kept = (try? flow.recovery.save(entry.session.text, agentId: agentId, draftId: draftId, format: entry.session.format))?.path
        }
        return .edit(agentId: agentId, draftId: draftId, .abandoned(recoveryPath: kept))
    }

    /// A field value as text for a dialog: strings as they are, other values as JSON.
    static func text(_ v: JSONValue?) -> String {
        guard let v else { return "(none)" }
        return v.stringValue ?? v.description
    }

    static func ref(_ s: ConfigSource) -> VersionOrDraft {
        switch s {
        case .version(let id), .revision(_, let id): return .version(id)
        case .draft(let id), .branchDraft(_, let id): return .draft(id)
        }
    }

    static func diffRef(_ s: ConfigSource) -> DiffRef {
        switch s {
        case .version(let id), .draft(let id), .revision(_, let id): return .revision(id)
        case .branchDraft(let b, _): return .draft(branchId: b)
        }
    }
}
