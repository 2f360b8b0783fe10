import Foundation

/// Every status message and error of the session, in full, with its time (`M` shows them).
public struct MessageLog: Hashable, Sendable {
    /// One remembered message.
    public struct Entry: Hashable, Sendable {
        /// When it was shown.
        public var time: Date
        /// The message as the status line got it (uncut).
        public var text: String
        /// Shown as an error.
        public var isError: Bool
        /// More lines: the failure's whole reason, HTTP status, hint and request id, or a copied text.
        public var details: [String]

        /// Builds an entry.
        public init(time: Date, text: String, isError: Bool, details: [String] = []) {
            self.time = time
            self.text = text
            self.isError = isError
            self.details = details
        }
    }

    /// The most entries kept (the oldest go first).
    public static let capacity = 500

    /// The entries, oldest first.
    public private(set) var entries: [Entry] = []

    /// An empty log.
    public init() {}

    /// Adds an entry, dropping the oldest beyond `capacity`.
    public mutating func append(_ entry: Entry) {
        entries.append(entry)
        if entries.count > MessageLog.capacity { entries.removeFirst(entries.count - MessageLog.capacity) }
    }
}
