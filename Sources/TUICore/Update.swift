/// Applies a message to the state and returns the effects to run, in order. Pure: no I/O.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    let before = state.status
    let effects = state.update(msg)
    state.holdDetailIfLoaded()
    // Confirmations are transient: a new one lasts `statusLifetime`, errors stay until replaced or Esc.
    if let s = state.status, s != before, !s.isError, s.until == nil {
        state.status?.until = state.now.addingTimeInterval(AppState.statusLifetime)
    }
    // Every message the status line shows is kept in full, with its time, for `M`.
    if let s = state.status, s != before, !s.inProgress {
        state.messageLog.append(MessageLog.Entry(time: state.now, text: s.text, isError: s.isError, details: state.logDetails ?? []))
    }
    state.logDetails = nil
    return effects
}

/// Draws the state into a new screen of the given size. Pure.
public func render(_ state: AppState, _ size: Size) -> Screen {
    state.render(size: size)
}
