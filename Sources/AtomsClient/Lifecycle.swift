import Foundation
import AtomsModels

/// Where a draft is forked from.
public enum ForkSource: Sendable, Equatable {
    case version(String)
    case draft(String)
}

/// A config to compare in a diff: a published version or a draft.
public enum VersionOrDraft: Sendable, Equatable {
    case version(String)
    case draft(String)
}

/// The outcome of a verified draft edit.
public struct PatchOutcome: Sendable, Equatable {
    /// The draft revision the server answered.
    public var revision: Int?
    /// Top-level fields sent.
    public var sentFields: [String]
    /// Sent fields whose read-back value still differed from what was expected when the bounded
    /// read-back retries ended: not visible yet (the platform's reads lag writes by a few seconds).
    public var notPersisted: [String]
    /// True when every sent field read back as expected.
    public var verified: Bool { notPersisted.isEmpty }

    /// Builds an outcome.
    public init(revision: Int?, sentFields: [String], notPersisted: [String]) {
        self.revision = revision
        self.sentFields = sentFields
        self.notPersisted = notPersisted
    }

    /// The sent fields that differ in `after` from `base` merged with `patch` (objects merge, arrays replace).
    static func mismatches(patch: ConfigDocument, base: ConfigDocument, after: ConfigDocument) -> [String] {
        var out: [String] = []
        for (field, sent) in patch.sorted(by: { $0.key < $1.key }) {
            let expected = base[field].map { $0.merging(sent) } ?? sent
            if after[field] != expected { out.append(field) }
        }
        return out
    }
}

/// The outcome of a verified activation.
public struct ActivationOutcome: Sendable {
    /// The version now active.
    public var version: AgentVersion
    /// The agent as read back after activating (its `activeVersionId` is the new version).
    public var agent: Agent
    /// The version that was active before, if known.
    public var previousActiveVersionId: String?
}

/// The lifecycle operations every front end uses (CLI and TUI alike): fork, edit with read-back,
/// publish, watch the security check, activate with verification, roll back, diff.
///
/// Nothing here can activate a version whose security check has not passed: `activate` reads the
/// version first and refuses unless `securityCheck.status` is `passed` (or the version has no check).
public struct Lifecycle: Sendable {
    /// The client in use.
    public let client: AtomsClient
    let clock: any WatchClock

    /// Builds the lifecycle on a client.
    public init(client: AtomsClient, clock: any WatchClock = SystemWatchClock()) {
        self.client = client
        self.clock = clock
    }

    /// Label ≤ 200 characters and description ≤ 2000, as the API enforces; checked before sending.
    public static func validatePublish(label: String?, description: String?) throws {
        if let l = label, l.count > 200 {
            throw AtomsError(kind: .invalidInput, serverErrors: ["label is \(l.count) characters; the limit is 200"])
        }
        if let d = description, d.count > 2000 {
            throw AtomsError(kind: .invalidInput, serverErrors: ["description is \(d.count) characters; the limit is 2000"])
        }
    }

    /// Forks a new draft from a version or a draft.
    public func fork(agentId: String, from source: ForkSource, name: String? = nil) async throws -> AgentVersion {
        if let n = name, n.isEmpty || n.count > 100 {
            throw AtomsError(kind: .invalidInput, serverErrors: ["draft name must be 1 to 100 characters"])
        }
        switch source {
        case .version(let v): return try await client.createDraft(agentId, CreateDraftRequest(sourceVersionId: v, draftName: name))
        case .draft(let d): return try await client.createDraft(agentId, CreateDraftRequest(sourceDraftId: d, draftName: name))
        }
    }

    /// The draft's current config as a request document, with its revision counter.
    public func draftDocument(agentId: String, draftId: String) async throws -> (document: ConfigDocument, revision: Int?) {
        async let agent = client.getAgent(agentId, draftId: draftId)
        async let detail = client.getDraft(agentId, draftId, historyLimit: 1)
        let (a, d) = try await (agent, detail)
        return (ConfigMapping.requestDocument(fromResolved: a.resolvedConfig ?? [:]), d.latest.draftRevision)
    }

    /// A version's config as a request document.
    public func versionDocument(agentId: String, versionId: String) async throws -> ConfigDocument {
        let detail = try await client.getVersion(agentId, versionId)
        return ConfigMapping.requestDocument(fromSectioned: detail.resolvedConfig)
    }

    /// The config of either kind of ref.
    public func document(agentId: String, _ ref: VersionOrDraft) async throws -> ConfigDocument {
        switch ref {
        case .version(let v): return try await versionDocument(agentId: agentId, versionId: v)
        case .draft(let d): return try await draftDocument(agentId: agentId, draftId: d).document
        }
    }

