import Foundation
import AtomsModels

/// A named config on the platform: a version (v1) or a revision (v2).
public struct ConfigPoint: Sendable, Codable, Equatable {
    public var id: String
    public var number: Int?
    /// `v12`, `main r4`.
    public var name: String
    /// The config as a request document (not encoded: the changes carry the values).
    public var document: ConfigDocument

    enum CodingKeys: String, CodingKey { case id, number, name }

    /// Builds a point.
    public init(id: String, number: Int?, name: String, document: ConfigDocument) {
        self.id = id
        self.number = number
        self.name = name
        self.document = document
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        number = try c.decodeIfPresent(Int.self, forKey: .number)
        name = try c.decode(String.self, forKey: .name)
        document = [:]
    }
}

/// What the platform serves now for a file: v1 the active version; v2 the head of the file's branch.
public struct LiveSide: Sendable {
    public var point: ConfigPoint
    public var branchId: String?
    public var branchName: String?
    public var branchIsLive: Bool
}

/// The plan of one config file (or of one agent missing locally): local vs base vs live, per field.
public struct ConfigPlanEntry: Sendable, Encodable {
    /// `unchanged`: nothing differs · `changes`: local changes to push · `drift`: only the platform changed
    /// since the base · `conflict`: both changed a field differently · `new`: the file names no agent id ·
    /// `missing`: an agent with no file (`--all`) · `error`: the file or the agent could not be read.
    public enum Status: String, Sendable, Codable {
        case unchanged, changes, drift, conflict, new, missing, error
    }

    public var file: String?
    public var agentId: String?
    public var agentName: String?
    public var api: APIGeneration?
    public var branchId: String?
    public var branchName: String?
    public var status: Status
    public var base: ConfigPoint?
    public var live: ConfigPoint?
    /// Every changed leaf: `yours` = local change, `theirs` = remote change (drift), `both` = changed alike,
    /// `conflict`.
    public var comparison: ThreeWayComparison
    public var notes: [String]
    public var error: String?
    /// The file's parsed content (not encoded).
    public var local: AgentConfigFile?

    /// Builds an entry.
    public init(file: String?, agentId: String?, agentName: String?, api: APIGeneration?, status: Status,
                comparison: ThreeWayComparison = ThreeWayComparison(changes: []), notes: [String] = [], error: String? = nil) {
        self.file = file
        self.agentId = agentId
        self.agentName = agentName
        self.api = api
        self.status = status
        self.comparison = comparison
        self.notes = notes
        self.error = error
    }

    /// True when `push` has something to do for this entry (local changes, conflicts, a new agent).
    public var hasChangesToApply: Bool { status == .changes || status == .conflict || status == .new }

    enum CodingKeys: String, CodingKey {
        case file, agentId, agentName, api, branchId, branchName, status, base, live, changes, notes, error
        case localChanges, remoteChanges, conflicts
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(agentId, forKey: .agentId)
        try c.encode(agentName, forKey: .agentName)
        try c.encode(api?.rawValue, forKey: .api)
        try c.encodeIfPresent(branchId, forKey: .branchId)
        try c.encodeIfPresent(branchName, forKey: .branchName)
        try c.encode(status, forKey: .status)
        try c.encode(base, forKey: .base)
        try c.encode(live, forKey: .live)
        try c.encode(comparison.changes, forKey: .changes)
        try c.encode(comparison.yours.count, forKey: .localChanges)
        try c.encode(comparison.theirs.count, forKey: .remoteChanges)
        try c.encode(comparison.conflicts.count, forKey: .conflicts)
        try c.encode(notes, forKey: .notes)
        try c.encode(error, forKey: .error)
    }
}

