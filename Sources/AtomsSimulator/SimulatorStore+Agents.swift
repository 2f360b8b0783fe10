import Foundation
import GRDB
import AtomsModels

extension SimulatorStore {
    /// The config a new agent starts from: the spec's defaults.
    static let defaultConfig: ConfigDocument = [
        "singlePromptConfig": ["prompt": "", "tools": []],
        "slmModel": "electron",
        "language": ["default": "en", "supported": ["en"], "switching": defaultSwitching],
        "synthesizer": [
            "voiceConfig": ["model": "waves_lightning_v3_1", "voiceId": "nyah", "gender": "female"],
            "speed": 1.2, "consistency": 0.5, "similarity": 0, "enhancement": 1, "sampleRate": 16000,
        ],
        "firstMessage": "",
        "backgroundSound": "",
        "allowInterruptions": true,
        "waitForUserToSpeakFirst": false,
        "muteUserUntilFirstBotResponse": false,
        "interruptionBackoffTimer": 0,
        "postCallAnalyticsConfig": ["dispositionMetrics": [], "useInternalAnalyticsModel": true, "useReasoningModel": false],
        "callDispositionConfig": "",
        "preCallAPI": ["isEnabled": false],
        "denoisingConfig": ["isEnabled": false],
        "redactionConfig": ["isEnabled": true],
        "voiceMailDetectionConfig": [
            "enabled": false, "endText": "Terminating call, you can call us back anytime. Thank you for calling.",
        ],
        "sessionTimeoutConfig": ["timeoutTimeInSecs": 1800],
        "timezone": ["label": "(GMT+0:00) UTC", "offset": 0],
        "enableStyleGuide": true,
    ]

    static let defaultSwitching: JSONValue = [
        "isEnabled": false, "minWordsForDetection": 2, "strongSignalThreshold": 0.7, "weakSignalThreshold": 0.3,
        "minConsecutiveForWeakThresholdSwitch": 2,
    ]

    /// The 13 section block ids for a brand-new config.
    func freshBlocks(_ db: Database, _ now: Date) throws -> [String: String] {
        var b: [String: String] = [:]
        for s in ConfigMapping.sections { b[s] = try newID(db, now) }
        return b
    }

    // MARK: GET /agent

    /// `GET /agent`: one page of agents (no `_resolvedConfig` on list rows).
    public func listAgents(_ query: AgentListQuery = AgentListQuery()) throws -> AgentList {
        guard query.page >= 1 else { throw SimulatorError.badRequest("page: Number must be greater than or equal to 1") }
        guard query.offset >= 1 else { throw SimulatorError.badRequest("offset: Number must be greater than or equal to 1") }
        let validSorts = ["createdAt", "updatedAt", "totalCalls", "name", "workflowType"]
        guard validSorts.contains(query.sortField) else {
            throw SimulatorError.badRequest("sortField: Invalid enum value. Expected \(validSorts.map { "'\($0)'" }.joined(separator: " | ")), received '\(query.sortField)'")
        }
        // An empty `type=` is the parameter absent. The spec's enum plus the third kind the platform serves (`multi_agents`, Playbooks): the demo lists them.
        let validTypes = ["single_prompt", "workflow_graph", "multi_agents"]
        if let t = query.type, !t.isEmpty, !validTypes.contains(t) {
            throw SimulatorError.badRequest("type: Invalid enum value. Expected \(validTypes.map { "'\($0)'" }.joined(separator: " | ")), received '\(t)'")
        }
        guard ["asc", "desc"].contains(query.sortOrder) else {
            throw SimulatorError.badRequest("sortOrder: Invalid enum value. Expected 'asc' | 'desc', received '\(query.sortOrder)'")
        }
        return try write { db, _ in
            var agents = try SimulatorDatabase.allAgents(db).filter { $0.archived == query.archived }
            let search = query.search?.trimmingCharacters(in: .whitespaces) ?? ""
            if !search.isEmpty { agents = agents.filter { $0.name.localizedLowercase.contains(search.localizedLowercase) } }
            if let t = query.type, !t.isEmpty { agents = agents.filter { $0.workflowType == t } }
            let asc = query.sortOrder == "asc"
            agents.sort { a, b in
                let ordered: Bool?
                switch query.sortField {
                case "updatedAt": ordered = a.updatedAt == b.updatedAt ? nil : a.updatedAt < b.updatedAt
                case "totalCalls": ordered = a.totalCalls == b.totalCalls ? nil : a.totalCalls < b.totalCalls
                case "name":
                    let (x, y) = (a.name.localizedLowercase, b.name.localizedLowercase)
                    ordered = x == y ? nil : x < y
                case "workflowType": ordered = a.workflowType == b.workflowType ? nil : a.workflowType < b.workflowType
                default: ordered = a.createdAt == b.createdAt ? nil : a.createdAt < b.createdAt
                }
                if let ordered { return asc ? ordered : !ordered }
                return asc ? a.id < b.id : a.id > b.id
            }
            let size = min(query.offset, 100)
            let total = agents.count
            let pages = (total + size - 1) / size
            // A page far past the end is an empty page: computed without overflow for any page number.
            let (start, overflow) = (query.page - 1).multipliedReportingOverflow(by: size)
            let slice = !overflow && start < total ? Array(agents[start..<min(total, start + size)]) : []
            let rows = try slice.map { try agentDTO(db, $0, config: nil, source: nil) }
            return AgentList(agents: rows, total: total, totalPages: pages, hasMore: query.page < pages,
                             isSearchResults: !search.isEmpty)
        }
    }

