/// A conflicting save: the fields someone else changed too, with both values, for the
/// e (edit again on top of theirs) / o (overwrite) / c (cancel) dialog.
public struct EditConflict: Hashable, Sendable {
    /// One conflicting top-level field.
    public struct Field: Hashable, Sendable {
        /// The field name (`firstMessage`).
        public var name: String
        /// Their value, as text (raw; sanitized when drawn).
        public var theirs: String
        /// This edit's value, as text.
        public var mine: String

        /// Builds a field.
        public init(name: String, theirs: String, mine: String) {
            self.name = name
            self.theirs = theirs
            self.mine = mine
        }
    }

    /// The fields.
    public var fields: [Field]
    /// The draft revision now on the server.
    public var latestRevision: Int?

    /// Builds a conflict.
    public init(fields: [Field], latestRevision: Int?) {
        self.fields = fields
        self.latestRevision = latestRevision
    }
}