/// How `push` applies a plan.
public struct PushOptions: Sendable {
    /// v1 version label / v2 revision label (v1 needs one: a default is made from the file name).
    public var label: String?
    /// v1: activate the new version once its check passed (the caller confirms first).
    public var activate = false
    /// v2: make the branch live once the revision is committed.
    public var makeLive = false
    /// Conflicting fields take the local value (otherwise a conflict stops the agent).
    public var force = false
    /// v2: write into a branch draft that already holds someone's unpublished edits (they ship too).
    public var includeOpenDraft = false
    /// Seconds to wait for a security check.
    public var timeout: TimeInterval = 300
    /// The expected check duration (progress schedule).
    public var expectedCheck: TimeInterval = 6

    /// Builds options.
    public init() {}
}

/// What `push` did for one agent.
public struct PushOutcome: Sendable, Encodable {
    /// `applied` · `nothing` (no local changes) · `refused` (conflict, open draft, moved since the plan;
    /// nothing sent) · `interrupted` (stopped before its first write: untouched) · `failed` (an API error) ·
    /// `checkFailed` (published, the security check failed: inactive) · `timedOut` (published, check still running).
    public enum Result: String, Sendable, Codable {
        case applied, nothing, refused, interrupted, failed, checkFailed, timedOut
    }

    public var file: String?
    public var agentId: String?
    public var agentName: String?
    public var result: Result
    public var message: String
    /// Top-level fields sent.
    public var fields: [String] = []
    /// `v13` / `main r5` when something was published.
    public var published: String?
    /// True when the new config serves traffic (v1 activated; v2 committed on the live branch or made live).
    public var live = false
    public var notes: [String] = []
    /// The file's new content after an applied push (the header's base moved to what was published).
    public var newFile: AgentConfigFile?

    enum CodingKeys: String, CodingKey { case file, agentId, agentName, result, message, fields, published, live, notes }

    /// Builds an outcome.
    public init(file: String?, agentId: String?, agentName: String?, result: Result, message: String) {
        self.file = file
        self.agentId = agentId
        self.agentName = agentName
        self.result = result
        self.message = message
    }
}

/// Configs as code: the pull / plan / push logic over the shared lifecycle (`Lifecycle`, `BranchLifecycle`,
/// `ThreeWayComparison`). Front ends do the file I/O, confirmation, concurrency and printing.
///
/// * base = the version/revision the file was pulled from (its header), live = what the platform serves
///   now (v1: the active version; v2: the head of the file's branch), local = the file's document.
/// * push merges: live's values everywhere, plus the local changes; a field changed on both sides stops the
///   agent unless `force` (local wins). v1 forks a fresh draft from the live version compared against (so
///   remote drift is kept and other drafts are never touched), patches only the changed fields with
///   verified read-back, publishes, watches the check and activates only when asked. v2 writes the branch
///   draft with `expectedRevision`, publishes and watches, and makes the branch live when asked.
public struct ConfigSync: Sendable {
    public let client: AtomsClient
    public let generation: APIGeneration
    let clock: any WatchClock

    /// Builds the sync for an account of `generation`.
    public init(client: AtomsClient, generation: APIGeneration, clock: any WatchClock = SystemWatchClock()) {
        self.client = client
        self.generation = generation
        self.clock = clock
    }

    var lifecycle: Lifecycle { Lifecycle(client: client, clock: clock) }
    var branches: BranchLifecycle { BranchLifecycle(client: client, clock: clock) }

    // MARK: Reading

    /// Every agent of the account (all pages).
    public func allAgents() async throws -> [Agent] {
        var out: [Agent] = []
        var page = 1
        while page <= 1000 {
            let list = try await client.listAgents(AgentListQuery(page: page, pageSize: 100))
            out += list.agents
            if list.hasMore != true || list.agents.isEmpty { break }
            page += 1
        }
        return out
    }

