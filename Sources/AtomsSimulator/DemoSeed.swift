import Foundation
import GRDB
import AtomsModels

/// The deterministic demo data: agents with realistic configs (multi-paragraph prompts, tools,
/// several languages, non-ASCII names), long version histories, one failed security check, and
/// drafts with edit history. Ids depend only on the seed; timestamps are relative to `now`.
struct DemoSeed {
    struct DraftPlan {
        var name: String
        var fromVersion: Int
        var edits: [ConfigDocument]
    }

    struct AgentPlan {
        var name: String
        var description: String
        var languages: [String]
        var prompt: String
        var firstMessages: [String]
        var voiceId: String
        var versions: Int
        var active: Int
        var pinned: Set<Int>
        var failedVersion: Int? = nil
        var drafts: [DraftPlan] = []
        var archived = false
        var createdDaysAgo: Double
        var totalCalls: Int
        var transferNumber: String
    }

    let now: Date
    let seed: UInt64
    var counter: UInt64 = 0

    init(now: Date, seed: UInt64) {
        self.now = now
        self.seed = seed
    }

    /// A deterministic id: fixed epoch + a counter in the seed's space.
    mutating func nextID() -> String {
        counter += 1
        let c = (UInt64(0x5e) << 56) | ((seed & 0xFFFF) << 32) | counter
        return ObjectID.make(seconds: 1_780_000_000 + Int(counter) * 17, counter: c)
    }

    static let labels = [
        "Initial setup", "Warmer greeting", "Add order lookup", "Holiday hours", "Escalation rules",
        "Fix transfer number", "Shorter answers", "Bilingual phrasing", "Knowledge base search", "Latency tweaks",
        "Voice speed 1.1", "Compliance wording", "Refund policy update", "Weekend schedule", "Tone pass",
    ]

    static let descriptions: [String?] = [
        "First version reviewed with the support lead.", nil,
        "Adds the order-status API so callers can check deliveries without waiting for a human.", nil,
        "Seasonal hours and a clearer handoff when the queue is long.",
        "Rewrites the escalation section after the QA review.\nAlso trims the greeting.", nil,
    ]

