import Foundation
import AtomsModels

/// Live refresh: the agent list (its first page and the pages on screen) and the selected agent's versions and drafts (v2: branches
/// and the History branch's revisions) are read again in the background every `watchInterval` seconds,
/// keeping selection and scroll. Paused while a dialog, the publish flow, the editor, a typed filter or
/// search, or a write is on; a handful of requests per interval, far under any account's rate limit.
extension AppState {
    /// True while nothing the person is doing could be disturbed by new rows.
    var watchCanRun: Bool {
        !modalOpen && editing == nil && writeInFlight == nil && !agentsLoading && !agentSearchLoading
    }

    /// The background reads due at `date`, if any (`.tick` calls this).
    mutating func watchTick(_ date: Date) -> [Effect] {
        guard let interval = watchInterval, watchCanRun else { return [] }
        guard let last = lastRefreshed else { return [] }  // the first loads have not answered yet
        guard date.timeIntervalSince(last) >= interval else { return [] }
        lastRefreshed = date  // not again until the next interval, whatever answers
        var effects: [Effect] = []
        effects += agentPagesOnScreen().map { .loadAgents(page: $0, pageSize: agentPageSize, search: nil) }
        guard let id = selectedAgentId else { return effects }
        if versions[id]?.loading == true || drafts[id]?.loading == true || branches[id]?.loading == true { return effects }
        let loaded = max(versionPageSize, versions[id]?.items.count ?? 0)
        if isV2 {
            effects.append(.loadBranches(agentId: id))
            if let b = currentBranch, versions[id]?.branchId == b.id {
                effects.append(.loadRevisions(agentId: id, branchId: b.id, skip: 0, limit: loaded))
            }
        } else {
            effects += [.loadVersions(agentId: id, skip: 0, limit: loaded), .loadDrafts(agentId: id)]
        }
        return effects
    }

    /// The agent pages to read again: the first (new agents), and those holding the rows on screen and the
    /// cursor, among the pages loaded — a few requests however far the person has scrolled.
    func agentPagesOnScreen() -> [Int] {
        guard agentPagesLoaded > 1, agentPageSize > 0 else { return [1] }
        let p = position(.agents)
        let firstShown = p.scroll / agentPageSize + 1, lastShown = (p.scroll + visibleRows(.agents) - 1) / agentPageSize + 1
        let pages = Set([1, p.cursor / agentPageSize + 1]).union(firstShown...lastShown)
        return pages.filter { $0 <= agentPagesLoaded }.sorted()
    }

    /// "updated 12 s ago" for the status line, while live refresh is on.
    func updatedAgo() -> String? {
        guard watchInterval != nil, let last = lastRefreshed else { return nil }
        let s = max(0, Int(now.timeIntervalSince(last)))
        return s < 60 ? "updated \(s) s ago" : "updated \(s / 60) min ago"
    }

    /// How long a row that appeared on a refresh stays marked.
    public static let freshFor: TimeInterval = 10

    /// The ids of the selected agent's version rows and draft rows now (each nil before it first loaded).
    func shownRowIds() -> (agent: String, versions: Set<String>?, drafts: Set<String>?)? {
        guard let id = selectedAgentId else { return nil }
        return (id, versions[id]?.total != nil ? Set((versions[id]?.items ?? []).map(\.id)) : nil,
                drafts[id]?.loaded == true ? Set((drafts[id]?.items ?? []).map(\.id)) : nil)
    }

    /// Marks the rows that were not there before this answer (someone else made them), for `freshFor` seconds;
    /// a list's first load marks nothing.
    mutating func markFreshRows(since before: (agent: String, versions: Set<String>?, drafts: Set<String>?)?) {
        freshRows = freshRows.filter { $0.value > now }
        guard let before, before.agent == selectedAgentId, let after = shownRowIds() else { return }
        var appeared = Set<String>()
        if let b = before.versions, let a = after.versions { appeared.formUnion(a.subtracting(b)) }
        if let b = before.drafts, let a = after.drafts { appeared.formUnion(a.subtracting(b)) }
        for id in appeared { freshRows[id] = now.addingTimeInterval(AppState.freshFor) }
    }

    /// True while a row that appeared on a refresh is marked as new.
    func isFresh(_ id: String) -> Bool { (freshRows[id] ?? .distantPast) > now }

    /// The rows under the cursors, by id, before new rows arrive. A cursor on the first row stays on the
    /// first row (it follows the newest version or draft).
    func selectionIds() -> (agent: String?, version: String?, draft: String?) {
        (selectedAgentId,
         position(.versions).cursor > 0 ? versionUnderCursor?.id : nil,
         !isV2 && position(.drafts).cursor > 0 ? draftUnderCursor?.id : nil)
    }

    /// Puts the cursors back on the rows they were on (new rows above them do not move the selection).
    /// `scrolling`: the list scrolls with the row, so it stays on the same screen line (a refresh); false
    /// keeps the view where it is, so a row that arrived on top is seen (a publish or restore answered).
    mutating func restoreSelection(_ ids: (agent: String?, version: String?, draft: String?), scrolling: Bool = true) {
        if let a = ids.agent, let i = agentRows.firstIndex(where: { $0.id == a }), i != position(.agents).cursor {
            var p = position(.agents)
            if scrolling { p.scroll += i - p.cursor }
            p.cursor = i
            positions[.agents] = p
        }
        if let v = ids.version, let i = versionRows.firstIndex(where: { $0.id == v }), i != position(.versions).cursor {
            var p = position(.versions)
            if scrolling { p.scroll += i - p.cursor }
            p.cursor = i
            positions[.versions] = p
        }
        if let d = ids.draft, let i = draftRows.firstIndex(where: { $0.id == d }), i != position(.drafts).cursor {
            var p = position(.drafts)
            if scrolling { p.scroll += i - p.cursor }
            p.cursor = i
            positions[.drafts] = p
        }
        clampAll()
    }
}
