/// A y/N question guarding an effect. Only `y`/`Y` confirms; Enter, `n`, Esc and every other key cancel.
public struct Confirmation: Hashable, Sendable {
    /// Dialog title.
    public var title: String
    /// The question lines (naming the agent and the versions involved).
    public var lines: [String]
    /// What runs on `y`.
    public var effect: Effect
    /// Status text while the effect runs.
    public var progress: String
    /// A review that can add warnings to the question is still loading (make-live's three-way review):
    /// `y` pressed meanwhile is held until it is here, and dropped when it adds a warning.
    public var reviewPending = false
    /// `y` was pressed while `reviewPending`.
    public var confirmedEarly = false

    /// Builds a confirmation.
    public init(title: String, lines: [String], effect: Effect, progress: String) {
        self.title = title
        self.lines = lines
        self.effect = effect
        self.progress = progress
    }
}
