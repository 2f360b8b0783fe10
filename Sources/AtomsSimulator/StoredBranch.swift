import Foundation
import AtomsModels

/// A v2 branch as the simulator keeps it: the wire document plus what only the server knows.
struct StoredBranch: Codable, Sendable, Hashable {
    /// The `Branch` document as the API shows it.
    var branch: Branch
    /// True for the one branch whose head serves production traffic.
    var isLive: Bool
    /// The draft revision whose security scan failed; publishing that draft unchanged answers
    /// `409 security_check_failed`. Any edit clears it.
    var failedDraftRevision: Int?

    var id: String { branch.id }
}

/// One state of a v2 branch draft: revision 0 is the config the draft was opened from, every later
/// one an edit. Kept for the `expectedRevision` field-level conflict check and the edit history.
struct StoredDraftEdit: Codable, Sendable, Hashable {
    /// The draft revision this state has.
    var revision: Int
    var changedSections: [String]
    var editorId: String?
    var editorName: String?
    var timestamp: String
    /// The draft row right after the edit.
    var row: AgentVersion
    /// The whole config (request field names) right after the edit.
    var config: ConfigDocument
}
