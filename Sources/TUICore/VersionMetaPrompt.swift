/// `L`: a published version's label and description being edited.
public struct VersionMetaPrompt: Hashable, Sendable {
    /// The agent.
    public var agentId: String
    /// The version.
    public var versionId: String
    /// `v7`.
    public var versionName: String
    /// The two fields.
    public var form: MetaForm
    /// Why the last Enter was refused.
    public var error: String?

    /// Builds a prompt.
    public init(agentId: String, versionId: String, versionName: String, form: MetaForm) {
        self.agentId = agentId
        self.versionId = versionId
        self.versionName = versionName
        self.form = form
    }
}