    static func plans() -> [AgentPlan] {
        [
            AgentPlan(
                name: "Zoë — Café Concierge",
                description: "Takes orders and reservations for the café; answers menu questions in English and Spanish.",
                languages: ["en", "es"],
                prompt: """
                    You are Zoë, the concierge of Café Lumière, a neighbourhood café and bakery.
                    Greet callers warmly, help them reserve a table, place a pickup order, or learn about today's menu.

                    Reservations: ask for the party size, the date and time, and a name. Tables seat up to 8;
                    larger groups must be transferred to the manager. Never promise a window seat.

                    Orders: read back every item with its size and any allergy notes. Pickup is at the counter
                    by the door. If the caller mentions a nut allergy, warn them that the bakery handles nuts.
                    """,
                firstMessages: ["Hi, this is Zoë at Café Lumière! How can I help you today?",
                                "Bonjour and welcome to Café Lumière — Zoë speaking. Table, order, or menu?",
                                "Hola, soy Zoë de Café Lumière. ¿En qué puedo ayudarte?"],
                voiceId: "nyah", versions: 12, active: 11, pinned: [4, 9],
                drafts: [
                    DraftPlan(name: "Holiday menu", fromVersion: 11, edits: [
                        ["firstMessage": "Happy holidays from Café Lumière! Zoë here — how can I help?"],
                        ["singlePromptConfig": ["prompt": "You are Zoë, the concierge of Café Lumière.\n\nDuring the holidays we serve the bûche de Noël and spiced cider. Mention them once per call.\n\nReservations close at 9 pm on Dec 24."]],
                        ["synthesizer": ["speed": 1.05]],
                    ]),
                    DraftPlan(name: "Spanish greeting fix", fromVersion: 12, edits: [
                        ["language": ["default": "es", "supported": ["es", "en"]]],
                    ]),
                ],
                createdDaysAgo: 41, totalCalls: 1843, transferNumber: "+14155550142"),
            AgentPlan(
                name: "रीना Support",
                description: "Hindi-first customer support for broadband subscribers.",
                languages: ["hi", "en"],
                prompt: """
                    आप रीना हैं, ग्राहक सहायता प्रतिनिधि। You help broadband customers with outages, billing and plan changes.

                    Always confirm the customer's registered mobile number before discussing the account.
                    Speak in Hindi unless the caller prefers English; switch languages when they do.

                    For outages, check the area status first. If a technician visit is needed, book the earliest slot
                    and read the booking reference back slowly, two characters at a time.
                    """,
                firstMessages: ["नमस्ते, मैं रीना बोल रही हूँ। मैं आपकी कैसे मदद कर सकती हूँ?",
                                "Namaste! Rina here from support — how can I help?"],
                voiceId: "aarushi", versions: 40, active: 38, pinned: [1, 20, 38],
                drafts: [
                    DraftPlan(name: "Outage script v2", fromVersion: 38, edits: [
                        ["interruptionBackoffTimer": 1.5, "allowInterruptions": true],
                        ["postCallAnalyticsConfig": ["dispositionMetrics": [
                            ["identifier": "outage_confirmed", "dispositionMetricPrompt": "Did the caller report an outage?",
                             "dispositionMetricType": "BOOLEAN"],
                        ]]],
                    ]),
                ],
                createdDaysAgo: 58, totalCalls: 9120, transferNumber: "+919876543210"),
            AgentPlan(
                name: "日本語 Reception",
                description: "Front desk for the Osaka office (English line; Japanese-speaking callers are transferred).",
                languages: ["en"],
                prompt: """
                    You are the receptionist for the Osaka office of Hikari Robotics.
                    Take messages for staff, confirm visitor appointments, and give directions from Umeda station.

                    If the caller speaks Japanese, apologise briefly and transfer them to the front desk.
                    Spell visitor names back letter by letter.
                    """,
                firstMessages: ["Hikari Robotics, Osaka office. How may I direct your call?"],
                voiceId: "emily", versions: 3, active: 3, pinned: [],
                drafts: [DraftPlan(name: "Visitor badges", fromVersion: 3, edits: [])],
                createdDaysAgo: 20, totalCalls: 312, transferNumber: "+81665550123"),
            AgentPlan(
                name: "தமிழ் Billing Desk",
                description: "Tamil-only billing helpline for the Chennai utility.",
                languages: ["ta"],
                prompt: """
                    நீங்கள் பில்லிங் உதவியாளர். You answer questions about electricity bills for Chennai households.

                    Explain charges line by line when asked. Never read out a full account number; use the last four digits.
                    Payment links are sent by SMS only after the caller confirms their registered number.
                    """,
                firstMessages: ["வணக்கம்! பில்லிங் உதவி மையம். நான் எப்படி உதவலாம்?"],
                voiceId: "meera", versions: 5, active: 4, pinned: [4], failedVersion: 5,
                drafts: [DraftPlan(name: "Remove leaked key", fromVersion: 5, edits: [
                    ["singlePromptConfig": ["prompt": "நீங்கள் பில்லிங் உதவியாளர். You answer questions about electricity bills for Chennai households.\n\nUse the billing tool for balances; never read credentials aloud."]],
                ])],
                createdDaysAgo: 27, totalCalls: 2675, transferNumber: "+914428550000"),
            AgentPlan(
                name: "🚀 Launch Line",
                description: "Collects launch-event RSVPs and answers logistics questions.",
                languages: ["en"],
                prompt: """
                    You run the RSVP line for the spring product launch.
                    Collect the caller's name, company and number of guests (max 2), and confirm their email.

                    Doors open at 6 pm; the keynote starts at 7 pm. There is no parking on site — suggest the metro.
                    """,
                firstMessages: ["Thanks for calling the launch line! Are you calling to RSVP?"],
                voiceId: "nyah", versions: 2, active: 2, pinned: [],
                createdDaysAgo: 6, totalCalls: 57, transferNumber: "+14155550199"),
            AgentPlan(
                name: "Clínica Marta Scheduler",
                description: "Books, moves and cancels appointments for a family clinic in Madrid.",
                languages: ["es", "en"],
                prompt: """
                    Eres la recepcionista virtual de la Clínica Marta. You book, move and cancel appointments.

                    Ask for the patient's full name and date of birth before looking up appointments.
                    Urgent symptoms (chest pain, difficulty breathing) must be told to call emergency services immediately.

                    Appointments are 20 minutes; the first slot is 08:40 and the last is 19:20, Monday to Friday.
                    """,
                firstMessages: ["Clínica Marta, buenos días. ¿Quiere pedir, cambiar o anular una cita?"],
                voiceId: "lucia", versions: 8, active: 8, pinned: [6],
                drafts: [DraftPlan(name: "Saturday clinic pilot", fromVersion: 8, edits: [
                    ["sessionTimeoutConfig": ["timeoutTimeInSecs": 900]],
                    ["firstMessage": "Clínica Marta, buenos días. Ahora también abrimos los sábados por la mañana."],
                ])],
                createdDaysAgo: 33, totalCalls: 4410, transferNumber: "+34915550123"),
            AgentPlan(
                name: "Kolkata Collections",
                description: "Polite payment reminders for overdue invoices (Bengali and English).",
                languages: ["bn", "en"],
                prompt: """
                    You call customers about invoices that are past due. Be courteous and brief.

                    Confirm you are speaking to the account holder before naming any amount.
                    Offer a payment plan of up to three instalments; never threaten or mention penalties not in the contract.
                    """,
                firstMessages: ["নমস্কার, আমি আপনার ইনভয়েস সম্পর্কে কল করছি। এখন কথা বলা যাবে?"],
                voiceId: "ananya", versions: 6, active: 5, pinned: [],
                createdDaysAgo: 15, totalCalls: 988, transferNumber: "+913340550000"),
            AgentPlan(
                name: "Legacy IVR Bridge",
                description: "Old touch-tone bridge, kept for reference.",
                languages: ["en"],
                prompt: "You route callers to the right department: sales, support or billing. Ask one question at a time.",
                firstMessages: ["Welcome. Say sales, support or billing."],
                voiceId: "nyah", versions: 1, active: 1, pinned: [], archived: true,
                createdDaysAgo: 90, totalCalls: 15022, transferNumber: "+14155550100"),
        ]
    }

