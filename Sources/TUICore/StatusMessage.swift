import Foundation

/// The message on the status line: the last error, or a short confirmation of what just happened.
public struct StatusMessage: Hashable, Sendable {
    /// Two messages are the same when they say the same thing (`until` is bookkeeping).
    public static func == (a: StatusMessage, b: StatusMessage) -> Bool {
        a.text == b.text && a.isError == b.isError && a.inProgress == b.inProgress
    }

    /// Hashes what `==` compares.
    public func hash(into h: inout Hasher) {
        h.combine(text)
        h.combine(isError)
        h.combine(inProgress)
    }

    /// The text (sanitized when drawn).
    public var text: String
    /// Errors are drawn in the error style and stay until replaced or dismissed with Esc.
    public var isError: Bool
    /// Work in progress ("Refreshing…"): replaced when that work's answers arrive.
    public var inProgress: Bool
    /// When a confirmation goes away by itself (set by `update` for non-errors).
    public var until: Date?

    /// Builds a message.
    public init(_ text: String, isError: Bool, inProgress: Bool = false) {
        self.text = text
        self.isError = isError
        self.inProgress = inProgress
    }
}
