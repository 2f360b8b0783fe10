extension AppState {
    /// How many agents' version pages and drafts stay cached besides the selected one.
    static let cachedAgents = 8

    /// Marks `agentId` as just used and drops the version pages, drafts and configs of agents that
    /// fell out of the most recent few. Their stats (draft count, active version) stay for the list.
    mutating func evictCaches(keeping agentId: String) {
        recentAgents.removeAll { $0 == agentId }
        recentAgents.append(agentId)
        guard recentAgents.count > Self.cachedAgents else { return }
        let dropped = recentAgents.prefix(recentAgents.count - Self.cachedAgents).filter { $0 != selectedAgentId }
        recentAgents.removeAll { dropped.contains($0) }
        for id in dropped {
            versions[id] = nil
            drafts[id] = nil
            branches[id] = nil
            health[id] = nil
        }
        let gone = Set(dropped)
        configs = configs.filter { !gone.contains($0.key.agentId) }
    }
}