    /// What the platform serves now. v2: `branchRef` is a branch id or name (`live` by default).
    public func liveSide(agentId: String, branchRef: String? = nil) async throws -> LiveSide {
        switch generation {
        case .v1:
            let agent = try await client.getAgent(agentId)
            guard let active = agent.activeVersionId ?? agent.versionId else {
                throw AtomsError(kind: .refused, serverErrors: ["agent '\(agent.name)' has no active version"])
            }
            let detail = try await client.getVersion(agentId, active)
            let doc = ConfigMapping.requestDocument(fromSectioned: detail.resolvedConfig)
            return LiveSide(point: ConfigPoint(id: active, number: detail.version.versionNumber, name: detail.version.displayNumber, document: doc),
                            branchId: nil, branchName: nil, branchIsLive: true)
        case .v2:
            let summary: BranchSummary
            if let ref = branchRef, ObjectID.isValid(ref) {
                summary = try await client.getBranch(agentId, ref)
            } else {
                summary = try await Resolver(client: client).branch(agentId: agentId, branchRef ?? "live")
            }
            guard let head = summary.branch.headRevisionId else {
                throw AtomsError(kind: .refused, serverErrors: ["branch '\(summary.branch.name)' has no committed revision"])
            }
            let doc = try await branches.revisionDocument(agentId: agentId, revisionId: head)
            let number = summary.headRevisionNumber
            let name = "\(summary.branch.name) " + (number.map { "r\($0)" } ?? String(head.suffix(6)))
            return LiveSide(point: ConfigPoint(id: head, number: number, name: name, document: doc),
                            branchId: summary.id, branchName: summary.branch.name, branchIsLive: summary.isLive)
        }
    }

    /// A version's (v1) or revision's (v2) config.
    public func document(agentId: String, pointId: String) async throws -> ConfigDocument {
        switch generation {
        case .v1: return try await lifecycle.versionDocument(agentId: agentId, versionId: pointId)
        case .v2: return try await branches.revisionDocument(agentId: agentId, revisionId: pointId)
        }
    }

    /// The file `pull` writes for an agent (v2: `branch` names the branch, default the live one).
    public func snapshot(agent: Agent, branch: String? = nil) async throws -> AgentConfigFile {
        if generation == .v1, branch != nil {
            throw AtomsError(kind: .invalidInput, serverErrors: ["--branch is for v2 accounts (branches + revisions); this account is v1"])
        }
        let live = try await liveSide(agentId: agent.id, branchRef: branch)
        let header = AgentConfigHeader(agentId: agent.id, agentName: agent.name, api: generation, branchName: live.branchName,
                                       branchId: live.branchId, baseId: live.point.id, baseNumber: live.point.number,
                                       baseHash: AgentConfigFile.contentHash(live.point.document))
        return AgentConfigFile(header: header, document: live.point.document)
    }

    // MARK: Plan

