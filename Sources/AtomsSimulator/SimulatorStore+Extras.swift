import Foundation
import GRDB
import AtomsModels

/// The documented agent operations beyond drafts, versions and branches: the key's user, the plan's
/// agent limit, duplicate, the widget configuration and the three test-call operations (answered as
/// the spec documents; no call is placed).
extension SimulatorStore {
    // MARK: GET /user

    /// `GET /user`: the account of the API key (the simulator has one caller).
    public func user() -> JSONValue {
        [
            "_id": .string(SimUser.caller.id), "firstName": "Demo", "lastName": "User",
            "userEmail": "demo.user@example.com", "authProvider": "email", "isEmailVerified": true,
            "organizationId": .string(SimUser.organization),
        ]
    }

    // MARK: Plan limits

    /// Refuses a new agent when the plan's agent limit is reached (archived agents do not count):
    /// 400 with the documented "upgrade … plan" wording.
    func requireAgentRoom(_ db: Database) throws {
        guard let plan = options.plan else { return }
        let count = try SimulatorDatabase.allAgents(db).filter { !$0.archived }.count
        if count >= plan.agentLimit {
            throw SimulatorError.badRequest(
                "Agent limit reached: the \(plan.rawValue.capitalized) plan allows \(plan.agentLimit) agents. Please upgrade your plan to create more agents.")
        }
    }

    // MARK: POST /agent/{id}/duplicate

    /// `POST /agent/{id}/duplicate`: copies a single-prompt agent's active version into a new agent
    /// (version 1, active) in the target organisation, without knowledge-base tools, with default
    /// variable values blanked. Returns the new id.
    public func duplicateAgent(id: String, targetOrganizationId: String) throws -> String {
        try requireNotFrozen()
        return try write { db, now in
            let a = try requireAgent(db, id)
            guard targetOrganizationId == SimUser.organization else {
                throw SimulatorError(status: 403, errors: ["You are not a member of the target organization"])
            }
            if a.archived { throw SimulatorError.badRequest("Cannot duplicate an archived agent") }
            guard a.workflowType == "single_prompt" else {
                throw SimulatorError.badRequest("Only single prompt agents can be duplicated")
            }
            guard let activeId = a.activeVersionId else {
                throw SimulatorError.badRequest("This agent has no active version and cannot be duplicated")
            }
            guard let active = try SimulatorDatabase.version(db, activeId), active.row.status == .published, !active.deleted else {
                throw SimulatorError.badRequest("This agent has no active published version and cannot be duplicated")
            }
            try requireAgentRoom(db)
            var config = active.config
            if var spc = config["singlePromptConfig"]?.objectValue, let tools = spc["tools"]?.arrayValue {
                spc["tools"] = .array(tools.filter { $0["type"]?.stringValue != "knowledge_base_search" })
                config["singlePromptConfig"] = .object(spc)
            }
            if let vars = config["defaultVariables"]?.objectValue {
                config["defaultVariables"] = .object(vars.mapValues { _ in .string("") })
            }
            config["globalKnowledgeBaseId"] = nil
            return try insertAgent(db, now, name: a.name, description: a.description, workflowType: a.workflowType,
                                   config: config, allowInboundCall: a.allowInboundCall, visibleToEveryone: a.visibleToEveryone)
        }
    }

    // MARK: /agent/{id}/widget-config

    static let widgetSchema: [String: ConfigValidator.Schema] = [
        "position": .oneOf(["bottom-right", "bottom-left", "top-right", "top-left"]),
        "size": .oneOf(["tiny", "compact", "full"]), "borderRadius": .number(min: 0, max: 50),
        "mode": .oneOf(["chat", "voice"]), "theme": .oneOf(["light", "dark"]),
        "baseColor": .string(), "accentColor": .string(), "agentBubbleColor": .string(), "textOnAccentColor": .string(),
        "secondaryTextColor": .string(), "primaryTextColor": .string(), "title": .string(), "startButtonText": .string(),
        "endButtonText": .string(), "ctaTitle": .string(), "ctaSubtitle": .string(), "ctaName": .string(),
        "widgetName": .string(), "avatarUrl": .string(), "voiceEmptyMessage": .string(), "voiceActiveEmptyMessage": .string(),
        "chatEmptyMessage": .string(), "chatFirstMessage": .string(), "chatPlaceholder": .string(),
        "voiceShowTranscript": .bool, "consentRequired": .bool, "consentTitle": .string(), "consentContent": .string(),
        "consentStorageKey": .string(), "publicKey": .string(), "allowlist": .array(.string()),
    ]
    static let widgetNullable: Set<String> = [
        "ctaTitle", "ctaSubtitle", "ctaName", "widgetName", "avatarUrl", "voiceEmptyMessage", "voiceActiveEmptyMessage",
        "chatEmptyMessage", "chatFirstMessage", "consentStorageKey",
    ]
    /// Fields the GET answer declares (the rest of a stored widget config is kept but not shown).
    static let widgetAnswerFields: Set<String> = [
        "position", "size", "borderRadius", "mode", "theme", "baseColor", "accentColor", "title", "startButtonText",
        "endButtonText", "avatarUrl", "voiceShowTranscript", "consentRequired",
    ]

