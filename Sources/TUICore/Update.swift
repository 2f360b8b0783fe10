/// Applies a message to the state and returns the effects to run, in order. Pure: no I/O.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    state.update(msg)
}

/// Draws the state into a new screen of the given size. Pure.
public func render(_ state: AppState, _ size: Size) -> Screen {
    state.render(size: size)
}
