/// A config the detail area showed, kept while the next one loads (see `AppState.detailHeld`).
public struct HeldDetail: Hashable, Sendable {
    /// The pane the detail followed.
    public var owner: Pane
    /// The config shown.
    public var ref: ConfigRef
    /// Its title and lines as they were drawn.
    public var title: String
    /// The lines.
    public var lines: [DetailLine]
}