    /// `GET /agent/{id}/widget-config`: the stored fields (all may be absent) plus `assistantId`.
    public func widgetConfig(agentId: String) throws -> JSONValue {
        try write { db, _ in
            guard ObjectID.isValid(agentId), let a = try SimulatorDatabase.agent(db, agentId) else { throw SimulatorError.agentNotFound }
            var out = (a.widgetConfig ?? [:]).filter { Self.widgetAnswerFields.contains($0.key) }
            out["assistantId"] = .string(a.id)
            return .object(out)
        }
    }

    /// `PATCH /agent/{id}/widget-config` `{widgetConfig:{…}}`: a partial update (null clears a nullable
    /// field). `avatarUrl` must be on the platform's CDN (`*.smallest.ai`). Returns the updated config.
    public func updateWidgetConfig(agentId: String, _ body: ConfigDocument) throws -> JSONValue {
        try requireNotFrozen()
        guard ObjectID.isValid(agentId) else { throw SimulatorError.badRequest("Invalid agent ID") }
        var patch: ConfigDocument = [:]
        if let w = body["widgetConfig"] {
            guard let o = w.objectValue else { throw SimulatorError.badRequest("widgetConfig: Expected object, received \(w.typeName)") }
            patch = o
        }
        var errors: [String] = []
        for (k, v) in patch.sorted(by: { $0.key < $1.key }) {
            if v.isNull {
                if !Self.widgetNullable.contains(k) { errors.append("widgetConfig.\(k): Expected \(k == "allowlist" ? "array" : "value"), received null") }
                continue
            }
            if let s = Self.widgetSchema[k] { ConfigValidator.check(v, s, path: "widgetConfig.\(k)", into: &errors) }
        }
        if let url = patch["avatarUrl"]?.stringValue {
            let host = URL(string: url)?.host?.lowercased() ?? ""
            if !(host == "smallest.ai" || host.hasSuffix(".smallest.ai")) {
                errors.append("avatarUrl must be a URL on the platform CDN; upload it with POST /agent/{id}/avatar/presigned-url first")
            }
        }
        guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }
        return try write { db, now in
            guard var a = try SimulatorDatabase.agent(db, agentId) else { throw SimulatorError.agentNotFound }
            var config = a.widgetConfig ?? [:]
            for (k, v) in patch { config[k] = v }
            a.widgetConfig = config
            a.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, a)
            return .object(config)
        }
    }

    // MARK: Test calls

    /// Checks a test-call body (`TestCallRequest` / `TestCallV2Request` mode and phone) → the mode.
    static func testCallMode(_ body: ConfigDocument) throws -> String {
        var errors: [String] = []
        for (k, s) in [("mode", ConfigValidator.Schema.oneOf(["webcall", "chat", "telephony"])), ("toPhone", .string())] {
            if let v = body[k] { ConfigValidator.check(v, s, path: k, into: &errors) }
        }
        guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }
        let mode = body["mode"]?.stringValue ?? "webcall"
        if mode == "telephony" {
            guard let phone = body["toPhone"]?.stringValue, phone.range(of: #"^\+[1-9]\d{6,14}$"#, options: .regularExpression) != nil else {
                throw SimulatorError.badRequest("toPhone: A valid E.164 phone number is required for telephony test calls")
            }
        }
        return mode
    }

    /// The answer of a test call (no call is placed): ids, and for webcall/chat a room and token.
    /// A test call of a published version or revision is recorded: it shows in the agent's call
    /// logs as a completed `isTest` call attributed to that version.
    func testCallAnswer(_ db: Database, _ now: Date, mode: String, callIdOnly: Bool = false,
                        agentId: String? = nil, versionId: String? = nil) throws -> JSONValue {
        let conversation = try newID(db, now)
        let callId = "CALL-\(Int(now.timeIntervalSince1970 * 1000))-\(conversation.suffix(6))"
        if let agentId, let versionId {
            try SimulatorDatabase.recordTestCall(db, agentId: agentId, StoredTestCall(
                callId: callId, versionId: versionId, mode: mode, createdAt: Self.iso(now)))
        }
        if callIdOnly { return ["callId": .string(callId)] }
        var out: ConfigDocument = ["conversationId": .string(conversation), "callId": .string(callId)]
        if mode != "telephony" {
            out["token"] = .string("sim-livekit-token-\(conversation)")
            out["roomName"] = .string("test-\(conversation)")
            out["host"] = "wss://livekit.simulator.invalid"
        }
        return .object(out)
    }

    /// `POST /agent/{id}/drafts/{draftId}/test-call` (exempt from the v1 write block): `{callId}`.
    public func draftTestCall(agentId: String, draftId: String, _ body: ConfigDocument) throws -> JSONValue {
        let mode = try Self.testCallMode(body)
        return try write { db, now in
            guard ObjectID.isValid(agentId), try SimulatorDatabase.agent(db, agentId) != nil else { throw SimulatorError.agentNotFound }
            guard try SimulatorDatabase.draft(db, agentId: agentId, draftId: draftId) != nil else {
                throw SimulatorError.notFound("Draft not found")
            }
            return try testCallAnswer(db, now, mode: mode, callIdOnly: true)
        }
    }

    /// `POST /agent/{id}/versions/{versionId}/test-call` (exempt from the v1 write block).
    public func versionTestCall(agentId: String, versionId: String, _ body: ConfigDocument) throws -> JSONValue {
        let mode = try Self.testCallMode(body)
        return try write { db, now in
            guard ObjectID.isValid(agentId), try SimulatorDatabase.agent(db, agentId) != nil else { throw SimulatorError.agentNotFound }
            guard ObjectID.isValid(versionId), let v = try SimulatorDatabase.version(db, versionId), v.row.agent == agentId,
                  !v.isDraft, !v.deleted else {
                throw SimulatorError.notFound("Version not found")
            }
            return try testCallAnswer(db, now, mode: mode, agentId: agentId, versionId: v.row.id)
        }
    }

    /// `POST /agent/{id}/branches/{branchId}/test-call`: the branch head, its open draft
    /// (`includeDraft`) or one of its committed revisions (`revisionId`); both → 400.
    public func branchTestCall(agentId: String, branchId: String, _ body: ConfigDocument) throws -> JSONValue {
        try requireV2()
        var errors: [String] = []
        for (k, s) in [("includeDraft", ConfigValidator.Schema.bool), ("revisionId", .string(pattern: "^[a-f\\d]{24}$"))] {
            if let v = body[k] { ConfigValidator.check(v, s, path: k, into: &errors) }
        }
        guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }
        let includeDraft = body["includeDraft"]?.boolValue ?? false
        let revisionId = body["revisionId"]?.stringValue
        if includeDraft && revisionId != nil {
            throw SimulatorError.badRequest("includeDraft and revisionId are mutually exclusive")
        }
        let mode = try Self.testCallMode(body)
        return try write { db, now in
            _ = try prepareAgent(db, agentId, now)
            let b = try requireBranch(db, agentId: agentId, branchId: branchId)
            var tested: String?  // the committed revision under test (a draft's calls are not attributed)
            if includeDraft {
                _ = try requireOpenDraft(db, b)
            } else if let revisionId {
                guard let v = try revisionRow(db, agentId: agentId, revisionId), v.row.branch == b.id, v.row.status == .published else {
                    throw SimulatorError.notFound("Revision not found")
                }
                tested = v.row.id
            } else if let head = b.branch.headRevisionId {
                tested = head
            } else {
                throw SimulatorError(status: 409, errors: ["Branch has no committed revision"], errorType: .noCommittedRevision)
            }
            return try testCallAnswer(db, now, mode: mode, agentId: agentId, versionId: tested)
        }
    }
}