    /// The plan of one file. Never throws: problems become an `error` entry.
    public func plan(_ file: AgentConfigFile, path: String?) async -> ConfigPlanEntry {
        let h = file.header
        var entry = ConfigPlanEntry(file: path, agentId: h.agentId, agentName: h.agentName, api: h.api ?? generation, status: .unchanged)
        entry.local = file
        entry.branchId = h.branchId
        entry.branchName = h.branchName
        let issues = ConfigValidator.validate(file.document)
        if !issues.isEmpty {
            entry.status = .error
            entry.error = "the document is not valid: " + issues.map(\.description).joined(separator: "; ")
            return entry
        }
        if let api = h.api, api != generation {
            entry.status = .error
            entry.error = "the file was pulled from a \(api.rawValue) account but the account is \(generation.rawValue) now: pull it again"
            return entry
        }
        guard let agentId = h.agentId else {
            guard let name = h.agentName, !name.isEmpty else {
                entry.status = .error
                entry.error = "the header names no agent-id and no agent-name: a new agent needs at least `# agent-name: NAME`"
                return entry
            }
            entry.status = .new
            entry.comparison = ThreeWayComparison.compare(base: [:], draft: file.document, live: [:])
            entry.notes.append("new agent '\(name)': push creates it and applies the document")
            return entry
        }
        do {
            // The common case in one request: the file is as pulled and the platform still serves its base.
            if let baseId = h.baseId, let hash = h.baseHash, AgentConfigFile.contentHash(file.document) == hash {
                let current: (id: String?, branch: BranchSummary?)
                switch generation {
                case .v1:
                    let agent = try await client.getAgent(agentId)
                    current = (agent.activeVersionId ?? agent.versionId, nil)
                case .v2:
                    if let b = h.branchId, ObjectID.isValid(b) {
                        let summary = try await client.getBranch(agentId, b)
                        current = (summary.branch.headRevisionId, summary)
                    } else {
                        current = (nil, nil)
                    }
                }
                if current.id == baseId {
                    let prefix = current.branch.map { "\($0.branch.name) " } ?? ""
                    let point = ConfigPoint(id: baseId, number: h.baseNumber, name: prefix + (h.baseLabel ?? String(baseId.suffix(6))), document: file.document)
                    entry.base = point
                    entry.live = point
                    entry.branchName = current.branch?.branch.name ?? entry.branchName
                    entry.status = .unchanged
                    return entry
                }
            }
            let live = try await liveSide(agentId: agentId, branchRef: generation == .v2 ? (h.branchId ?? h.branchName) : nil)
            entry.live = live.point
            entry.branchId = live.branchId ?? entry.branchId
            entry.branchName = live.branchName ?? entry.branchName
            var base: ConfigPoint
            if let baseId = h.baseId {
                let name = (generation == .v2 ? "\(live.branchName ?? "branch") " : "") + (h.baseLabel ?? String(baseId.suffix(6)))
                if baseId == live.point.id {
                    base = ConfigPoint(id: baseId, number: h.baseNumber, name: name, document: live.point.document)
                } else if let hash = h.baseHash, AgentConfigFile.contentHash(file.document) == hash {
                    // Not edited since the pull: the document is the base (no read needed).
                    base = ConfigPoint(id: baseId, number: h.baseNumber, name: name, document: file.document)
                } else {
                    base = ConfigPoint(id: baseId, number: h.baseNumber, name: name, document: try await document(agentId: agentId, pointId: baseId))
                }
                if let hash = h.baseHash, AgentConfigFile.contentHash(base.document) != hash {
                    entry.notes.append("the base \(name) read back differs from the hash recorded in the header (\(hash.prefix(19))…)")
                }
            } else {
                base = live.point
                entry.notes.append("the header records no base: compared with what is live as the base (every difference counts as a local change)")
            }
            entry.base = base
            entry.comparison = ThreeWayComparison.compare(base: base.document, draft: file.document, live: live.point.document)
            let removed = entry.comparison.changes.filter { c in
                (c.kind == .yours || c.kind == .conflict) && c.draft == nil && { if case .key? = c.steps.last { return true } else { return false } }()
            }
            if !removed.isEmpty {
                entry.status = .error
                entry.error = "removing fields is not supported by the API (\(removed.map(\.path).joined(separator: ", "))): set a value instead"
                return entry
            }
            let c = entry.comparison
            if !c.conflicts.isEmpty { entry.status = .conflict }
            else if !c.yours.isEmpty { entry.status = .changes }
            else if !c.theirs.isEmpty { entry.status = .drift }
            else { entry.status = .unchanged }
            var baseAhead = false
            if generation == .v1, base.id != live.point.id, let bn = base.number, let ln = live.point.number, bn > ln {
                baseAhead = true
                entry.notes.append("\(base.name) (the file's base) is newer than the active \(live.point.name): it was published but not activated, or live was rolled back; activate it with `atoms-tui versions activate \(agentId) \(base.id)`")
            }
            if !baseAhead, !c.theirs.isEmpty {
                entry.notes.append("the platform changed since \(base.name); push keeps those changes (pull to bring them into the file)")
            }
        } catch let e as AtomsError where e.isMigrationRequired {
            entry.status = .error
            entry.error = Self.migrated
        } catch {
            entry.status = .error
            entry.error = Self.describe(error)
        }
        return entry
    }

    /// The error of a v1 read on an account that moved to v2 (the caller remembers v2 for the account).
    public static let migrated = "this account now uses the Atoms v2 branch model (branches + revisions): run the command again, then pull the files again"

