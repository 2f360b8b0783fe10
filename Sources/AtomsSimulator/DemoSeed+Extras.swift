import Foundation
import GRDB
import AtomsModels

/// Demo data beyond the single-prompt agents: a `multi_agents` (Playbooks) agent and the call
/// profiles that make one agent's newest active version measurably worse than the one before it
/// (what release-health views are built to catch). Runs after `insert`, in the same transaction.
extension DemoSeed {
    /// The name of the Playbooks demo agent.
    static let playbooksAgentName = "Orbit Travel — Playbooks Desk"

    mutating func insertExtras(_ db: Database, store: SimulatorStore) throws {
        try insertPlaybooksAgent(db)
        try insertCallProfiles(db)
    }

    /// The playbooks of version `n` of the Playbooks agent.
    static func playbooks(version n: Int) -> JSONValue {
        var books: [JSONValue] = [
            ["name": "Greeter", "description": "Welcomes the caller and routes them to the right playbook.",
             "prompt": "Greet the caller, ask what they need (a new booking, a change, or a refund) and hand over.",
             "isEntry": true, "handoffs": ["Bookings", "Changes and refunds"]],
            ["name": "Bookings", "description": "New flight and hotel bookings.",
             "prompt": "Collect the destination, the dates and the number of travellers. Offer at most three options.",
             "isEntry": false, "handoffs": ["Greeter"]],
            ["name": "Changes and refunds", "description": "Changes to existing bookings, cancellations and refunds.",
             "prompt": n >= 2
                ? "Ask for the booking reference first. Refunds over $500 go to a person; say so before transferring."
                : "Ask for the booking reference first. Explain the change fee before making any change.",
             "isEntry": false, "handoffs": ["Greeter"]],
        ]
        if n >= 2 {
            books.append(["name": "Loyalty", "description": "Points balance and upgrades.",
                          "prompt": "Read the points balance back and offer an upgrade only when the balance covers it.",
                          "isEntry": false, "handoffs": ["Greeter"]])
        }
        return ["playbooks": .array(books)]
    }

    /// A `multi_agents` agent with two versions (v2 active); its config lives under `playbooks`.
    mutating func insertPlaybooksAgent(_ db: Database) throws {
        let agentId = nextID()
        let created = now.addingTimeInterval(-12 * 86_400)
        var blocks: [String: String] = [:]
        for s in ConfigMapping.sections { blocks[s] = nextID() }
        var previous: String?
        var activeId: String?
        for n in 1...2 {
            var config = SimulatorStore.defaultConfig
            config["singlePromptConfig"] = nil
            config["workflowType"] = "multi_agents"
            config["playbooks"] = Self.playbooks(version: n)
            config["firstMessage"] = "Thanks for calling Orbit Travel. Are you booking a new trip or changing one?"
            let at = created.addingTimeInterval(Double(n - 1) * 5 * 86_400)
            let stamp = SimulatorStore.iso(at)
            let id = nextID()
            var row = AgentVersion(id: id, agent: agentId, status: .published, versionNumber: n,
                                   label: n == 1 ? "Initial setup" : "Loyalty playbook", isActive: n == 2)
            let publisher = SimUser.team[n % SimUser.team.count]
            row.publishedBy = publisher.id
            row.publishedAt = stamp
            row.activatedBy = publisher.id
            row.activatedAt = SimulatorStore.iso(at.addingTimeInterval(45))
            row.blocks = blocks
            row.workflowType = "multi_agents"
            row.parentVersion = previous
            row.securityCheck = SecurityCheck(status: .passed, triggeredAt: stamp, completedAt: SimulatorStore.iso(at.addingTimeInterval(6)))
            row.createdBy = publisher.id
            row.createdAt = stamp
            row.updatedAt = row.activatedAt
            try SimulatorDatabase.save(db, StoredVersion(row: row, config: config, deleted: false, checkDeadline: at.timeIntervalSince1970 + 6))
            previous = id
            activeId = id
        }
        try SimulatorDatabase.save(db, StoredAgent(
            id: agentId, name: Self.playbooksAgentName,
            description: "Routes travel callers between booking, change and loyalty playbooks.", avatarUrl: nil,
            workflowType: "multi_agents", workflowId: nextID(), activeVersionId: activeId, archived: false, archivedAt: nil,
            createdAt: SimulatorStore.iso(created), updatedAt: SimulatorStore.iso(created.addingTimeInterval(5 * 86_400 + 45)),
            totalCalls: 1_284, telephonyProductId: [], allowInboundCall: true, visibleToEveryone: true,
            createdBy: SimUser.team[1].id, organization: SimUser.organization))
    }

    /// Explicit call profiles: every activated demo version gets a healthy one; the newest active
    /// version of the first (oldest) live single-prompt agent whose active version is its newest gets a
    /// clearly worse one — about four times the failures and 70 % slower turns than its predecessor.
    func insertCallProfiles(_ db: Database) throws {
        let agents = try SimulatorDatabase.allAgents(db).filter { !$0.archived && $0.workflowType == "single_prompt" }
        var degradedDone = false
        for a in agents.sorted(by: { $0.createdAt < $1.createdAt }) {
            let versions = try SimulatorDatabase.publishedVersions(db, agentId: a.id)  // newest first
            for (i, v) in versions.enumerated() {
                var r = SplitMix64(seed: seed ^ UInt64(i) &* 0x51_7CC1 ^ UInt64(v.row.versionNumber ?? 0))
                let healthy = CallProfile(failureRate: 0.03 + r.nextUnit() * 0.02, medianLatencyMs: 700 + r.nextUnit() * 120,
                                          minutesBetweenCalls: 40 + r.nextUnit() * 10)
                try SimulatorDatabase.saveCallProfile(db, versionId: v.row.id, healthy)
            }
            if !degradedDone, versions.count >= 2, let newest = versions.first, newest.row.id == a.activeVersionId {
                let before = try SimulatorDatabase.callProfile(db, versionId: versions[1].row.id)
                let worse = CallProfile(failureRate: max(0.18, (before?.failureRate ?? 0.04) * 4),
                                        medianLatencyMs: (before?.medianLatencyMs ?? 750) * 1.7,
                                        minutesBetweenCalls: before?.minutesBetweenCalls ?? 45)
                try SimulatorDatabase.saveCallProfile(db, versionId: newest.row.id, worse)
                degradedDone = true
            }
        }
    }
}