    /// The config of version `n` of an agent: the story of its edits, deterministic.
    static func config(_ p: AgentPlan, version n: Int, leakedKey: Bool) -> ConfigDocument {
        var tools: [JSONValue] = [
            ["type": "end_call", "name": "end_call", "description": "End the call once the caller has what they need.",
             "enabled": true],
            ["type": "transfer_call", "name": "transfer_to_human", "description": "Transfer to a person when asked or when stuck.",
             "transferNumber": .string(p.transferNumber),
             "transferOption": ["type": n >= 4 ? "warm_transfer" : "cold_transfer"],
             "onHoldMusic": "ringtone", "transferOnlyIfHuman": true, "detectionTimeout": 30],
        ]
        if n >= 3 {
            tools.append(["type": "api_call", "name": "lookup_record", "description": "Look up the caller's record by phone number.",
                          "url": "https://api.example.com/v2/records", "method": "GET", "timeout": 5000,
                          "headers": ["Authorization": "Bearer {{records_token}}", "X-Tenant": "demo"],
                          "queryParams": [["key": "phone", "value": "{{caller_number}}"]],
                          "responseVariables": [["variableName": "recordStatus", "jsonPath": "$.data.status"]]])
        }
        if n >= 5 {
            tools.append(["type": "knowledge_base_search", "name": "kb_search", "description": "Search the FAQ knowledge base.",
                          "knowledgeBaseId": "66b0c0ffee0000000000b001",
                          "fillerPhrases": ["Let me check that for you.", "One moment please."]])
        }
        var prompt = p.prompt
        prompt += "\n\nStyle: keep answers under \(30 + (n % 4) * 10) words and ask one question at a time."
        if n >= 6 { prompt += "\nIf the caller sounds upset, acknowledge it before answering." }
        if leakedKey { prompt += "\nFor balance checks call the billing API with key sk-live4f9a8b7c6d5e4f3a2b1c0d9e." }
        let lang: JSONValue = [
            "default": .string(p.languages[0]), "supported": .array(p.languages.map { .string($0) }),
            "switching": ["isEnabled": .bool(p.languages.count > 1), "minWordsForDetection": 2,
                          "strongSignalThreshold": 0.7, "weakSignalThreshold": 0.3,
                          "minConsecutiveForWeakThresholdSwitch": 2],
        ]
        var doc = SimulatorStore.defaultConfig
        doc["singlePromptConfig"] = ["prompt": .string(prompt), "tools": .array(tools)]
        doc["language"] = lang
        doc["firstMessage"] = .string(p.firstMessages[(n - 1) / 3 % p.firstMessages.count])
        doc["slmModel"] = n >= 6 ? "gpt-4.1" : "electron"
        doc["synthesizer"] = [
            "voiceConfig": ["model": "waves_lightning_v3_1", "voiceId": .string(p.voiceId), "gender": "female"],
            "speed": .number(n >= 10 ? 1.1 : 1.2), "consistency": 0.5, "similarity": 0, "enhancement": 1, "sampleRate": 16000,
        ]
        doc["backgroundSound"] = n % 5 == 0 ? "office" : ""
        doc["timezone"] = p.languages[0] == "en" ? ["label": "(GMT+0:00) UTC", "offset": 0] : ["label": "Asia/Kolkata", "offset": 330]
        return doc
    }