    // MARK: POST /agent

    /// `POST /agent`: creates a versioned agent whose version 1 (published, active, check passed)
    /// holds the given config over the spec's defaults. Returns the new id.
    public func createAgent(_ body: ConfigDocument) throws -> String {
        try requireNotFrozen()
        if body["workflowType"]?.stringValue == "multi_agents" && !options.multiAgentAccess {
            throw SimulatorError(status: 403, errors: ["Multi-Agent agents are not available for your organization."])
        }
        guard let nameValue = body["name"] else { throw SimulatorError.badRequest("name: Required") }
        var errors: [String] = []
        ConfigValidator.check(nameValue, .string(), path: "name", into: &errors)
        if let n = nameValue.stringValue, n.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append("name: String must contain at least 1 character(s)")
        }
        if let lang = body["language"], let o = lang.objectValue, o["switching"] == nil {
            throw SimulatorError.badRequest("Invalid Input: Required")
        }
        for (k, v) in body.sorted(by: { $0.key < $1.key }) where k != "name" {
            if let s = ConfigValidator.metadataFields[k] { ConfigValidator.check(v, s, path: k, into: &errors) }
        }
        errors += ConfigValidator.validateConfigFields(body)
        guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }

        var patch: ConfigDocument = [:]
        for (k, v) in body where ConfigValidator.fields[k] != nil && k != "backgroundSound" { patch[k] = v }
        // `backgroundSound` is overridden by the server default on creation (spec).
        if var lang = patch["language"]?.objectValue, lang["supported"] == nil, let d = lang["default"] {
            lang["supported"] = [d]
            patch["language"] = .object(lang)
        }
        let config = JSONValue.object(Self.defaultConfig).merging(.object(patch)).objectValue ?? Self.defaultConfig
        let ruleErrors = ConfigValidator.validateLanguageRules(config)
        guard ruleErrors.isEmpty else { throw SimulatorError(status: 400, errors: ruleErrors) }

        return try write { db, now in
            try requireAgentRoom(db)
            return try insertAgent(
                db, now, name: body["name"]?.stringValue ?? "", description: body["description"]?.stringValue,
                workflowType: body["workflowType"]?.stringValue ?? "single_prompt", config: config,
                telephonyProductId: body["telephonyProductId"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                allowInboundCall: body["allowInboundCall"]?.boolValue ?? true,
                visibleToEveryone: body["visibleToEveryone"]?.boolValue ?? false)
        }
    }

    /// Inserts an agent whose version 1 (published, active, check passed) holds `config`. Returns its id.
    func insertAgent(_ db: Database, _ now: Date, name: String, description: String?, workflowType: String,
                     config: ConfigDocument, telephonyProductId: [String] = [], allowInboundCall: Bool = true,
                     visibleToEveryone: Bool = false) throws -> String {
        let stamp = Self.iso(now)
        let agentId = try newID(db, now)
        let versionId = try newID(db, now)
        var row = AgentVersion(id: versionId, agent: agentId, status: .published, versionNumber: 1, isActive: true)
        row.publishedBy = SimUser.caller.id
        row.publishedAt = stamp
        row.activatedBy = SimUser.caller.id
        row.activatedAt = stamp
        row.blocks = try freshBlocks(db, now)
        row.workflowType = workflowType
        row.securityCheck = SecurityCheck(status: .passed, triggeredAt: stamp, completedAt: stamp)
        row.createdBy = SimUser.caller.id
        row.createdAt = stamp
        row.updatedAt = stamp
        try SimulatorDatabase.save(db, StoredVersion(row: row, config: config, deleted: false, checkDeadline: now.timeIntervalSince1970))
        let agent = StoredAgent(
            id: agentId, name: name, description: description,
            avatarUrl: nil, workflowType: workflowType, workflowId: try newID(db, now), activeVersionId: versionId,
            archived: false, archivedAt: nil, createdAt: stamp, updatedAt: stamp, totalCalls: 0,
            telephonyProductId: telephonyProductId, allowInboundCall: allowInboundCall,
            visibleToEveryone: visibleToEveryone, createdBy: SimUser.caller.id, organization: SimUser.organization)
        try SimulatorDatabase.save(db, agent)
        return agentId
    }

    // MARK: GET /agent/{id}

    /// `GET /agent/{id}`: the agent with `_resolvedConfig` from the active version, or from a draft
    /// (`draftId`, `_configSource: "draft"`) or a version (`versionId`, `_configSource: "version"`).
    /// An unknown agent is `400 ["No agent found"]`; so is an unknown `draftId` or `versionId`
    /// (the operation declares no 404: the spec uses 400 for "not found" here).
    public func agent(id: String, draftId: String? = nil, versionId: String? = nil) throws -> Agent {
        try write { db, now in
            guard let a = try SimulatorDatabase.agent(db, id) else { throw SimulatorError.badRequest("No agent found") }
            if let draftId {
                guard let d = try SimulatorDatabase.draft(db, agentId: id, draftId: draftId) else {
                    throw SimulatorError.badRequest("No draft found")
                }
                return try agentDTO(db, a, config: d.config, source: "draft")
            }
            if let versionId {
                guard let v = try SimulatorDatabase.version(db, versionId), v.row.agent == id, !v.isDraft else {
                    throw SimulatorError.badRequest("No version found")
                }
                return try agentDTO(db, a, config: v.config, source: "version")
            }
            let active = try a.activeVersionId.flatMap { try SimulatorDatabase.version(db, $0) }
            return try agentDTO(db, a, config: active?.config, source: nil)
        }
    }

    /// Config fields `AgentDTO` declares at the top level of the agent document.
    static let agentLevelConfigFields = [
        "backgroundSound", "globalKnowledgeBaseId", "language", "synthesizer", "slmModel", "defaultVariables", "preCallAPI",
        "firstMessage", "allowInterruptions", "waitForUserToSpeakFirst", "transcriberType", "globalPrompt",
        "speechFormatting", "muteUserUntilFirstBotResponse", "interruptionBackoffTimer", "enableStyleGuide",
        "callDispositionConfig", "voiceMailDetectionConfig", "smartTurnConfig", "voiceDetectionConfig", "denoisingConfig",
        "redactionConfig", "pronunciationDicts", "llmIdleTimeoutConfig", "sessionTimeoutConfig", "timezone",
        "postCallAnalyticsConfig", "widgetConfig",
    ]

    /// The wire `AgentDTO`. `config` fills `_resolvedConfig`.
    func agentDTO(_ db: Database, _ a: StoredAgent, config: ConfigDocument?, source: String?) throws -> Agent {
        var other: ConfigDocument = [
            "organization": .string(a.organization),
            "createdBy": .string(a.createdBy),
            "telephonyProductId": .array(a.telephonyProductId.map { .string($0) }),
            "allowInboundCall": .bool(a.allowInboundCall),
            "visibleToEveryone": .bool(a.visibleToEveryone),
        ]
        if let url = a.avatarUrl { other["avatarUrl"] = .string(url) }
        // The versioned fields `AgentDTO` declares at the top level, from the active version (the same
        // values as `_resolvedConfig` when no draft or version is asked for), in the response shape.
        let now = clock.now()
        let activeConfig = try a.activeVersionId.flatMap { try SimulatorDatabase.version(db, $0) }
            .map { Self.answerShape($0.config, at: now) }
        for k in Self.agentLevelConfigFields {
            if let v = activeConfig?[k] { other[k] = v }
        }
        // AgentDTO.preCallAPI requires url and method: a disabled pre-call API without them (the
        // default `{isEnabled: false}`) is left out at the top level (it stays in `_resolvedConfig`).
        if let pre = other["preCallAPI"]?.objectValue, pre["url"] == nil || pre["method"] == nil { other["preCallAPI"] = nil }
        var dto = Agent(id: a.id, name: a.name, description: a.description, workflowType: a.workflowType,
                        activeVersionId: a.activeVersionId, archived: a.archived, otherFields: other)
        dto.workflowId = a.workflowId
        dto.archivedAt = a.archivedAt
        dto.createdAt = a.createdAt
        dto.updatedAt = a.updatedAt
        dto.totalCalls = a.totalCalls
        if let config {
            // `workflowGraph` is typed `object` (not nullable) in the spec: a single-prompt agent has none,
            // so the key is left out rather than sent as null.
            let resolved = ConfigMapping.resolved(fromRequestDocument: Self.answerShape(config, at: now))
            dto.resolvedConfig = resolved
            dto.configSource = source
            var versioned: ConfigDocument = ["prompt": resolved["prompt"] ?? "", "tools": resolved["tools"] ?? []]
            if let graph = resolved["workflowGraph"], !graph.isNull { versioned["workflowGraph"] = graph }
            dto.otherFields["_versionedWorkflow"] = .object(versioned)
        }
        return dto
    }

    // MARK: PATCH /agent/{id}

    /// `PATCH /agent/{id}`: metadata only. Any config field → 400 (versioning enabled).
    public func updateAgent(id: String, _ body: ConfigDocument) throws -> String {
        try requireNotFrozen()
        return try write { db, now in
            var a = try requireAgent(db, id)
            if body.keys.contains(where: { ConfigValidator.fields[$0] != nil || $0 == "workflowGraph" }) {
                throw SimulatorError.badRequest("Agent has versioning enabled. Config changes must be made through drafts.")
            }
            var errors: [String] = []
            for (k, v) in body.sorted(by: { $0.key < $1.key }) {
                if let s = ConfigValidator.metadataFields[k] { ConfigValidator.check(v, s, path: k, into: &errors) }
            }
            if let n = body["name"]?.stringValue, n.trimmingCharacters(in: .whitespaces).isEmpty {
                errors.append("name: String must contain at least 1 character(s)")
            }
            guard errors.isEmpty else { throw SimulatorError(status: 400, errors: errors) }
            if let v = body["name"]?.stringValue { a.name = v }
            if let v = body["description"]?.stringValue { a.description = v }
            if let v = body["avatarUrl"]?.stringValue { a.avatarUrl = v }
            if let v = body["telephonyProductId"]?.arrayValue { a.telephonyProductId = v.compactMap(\.stringValue) }
            if let v = body["allowInboundCall"]?.boolValue { a.allowInboundCall = v }
            if let v = body["visibleToEveryone"]?.boolValue { a.visibleToEveryone = v }
            a.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, a)
            return id
        }
    }

    // MARK: DELETE /agent/{id}/archive

    /// `DELETE /agent/{id}/archive` (`archive: true`) or `?on=false` (`archive: false`).
    /// Already in that state → 409.
    public func archiveAgent(id: String, archive: Bool = true) throws -> ArchiveResult {
        try requireNotFrozen()
        return try write { db, now in
            var a = try requireAgent(db, id)
            if a.archived == archive {
                throw SimulatorError.conflict(archive ? "Agent is already archived" : "Agent is already active")
            }
            a.archived = archive
            a.archivedAt = archive ? Self.iso(now) : nil
            a.updatedAt = Self.iso(now)
            try SimulatorDatabase.save(db, a)
            return ArchiveResult(message: archive ? "Agent archived" : "Agent unarchived")
        }
    }
}
