import Foundation
import GRDB
import AtomsModels

extension SimulatorStore {
    /// Adds `agents` synthetic agents with `versionsPerAgent` published versions each (the newest
    /// active, every check passed), in one transaction — for benchmarks and load tests at scale
    /// (`sim serve --scale-agents N --scale-versions M`). Configs are realistic in size: a
    /// multi-paragraph prompt, tools, language and voice settings.
    public func populateScale(agents: Int, versionsPerAgent: Int) throws {
        guard agents > 0 else { return }
        let versions = max(1, versionsPerAgent)
        try write { db, now in
            let prompt = (1...4).map { "Paragraph \($0): you answer callers about orders, returns and delivery windows. Keep answers short, confirm details back, and offer a human when unsure." }
                .joined(separator: "\n\n")
            for a in 0..<agents {
                let agentId = try newID(db, now)
                let created = now.addingTimeInterval(-Double(agents - a) * 60)
                var blocks: [String: String] = [:]
                for s in ConfigMapping.sections { blocks[s] = try newID(db, now) }
                var previous: String?
                var activeId: String?
                for n in 1...versions {
                    let id = try newID(db, now)
                    let at = created.addingTimeInterval(Double(n) * 30)
                    let stamp = SimulatorStore.iso(at)
                    let config: ConfigDocument = [
                        "singlePromptConfig": ["prompt": .string(prompt + "\n\nRevision \(n)."),
                                               "tools": [["type": "end_call", "name": "end_call", "description": "End the call politely", "enabled": true]]],
                        "firstMessage": .string("Hello from scale agent \(a), version \(n)!"),
                        "slmModel": "electron",
                        "language": ["default": "en", "supported": ["en", "hi"], "switching": ["isEnabled": false]],
                        "synthesizer": ["voiceConfig": ["model": "waves_lightning_v3_1", "voiceId": "nyah", "gender": "female"], "speed": 1.2],
                    ]
                    var row = AgentVersion(id: id, agent: agentId, status: .published, versionNumber: n,
                                           label: "Scale change \(n)", description: "Synthetic version \(n) of agent \(a)",
                                           isPinned: n % 25 == 0, isActive: n == versions)
                    let publisher = SimUser.team[(a + n) % SimUser.team.count]
                    row.publishedBy = publisher.id
                    row.publishedAt = stamp
                    row.blocks = blocks
                    row.workflowType = "single_prompt"
                    row.parentVersion = previous
                    row.securityCheck = SecurityCheck(status: .passed, triggeredAt: stamp, completedAt: SimulatorStore.iso(at.addingTimeInterval(6)))
                    row.createdBy = publisher.id
                    row.createdAt = stamp
                    row.updatedAt = stamp
                    if n == versions {
                        row.activatedBy = publisher.id
                        row.activatedAt = stamp
                        activeId = id
                    }
                    try SimulatorDatabase.save(db, StoredVersion(row: row, config: config, deleted: false, checkDeadline: nil))
                    previous = id
                }
                let agent = StoredAgent(id: agentId, name: "Scale Agent \(String(format: "%05d", a))", description: "Synthetic agent for benchmarks",
                                        avatarUrl: nil, workflowType: "single_prompt", workflowId: try newID(db, now), activeVersionId: activeId,
                                        archived: false, archivedAt: nil, createdAt: SimulatorStore.iso(created), updatedAt: SimulatorStore.iso(created),
                                        totalCalls: a * 7 % 1000, telephonyProductId: [], allowInboundCall: true, visibleToEveryone: true,
                                        createdBy: SimUser.team[a % SimUser.team.count].id, organization: SimUser.organization)
                try SimulatorDatabase.save(db, agent)
            }
        }
    }
}