    /// Inserts everything in the caller's transaction.
    mutating func insert(_ db: Database, store: SimulatorStore) throws {
        let team = SimUser.team
        var userTurn = 0
        func nextUser() -> SimUser { userTurn += 1; return team[(userTurn * 7 + 3) % team.count] }
        for (ai, p) in Self.plans().enumerated() {
            let agentId = nextID()
            let created = now.addingTimeInterval(-p.createdDaysAgo * 86_400)
            let span = p.createdDaysAgo * 86_400 - 3_600
            var blocks: [String: String] = [:]
            for s in ConfigMapping.sections { blocks[s] = nextID() }
            var previous: ConfigDocument? = nil
            var versionIds: [Int: String] = [:]
            var configs: [Int: ConfigDocument] = [:]
            var activeId: String?
            var lastTouched = created
            for n in 1...p.versions {
                let failed = p.failedVersion == n
                let config = Self.config(p, version: n, leakedKey: failed)
                if let previous {
                    for section in ConfigMapping.diff(from: previous, to: config).diffs.map(\.section) { blocks[section] = nextID() }
                }
                let at = created.addingTimeInterval(p.versions == 1 ? 0 : span * Double(n - 1) / Double(p.versions))
                let stamp = SimulatorStore.iso(at)
                let id = nextID()
                let publisher = n == 1 ? team[ai % team.count] : nextUser()
                var row = AgentVersion(id: id, agent: agentId, status: .published, versionNumber: n,
                                       label: Self.labels[(n - 1 + ai) % Self.labels.count],
                                       description: Self.descriptions[(n + ai) % Self.descriptions.count],
                                       isPinned: p.pinned.contains(n), isActive: n == p.active)
                if n == 1 { row.label = "Initial setup" }
                if failed { row.label = "Billing API balance check"; row.description = "Lets the agent read balances directly." }
                row.publishedBy = publisher.id
                row.publishedAt = stamp
                row.blocks = blocks
                row.workflowType = "single_prompt"
                row.parentVersion = versionIds[n - 1]
                if n > 1 {
                    row.draftId = nextID()
                    row.draftName = "Draft from v\(n - 1)"
                    row.draftRevision = 1 + (n % 3)
                    row.sourceVersionId = versionIds[n - 1]
                }
                let completed = SimulatorStore.iso(at.addingTimeInterval(6))
                if failed {
                    let reason = store.denyReason(config) ?? "Security check failed: prompt contains a secret-like token"
                    row.securityCheck = SecurityCheck(status: .failed, reason: reason, triggeredAt: stamp, completedAt: completed)
                } else {
                    row.securityCheck = SecurityCheck(status: .passed, triggeredAt: stamp, completedAt: completed)
                    if n <= p.active {
                        row.activatedBy = publisher.id
                        row.activatedAt = SimulatorStore.iso(at.addingTimeInterval(45))
                    }
                }
                row.createdBy = publisher.id
                row.createdAt = stamp
                row.updatedAt = row.activatedAt ?? completed
                if n == p.active { activeId = id }
                try SimulatorDatabase.save(db, StoredVersion(row: row, config: config, deleted: false,
                                                             checkDeadline: at.timeIntervalSince1970 + 6))
                versionIds[n] = id
                configs[n] = config
                previous = config
                lastTouched = at
            }
            for (di, plan) in p.drafts.enumerated() {
                guard let sourceId = versionIds[plan.fromVersion], var config = configs[plan.fromVersion] else { continue }
                let start = lastTouched.addingTimeInterval(Double(di + 1) * 5_400)
                let creator = nextUser()
                var row = AgentVersion(id: nextID(), agent: agentId, status: .draft)
                row.draftId = nextID()
                row.draftName = plan.name
                row.sourceVersionId = sourceId
                row.parentVersion = sourceId
                row.workflowType = "single_prompt"
                row.createdBy = creator.id
                row.createdAt = SimulatorStore.iso(start)
                var draftBlocks = blocks
                // Blocks of the source version, then rotations per edit.
                draftBlocks = (try SimulatorDatabase.version(db, sourceId))?.row.blocks ?? blocks
                var revision = 1
                var when = start
                for edit in plan.edits {
                    revision += 1
                    when = when.addingTimeInterval(1_800 + Double(revision) * 420)
                    config = JSONValue.object(config).merging(.object(edit)).objectValue ?? config
                    let touched = ConfigMapping.sections(touchedBy: edit)
                    for s in touched { draftBlocks[s] = nextID() }
                    let editor = revision % 2 == 0 ? creator : nextUser()
                    try SimulatorDatabase.appendEdit(db, agentId: agentId, draftId: row.draftId ?? "", DraftEditHistoryEntry(
                        revision: revision, changedSections: touched, editorName: editor.name, editorId: editor.id,
                        timestamp: SimulatorStore.iso(when)))
                }
                row.draftRevision = revision
                row.blocks = draftBlocks
                row.updatedAt = SimulatorStore.iso(when)
                try SimulatorDatabase.save(db, StoredVersion(row: row, config: config, deleted: false, checkDeadline: nil))
            }
            let agent = StoredAgent(
                id: agentId, name: p.name, description: p.description, avatarUrl: nil, workflowType: "single_prompt",
                workflowId: nextID(), activeVersionId: activeId, archived: p.archived,
                archivedAt: p.archived ? SimulatorStore.iso(now.addingTimeInterval(-10 * 86_400)) : nil,
                createdAt: SimulatorStore.iso(created), updatedAt: SimulatorStore.iso(lastTouched.addingTimeInterval(45)),
                totalCalls: p.totalCalls, telephonyProductId: [], allowInboundCall: true, visibleToEveryone: true,
                createdBy: team[ai % team.count].id, organization: SimUser.organization)
            try SimulatorDatabase.save(db, agent)
        }
    }
}

extension SimulatorStore {
    /// Populates the demo data when the database holds no agent (one transaction).
    func seedDemoIfEmpty() throws {
        let now = clock.now()
        let seed = options.seed
        try database.queue.write { db in
            guard try SimulatorDatabase.agentCount(db) == 0 else { return }
            var demo = DemoSeed(now: now, seed: seed)
            try demo.insert(db, store: self)
            try demo.insertExtras(db, store: self)  // DemoSeed+Extras.swift: Playbooks agent, call profiles
        }
    }
}
