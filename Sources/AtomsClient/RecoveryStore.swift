import Foundation

/// Keeps an edited text that could not be saved, under the state directory (0600), so the next edit
/// of that draft can resume from it. A successful save removes it.
public struct RecoveryStore: Sendable {
    /// The directory (`$XDG_STATE_HOME/atoms-tui/recovery`).
    public let directory: URL

    /// A store in the given state directory.
    public init(stateDirectory: URL) { directory = stateDirectory.appendingPathComponent("recovery") }

    /// The recovery file of one draft.
    public func file(agentId: String, draftId: String, format: DocumentFormat) -> URL {
        let safe = { (s: String) in s.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } }
        return directory.appendingPathComponent("\(safe(agentId))-\(safe(draftId)).\(format.rawValue)")
    }

    /// Saves text; returns the path.
    @discardableResult
    public func save(_ text: String, agentId: String, draftId: String, format: DocumentFormat) throws -> URL {
        let url = file(agentId: agentId, draftId: draftId, format: format)
        try AppPaths.ensurePrivateDirectory(directory)
        try AppPaths.writePrivate(Data(text.utf8), to: url)
        return url
    }

    /// A saved text, if any (either format).
    public func load(agentId: String, draftId: String) -> (text: String, format: DocumentFormat, url: URL)? {
        for f in DocumentFormat.allCases {
            let url = file(agentId: agentId, draftId: draftId, format: f)
            if let t = try? String(contentsOf: url, encoding: .utf8) { return (t, f, url) }
        }
        return nil
    }

    /// Removes any saved text of the draft.
    public func remove(agentId: String, draftId: String) {
        for f in DocumentFormat.allCases { try? FileManager.default.removeItem(at: file(agentId: agentId, draftId: draftId, format: f)) }
    }
}
