import AtomsClient
import AtomsModels
import Foundation
import Synchronization
import TUICore

/// Messages posted by effect tasks, drained by the loop on the main thread.
final class Inbox: Sendable {
    private let items = Mutex<[Msg]>([])

    func post(_ msg: Msg) { items.withLock { $0.append(msg) } }

    func drain() -> [Msg] { items.withLock { let out = $0; $0.removeAll(); return out } }
}

/// Carries out `Effect`s as cancellable tasks keyed by `Effect.key`, posting one `Msg` per effect.
final class EffectRunner: @unchecked Sendable {
    let inbox: Inbox
    private let lock = NSLock()
    private var tasks: [String: (id: Int, task: Task<Void, Never>)] = [:]
    private var counter = 0
    private var services: RuntimeServices?
    private var pending: [Effect] = []

    init(inbox: Inbox) { self.inbox = inbox }

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
                if case .watchCheck(let watchId, let agentId, let version, let timeout) = effect {
                    // A streaming effect: one message per observation, posted as they come.
                    do {
                        try await EffectRunner.watch(watchId: watchId, agentId: agentId, version: version, timeout: timeout, services) {
                            if !Task.isCancelled { inbox.post($0) }
                        }
                        msg = nil
                    } catch is CancellationError {
                        msg = nil
                    } catch {
                        msg = Task.isCancelled ? nil : .checkWatchFailed(watchId: watchId, message: EffectRunner.describe(error))
                    }
                } else {
                    msg = try await EffectRunner.perform(effect, services)
                }
            } catch is CancellationError {
                msg = nil
            } catch {
                msg = Task.isCancelled ? nil : .loadFailed(key: key, message: EffectRunner.describe(error))
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

    static func describe(_ error: Error) -> String {
        if let e = error as? AtomsError { return e.description }
        return "\(error)"
    }

    /// One effect against the client. Every result is a fact for `update`.
    static func perform(_ effect: Effect, _ services: RuntimeServices) async throws -> Msg? {
        let lifecycle = services.lifecycle
        let client = lifecycle.client
        switch effect {
        case .loadAgents(let page, let pageSize, let search):
            let list = try await client.listAgents(AgentListQuery(page: page, pageSize: pageSize, search: search))
            return .agentsLoaded(page: page, search: search, list: list)
        case .loadVersions(let agentId, let skip, let limit):
            let list = try await client.listVersions(agentId, limit: limit, skip: skip)
            return .versionsLoaded(agentId: agentId, skip: skip, list: list)
        case .loadDrafts(let agentId):
            return .draftsLoaded(agentId: agentId, drafts: try await client.listDrafts(agentId))
        case .loadConfig(let agentId, let source):
            let doc = try await lifecycle.document(agentId: agentId, ref(source))
            return .configLoaded(agentId: agentId, source: source, config: doc)
        case .loadDiff(let agentId, let from, let to), .loadPublishDiff(let agentId, let from, let to):
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
        case .beginEdit, .saveEdit, .abandonEdit:
            return try await performEdit(effect, services)
        case .publishDraft(let agentId, let draftId, let label, let description):
            let version = try await lifecycle.publish(agentId: agentId, draftId: draftId, label: label, description: description)
            return .published(agentId: agentId, draftId: draftId, version: version)
        case .updateVersionMeta(let agentId, let versionId, let label, let description):
            let v = try await client.updateVersionMeta(agentId, versionId, UpdateVersionMetaRequest(label: label, description: description))
            return .versionMetaChanged(agentId: agentId, version: v)
        case .editDraft, .watchCheck, .cancel, .quit, .suspend:
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

    /// The edit effects that run as tasks (the editor itself runs inline: `EditorHandOff`).
    static func performEdit(_ effect: Effect, _ services: RuntimeServices) async throws -> Msg? {
        let flow = services.editFlow
        switch effect {
        case .beginEdit(let t, let resume):
            if resume == nil, let url = flow.hasRecovery(agentId: t.agentId, draftId: t.draftId) {
                return .edit(agentId: t.agentId, draftId: t.draftId, .recoveryFound(path: url.path))
            }
            let session = try await flow.begin(agentId: t.agentId, draftId: t.draftId, agentName: t.agentName, draftName: t.draftName,
                                               format: services.editFormat, resume: resume ?? false)
            services.sessions.set(EditSessions.Entry(session: session), t.agentId, t.draftId)
            return .edit(agentId: t.agentId, draftId: t.draftId, .begun)
        case .saveEdit(let agentId, let draftId, let overwrite):
            guard var entry = services.sessions.get(agentId, draftId), let patch = entry.patch else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["no edit of this draft is waiting to be saved"])
            }
            switch await flow.save(entry.session, patch: patch, overwrite: overwrite) {
            case .saved(let outcome):
                services.sessions.remove(agentId, draftId)
                let kept = outcome.verified ? nil : flow.recovery.load(agentId: agentId, draftId: draftId)?.url.path
                return .edit(agentId: agentId, draftId: draftId, .saved(revision: outcome.revision, notPersisted: outcome.notPersisted, recoveryPath: kept))
            case .conflict(let fields, let theirs, let mine, let latest, let latestRevision):
                entry.conflict = EditSessions.Conflict(fields: fields, mine: mine, latest: latest, latestRevision: latestRevision)
                services.sessions.set(entry, agentId, draftId)
                let rows = fields.map { EditConflict.Field(name: $0, theirs: text(theirs[$0]), mine: text(mine[$0])) }
                return .edit(agentId: agentId, draftId: draftId, .conflict(EditConflict(fields: rows, latestRevision: latestRevision)))
            case .failed(let message, let url):
                services.sessions.remove(agentId, draftId)
                return .edit(agentId: agentId, draftId: draftId, .failed(message: message, recoveryPath: url?.path))
            }
        case .abandonEdit(let agentId, let draftId):
            var kept: String?
            if let entry = services.sessions.get(agentId, draftId) {
                kept = (try? flow.recovery.save(entry.session.text, agentId: agentId, draftId: draftId, format: entry.session.format))?.path
            }
            services.sessions.remove(agentId, draftId)
            return .edit(agentId: agentId, draftId: draftId, .abandoned(recoveryPath: kept))
        default:
            return nil
        }
    }

    /// A field value as text for a dialog: strings as they are, other values as JSON.
    static func text(_ v: JSONValue?) -> String {
        guard let v else { return "(none)" }
        return v.stringValue ?? v.description
    }

    static func ref(_ s: ConfigSource) -> VersionOrDraft {
        switch s {
        case .version(let id): return .version(id)
        case .draft(let id): return .draft(id)
        }
    }
}