    /// The plan row of an agent that has no file (`plan --all`).
    public static func missing(_ agent: Agent, api: APIGeneration) -> ConfigPlanEntry {
        ConfigPlanEntry(file: nil, agentId: agent.id, agentName: agent.name, api: api, status: .missing,
                        notes: ["on the platform but not in the directory: `atoms-tui pull \(agent.id)` adds it"])
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? AtomsError { return e.description }
        return "\(error)"
    }

    // MARK: Push

    /// The document a push produces and the top-level fields it sends: live's values everywhere plus the
    /// local changes (conflicts: local when `force`, else live — the caller refuses conflicts first).
    public static func merged(_ entry: ConfigPlanEntry, force: Bool) -> (document: ConfigDocument, patch: ConfigDocument) {
        let base = entry.base?.document ?? [:], live = entry.live?.document ?? [:]
        let local = entry.local?.document ?? [:]
        let merged = ThreeWayComparison.merge(base: base, draft: local, live: live, conflicts: force ? .yours : .theirs)
        let fields = Set(entry.comparison.changes.filter { $0.kind == .yours || ($0.kind == .conflict && force) }.map(\.field))
        var patch: ConfigDocument = [:]
        for f in fields { if let v = merged[f] { patch[f] = v } }
        return (merged, patch)
    }

    /// Applies one entry. `shouldStart` is asked right before the agent's first write (false: leave it
    /// untouched, e.g. after Ctrl-C); once writing began the agent is carried through to the end.
    public func push(_ planned: ConfigPlanEntry, options: PushOptions, shouldStart: @Sendable () -> Bool,
                     progress: @Sendable (String) -> Void) async -> PushOutcome {
        var entry = planned
        var out = PushOutcome(file: entry.file, agentId: entry.agentId, agentName: entry.agentName, result: .nothing, message: "")
        func fail(_ r: PushOutcome.Result, _ m: String) -> PushOutcome { var o = out; o.result = r; o.message = m; return o }
        switch entry.status {
        case .error: return fail(.failed, entry.error ?? "the plan failed")
        case .missing, .unchanged: return fail(.nothing, "no changes")
        case .drift: return fail(.nothing, "no local changes (the platform changed since the base; pull to bring that into the file)")
        case .conflict where !options.force:
            let fields = entry.comparison.conflicts.map(\.path)
            return fail(.refused, "conflict: changed both locally and on the platform: \(fields.joined(separator: ", ")); nothing was sent (pull and redo your change, or --force to take the local values)")
        default: break
        }
        do {
            if entry.status == .new {
                guard shouldStart() else { return fail(.interrupted, "interrupted before starting: nothing was sent") }
                guard let name = entry.agentName else { return fail(.failed, "a new agent needs a name") }
                let id = try await client.createAgent(["name": .string(name)])
                progress("created agent '\(name)' (\(id))")
                entry.agentId = id
                out.agentId = id
                out.notes.append("created agent \(id)")
                let live = try await liveSide(agentId: id)
                entry.live = live.point
                entry.base = live.point
                entry.branchId = live.branchId
                entry.branchName = live.branchName
                entry.comparison = ThreeWayComparison.compare(base: live.point.document, draft: entry.local?.document ?? [:], live: live.point.document)
                if entry.comparison.yours.isEmpty {
                    out.newFile = try await newFile(entry, point: live.point, generation: generation)
                    return fail(.applied, "created agent '\(name)'; its document matched the new agent's config")
                }
                return try await apply(entry, options: options, out: out, alreadyStarted: true, shouldStart: shouldStart, progress: progress)
            }
            return try await apply(entry, options: options, out: out, alreadyStarted: false, shouldStart: shouldStart, progress: progress)
        } catch {
            return fail(.failed, Self.describe(error))
        }
    }

