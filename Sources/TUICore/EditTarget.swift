/// The draft an edit is about: ids for the effects, names for the dialogs and the editor header.
public struct EditTarget: Hashable, Sendable {
    /// The agent.
    public var agentId: String
    /// The draft handle (`draftId`, not the row `_id`).
    public var draftId: String
    /// The agent's name (raw; sanitized when drawn).
    public var agentName: String
    /// The draft's name (raw; sanitized when drawn).
    public var draftName: String

    /// Builds a target.
    public init(agentId: String, draftId: String, agentName: String, draftName: String) {
        self.agentId = agentId
        self.draftId = draftId
        self.agentName = agentName
        self.draftName = draftName
    }

    /// `draft "name"`, sanitized, for status lines and dialogs.
    public var label: String { "draft \"\(Sanitizer.sanitize(draftName, maxCharacters: 60))\"" }
}