    /// Sends `patch` (top-level request fields) and reads the draft back: the PATCH does not echo,
    /// so every sent field is compared with what the server now holds (objects merge, arrays replace).
    public func patchDraft(agentId: String, draftId: String, patch: ConfigDocument,
                           before: ConfigDocument? = nil) async throws -> PatchOutcome {
        guard !patch.isEmpty else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["no changes to send"])
        }
        let base: ConfigDocument
        if let before { base = before } else { base = try await draftDocument(agentId: agentId, draftId: draftId).document }
        try AgentKind.requireEditable(base)
        let row = try await client.patchDraftConfig(agentId, draftId, patch)
        // Read back until every sent field shows, for a bounded time (reads can lag the write).
        let (after, _) = try await Visibility.poll(clock: clock, timeout: client.configuration.visibilityTimeout) {
            try await draftDocument(agentId: agentId, draftId: draftId).document
        } accept: { PatchOutcome.mismatches(patch: patch, base: base, after: $0).isEmpty }
        return PatchOutcome(revision: row.draftRevision, sentFields: patch.keys.sorted(),
                            notPersisted: PatchOutcome.mismatches(patch: patch, base: base, after: after))
    }

    /// Publishes a draft: an inactive version whose security check starts now.
    public func publish(agentId: String, draftId: String, label: String, description: String?) async throws -> AgentVersion {
        let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AtomsError(kind: .invalidInput, serverErrors: ["a label is required to publish"]) }
        try Self.validatePublish(label: trimmed, description: description)
        do {
            return try await client.publishDraft(agentId, draftId, label: trimmed, description: description)
        } catch var e as AtomsError where e.kind == .network || e.kind == .timeout {
            // The answer was lost: a version may exist now. It was not published again and nothing was activated.
            e.hint = "no answer to the publish: a new inactive version may or may not exist; it was not published again and nothing was activated — check `atoms-tui versions list \(agentId)` before publishing again"
            throw e
        }
    }

    /// Watches a published version's security check with the adaptive schedule.
    public func watchCheck(agentId: String, version: AgentVersion, expected: TimeInterval,
                           timeout: TimeInterval) -> AsyncThrowingStream<CheckProgress, Error> {
        SecurityCheckWatcher(client: client, clock: clock)
            .watch(agentId: agentId, versionId: version.id, expected: expected, timeout: timeout, initial: version)
    }

    /// Activates a version, refusing unless its check has passed, then reads the agent back and
    /// confirms `activeVersionId`. Activating an older version is a roll back.
    public func activate(agentId: String, versionId: String) async throws -> ActivationOutcome {
        let detail = try await client.getVersion(agentId, versionId)
        let v = detail.version
        if v.status != .published {
            throw AtomsError(kind: .refused, serverErrors: ["\(v.displayNumber) is not a published version"])
        }
        if let check = v.securityCheck {
            if check.status.isFailure {
                throw AtomsError(kind: .securityCheckFailed, serverErrors: [
                    "\(v.displayNumber) failed its security check: \(CheckReason.text(check.reason))",
                ], hint: "it can never be activated; fork a draft from it, fix it and publish again")
            }
            if !check.status.isPassed {
                throw AtomsError(kind: .refused, serverErrors: ["\(v.displayNumber)'s security check is still \(check.status.rawValue)"],
                                 retryable: true, hint: "wait for it to pass, then activate")
            }
        }
        let before = try? await client.getAgent(agentId)
        let activated = try await client.activateVersion(agentId, versionId)
        let (agent, visible) = try await Visibility.poll(clock: clock, timeout: client.configuration.visibilityTimeout) {
            try await client.getAgent(agentId)
        } accept: { $0.activeVersionId == versionId || $0.versionId == versionId }
        guard visible else {
            throw AtomsError(kind: .refused, method: "GET", path: "/agent/\(agentId)",
                             serverErrors: ["activation answered OK but the agent still shows activeVersionId \(agent.activeVersionId ?? "none"): \(Visibility.notVisibleYet)"],
                             retryable: true, hint: "check the agent again in a few seconds before trying again")
        }
        return ActivationOutcome(version: activated, agent: agent, previousActiveVersionId: before?.activeVersionId)
    }

    /// Rolls back to an older version (activation with the same checks and verification).
    public func rollback(agentId: String, to versionId: String) async throws -> ActivationOutcome {
        try await activate(agentId: agentId, versionId: versionId)
    }

    /// A section-grouped diff of two configs (each a version or a draft), computed from their
    /// request documents so drafts and versions compare alike.
    public func diff(agentId: String, from a: VersionOrDraft, to b: VersionOrDraft) async throws -> (old: ConfigDocument, new: ConfigDocument, diff: AgentVersionDiff) {
        async let da = document(agentId: agentId, a)
        async let db = document(agentId: agentId, b)
        let (old, new) = try await (da, db)
        return (old, new, ConfigMapping.diff(from: old, to: new))
    }
}