    func apply(_ entry: ConfigPlanEntry, options: PushOptions, out start: PushOutcome, alreadyStarted: Bool,
               shouldStart: @Sendable () -> Bool, progress: @Sendable (String) -> Void) async throws -> PushOutcome {
        var out = start
        guard let agentId = entry.agentId, let live = entry.live else { throw AtomsError(kind: .refused, serverErrors: ["nothing was planned"]) }
        let (mergedDoc, patch) = Self.merged(entry, force: options.force)
        out.fields = patch.keys.sorted()
        if patch.isEmpty { out.result = .nothing; out.message = "no changes"; return out }
        if options.force, !entry.comparison.conflicts.isEmpty {
            out.notes.append("--force: local values win for \(entry.comparison.conflicts.map(\.path).joined(separator: ", "))")
        }
        let label = String((options.label ?? "atoms-tui push \(entry.file.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "")")
            .trimmingCharacters(in: .whitespaces).prefix(200))
        switch generation {
        case .v1:
            let drafts = (try? await client.listDrafts(agentId)) ?? []
            for d in drafts where (d.draftRevision ?? 0) > 0 {
                out.notes.append("left alone: draft '\(d.draftName ?? d.draftId ?? d.id)' (r\(d.draftRevision ?? 0)) has unpublished edits; this push does not include them")
            }
            guard alreadyStarted || shouldStart() else { out.result = .interrupted; out.message = "interrupted before starting: nothing was sent"; return out }
            let draft = try await lifecycle.fork(agentId: agentId, from: .version(live.id), name: "atoms-tui push")
            let draftId = draft.draftId ?? draft.id
            let patched: PatchOutcome
            do {
                patched = try await lifecycle.patchDraft(agentId: agentId, draftId: draftId, patch: patch)
            } catch {
                try? await client.discardDraft(agentId, draftId)
                throw error
            }
            guard patched.verified else {
                try? await client.discardDraft(agentId, draftId)
                out.result = .failed
                out.message = "the patch did not read back as sent (\(patched.notPersisted.joined(separator: ", "))); the draft was discarded and nothing was published"
                return out
            }
            progress("patched \(out.fields.joined(separator: ", ")) (verified); publishing")
            let version = try await lifecycle.publish(agentId: agentId, draftId: draftId, label: label, description: nil)
            out.published = version.displayNumber
            progress("published \(version.displayNumber); security check running")
            var final: CheckProgress?
            for try await p in lifecycle.watchCheck(agentId: agentId, version: version, expected: options.expectedCheck, timeout: options.timeout) {
                final = p
            }
            switch final?.phase {
            case .passed?: break
            case .failed?:
                out.result = .checkFailed
                out.message = "\(version.displayNumber) failed its security check: \(final?.reason ?? "no reason given"); it stays inactive"
                return out
            default:
                out.result = .timedOut
                out.message = "the security check of \(version.displayNumber) was still running after \(Int(options.timeout)) s; it stays published and inactive"
                return out
            }
            var point = ConfigPoint(id: version.id, number: version.versionNumber, name: version.displayNumber, document: mergedDoc)
            point.document = try await lifecycle.versionDocument(agentId: agentId, versionId: version.id)
            if options.activate {
                let now = try await client.getAgent(agentId)
                if (now.activeVersionId ?? now.versionId) != live.id {
                    out.notes.append("not activated: the active version changed since the plan (it was \(live.name)); \(version.displayNumber) stays inactive")
                } else {
                    _ = try await lifecycle.activate(agentId: agentId, versionId: version.id)
                    out.live = true
                }
            }
            out.newFile = try await newFile(entry, point: point, generation: .v1)
            out.result = .applied
            out.message = out.live ? "\(version.displayNumber) published and activated · verified"
                : "\(version.displayNumber) published (inactive; activate with `atoms-tui versions activate \(agentId) \(version.id)` or push --activate)"
            return out
        case .v2:
            guard let branchId = entry.branchId else { throw AtomsError(kind: .refused, serverErrors: ["the plan names no branch"]) }
            let summary = try await client.getBranch(agentId, branchId)
            if summary.branch.headRevisionId != live.id {
                out.result = .refused
                out.message = "the branch '\(summary.branch.name)' moved since the plan (its head is no longer \(live.name)); nothing was sent — plan again"
                return out
            }
            var expectedRevision = 0
            let openedByUs = summary.branch.openDraftId == nil
            if !openedByUs {
                let (draftDoc, revision, _) = try await branches.draftDocument(agentId: agentId, branchId: branchId)
                if draftDoc != live.document && !options.includeOpenDraft {
                    out.result = .refused
                    out.message = "branch '\(summary.branch.name)' has an open draft with unpublished edits (draft revision \(revision)); left alone and nothing was sent — publish or discard it, or pass --include-open-draft to ship those edits too"
                    return out
                }
                if draftDoc != live.document { out.notes.append("--include-open-draft: the branch draft's own edits (revision \(revision)) ship too") }
                expectedRevision = revision
            }
            guard alreadyStarted || shouldStart() else { out.result = .interrupted; out.message = "interrupted before starting: nothing was sent"; return out }
            let edited: PatchOutcome
            do {
                edited = try await branches.editDraft(agentId: agentId, branchId: branchId, patch: patch, expectedRevision: expectedRevision)
            } catch let e as AtomsError where e.draftConflict != nil || e.v2Conflict == .baseRevisionUnavailable {
                out.result = .refused
                out.message = "the branch draft changed while pushing (\(e.draftConflict?.paths.joined(separator: ", ") ?? "base revision unavailable")); nothing was written — plan again"
                return out
            }
            guard edited.verified else {
                if openedByUs { _ = try? await client.discardBranchDraft(agentId, branchId) }
                out.result = .failed
                out.message = "the draft did not read back as sent (\(edited.notPersisted.joined(separator: ", ")))\(openedByUs ? "; the draft was discarded" : ""); nothing was published"
                return out
            }
            progress("wrote \(out.fields.joined(separator: ", ")) to the draft of '\(summary.branch.name)' (verified); publishing")
            let (_, stream) = try await branches.publishAndWatch(agentId: agentId, branchId: branchId, label: options.label ?? label,
                                                                 expected: options.expectedCheck, timeout: options.timeout)
            var final: CheckProgress?
            for try await p in stream { final = p }
            switch final?.phase {
            case .passed?: break
            case .failed?:
                out.result = .checkFailed
                out.message = "the publish on '\(summary.branch.name)' failed its security check: \(final?.reason ?? "no reason given"); nothing was committed and the draft stays open"
                return out
            default:
                out.result = .timedOut
                out.message = "the publish on '\(summary.branch.name)' was still scanning after \(Int(options.timeout)) s; it commits by itself when the scan passes"
                return out
            }
            guard let revision = final?.version else { throw AtomsError(kind: .refused, serverErrors: ["the publish finished without a revision"]) }
            let name = "\(summary.branch.name) \(revision.revisionLabel)"
            out.published = name
            out.live = summary.isLive
            if options.makeLive && !summary.isLive {
                _ = try await branches.makeLive(agentId: agentId, branchId: branchId)
                out.live = true
            }
            let doc = try await branches.revisionDocument(agentId: agentId, revisionId: revision.id)
            out.newFile = try await newFile(entry, point: ConfigPoint(id: revision.id, number: revision.revisionNumber, name: name, document: doc), generation: .v2)
            out.result = .applied
            out.message = "committed \(name)" + (out.live ? " · live" : " (not live; make it live with push --make-live or `atoms-tui branches live`)")
            return out
        }
    }

    /// The file after a push: the header's base is what was published; the document is its config
    /// (the local changes plus any drift that was kept).
    func newFile(_ entry: ConfigPlanEntry, point: ConfigPoint, generation: APIGeneration) async throws -> AgentConfigFile {
        var header = entry.local?.header ?? AgentConfigHeader()
        header.agentId = entry.agentId
        header.api = generation
        header.branchId = entry.branchId ?? header.branchId
        header.branchName = entry.branchName ?? header.branchName
        header.baseId = point.id
        header.baseNumber = point.number
        header.baseHash = AgentConfigFile.contentHash(point.document)
        return AgentConfigFile(header: header, document: point.document)
    }
}
