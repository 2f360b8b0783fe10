/// Applies a message to the state and returns the effects to run, in order. Pure: no I/O.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    let before = state.status
    // Lists that answer keep the rows under the cursors selected, and say when they were read.
    var kept: (agent: String?, version: String?, draft: String?)?
    if case .agentsLoaded(let page, nil, _) = msg {
        if page <= 1 {
            kept = state.selectionIds()
            state.lastRefreshed = state.now
        } else if page <= state.agentPagesLoaded {
            kept = state.selectionIds()  // a page read again: the cursor stays on its agent
        }
    }
    // The first page of the selected agent's lists.
    var listOf: String?
    if case .versionsLoaded(let id, 0, _) = msg { listOf = id }
    if case .draftsLoaded(let id, _) = msg { listOf = id }
    if case .branchesLoaded(let id, _) = msg { listOf = id }
    if case .revisionsLoaded(let id, _, 0, _) = msg { listOf = id }
    if let id = listOf, id == state.selectedAgentId {
        kept = state.selectionIds()
        state.lastRefreshed = state.now
    }
    // A publish or restore answered: its row goes on top of History, and the cursor stays on the row it
    // was on (it moved to another revision — a second `a` would have targeted one nobody picked).
    var keepView = false
    if case .branchPublished(_, let id, _, _, _, _) = msg, id == state.selectedAgentId { kept = state.selectionIds(); keepView = true }
    if case .published(let id, _, _) = msg, id == state.selectedAgentId { kept = state.selectionIds(); keepView = true }
    // Only list answers can bring new rows: the ids on screen are collected for them alone (a Set of every
    // loaded row per key press would cost milliseconds on 10,000 versions).
    let shownBefore = kept == nil ? nil : state.shownRowIds()
    var effects = state.update(msg)
    if let kept, kept.agent == state.selectedAgentId {
        state.restoreSelection(kept, scrolling: !keepView)
        state.markFreshRows(since: shownBefore)
    }
    if case .tick(let date) = msg { effects += state.watchTick(date) }
    state.holdDetailIfLoaded()
    // Confirmations are transient: a new one lasts `statusLifetime`, errors stay until replaced or Esc.
    if let s = state.status, s != before, !s.isError, s.until == nil {
        state.status?.until = state.now.addingTimeInterval(AppState.statusLifetime)
    }
    // Every message the status line shows is kept in full, with its time, for `M` — and one that comes with
    // details each time it comes, even in the same words (a copy the terminal refused keeps its text there).
    if let s = state.status, s != before || state.logDetails != nil, !s.inProgress {
        state.messageLog.append(MessageLog.Entry(time: state.now, text: s.text, isError: s.isError, details: state.logDetails ?? []))
    }
    state.logDetails = nil
    return effects
}

/// Draws the state into a new screen of the given size. Pure.
public func render(_ state: AppState, _ size: Size) -> Screen {
    state.render(size: size)
}
