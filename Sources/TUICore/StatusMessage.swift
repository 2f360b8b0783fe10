/// The message on the status line: the last error, or a short confirmation of what just happened.
public struct StatusMessage: Hashable, Sendable {
    /// The text (sanitized when drawn).
    public var text: String
    /// Errors are drawn in the error style and stay until replaced or dismissed with Esc.
    public var isError: Bool

    /// Builds a message.
    public init(_ text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}
