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
    /// v2: the branch whose draft is edited (then `draftId` is `branch-<branchId>` and `draftName`
    /// the branch's name).
    public var branchId: String?

    /// Builds a target.
    public init(agentId: String, draftId: String, agentName: String, draftName: String, branchId: String? = nil) {
        self.agentId = agentId
        self.draftId = draftId
        self.agentName = agentName
        self.draftName = draftName
        self.branchId = branchId
    }

    /// `draft "name"` (v2: `the draft of branch "main"`), sanitized, for status lines and dialogs.
    public var label: String {
        let name = Sanitizer.sanitize(draftName, maxCharacters: 60)
        return branchId == nil ? "draft \"\(name)\"" : "the draft of branch \"\(name)\""
    }
}
