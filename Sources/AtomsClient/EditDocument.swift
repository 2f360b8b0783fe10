import Foundation
import AtomsModels

/// The text a person edits: a comment header (agent, draft, revision, how to cancel, any validation
/// errors) over the config in request field names, as YAML or JSON.
public enum EditDocument {
    /// The header's first line; everything up to the first non-comment line is header.
    static let marker = "# atoms-tui:"

    /// Builds the editable text.
    public static func make(agentName: String, draftName: String, revision: Int?, document: ConfigDocument,
                            format: DocumentFormat, errors: [String] = []) -> String {
        header(agentName: agentName, draftName: draftName, revision: revision, errors: errors)
            + ConfigDocumentCodec.render(document, format: format)
    }

    /// The comment header alone.
    public static func header(agentName: String, draftName: String, revision: Int?, errors: [String] = []) -> String {
        func clean(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ") }
        var h = "\(marker) editing draft '\(clean(draftName))' of agent '\(clean(agentName))' at revision \(revision.map(String.init) ?? "?")\n"
        h += "# Only changed top-level fields are sent. Save unchanged or empty to cancel.\n"
        if !errors.isEmpty {
            h += "#\n# ERRORS — fix these and save again (your text is below, as you left it):\n"
            for e in errors { h += "#   ✗ \(clean(e))\n" }
        }
        return h + "#\n"
    }

    /// Drops the leading comment header (any lines starting with `#` before the first other line).
    public static func stripHeader(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        while let first = lines.first, first.hasPrefix("#") { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }

    /// Replaces the header of edited text (keeping the person's body verbatim) with a new one.
    public static func rewriteHeader(_ text: String, agentName: String, draftName: String, revision: Int?, errors: [String]) -> String {
        header(agentName: agentName, draftName: draftName, revision: revision, errors: errors) + stripHeader(text)
    }
}

/// What a finished edit round produced.
public enum EditParseResult: Sendable, Equatable {
    /// Nothing to send (unchanged, or saved empty).
    case cancelled(String)
    /// Problems to show in the header before reopening the editor.
    case invalid([String])
    /// The fields to send.
    case patch(ConfigDocument, edited: ConfigDocument)
}

/// The pure part of the editing flow: parse, validate, compute the minimal patch, detect conflicts.
public enum EditRules {
    /// Parses the edited text and compares it with the original document.
    public static func evaluate(text: String, original: ConfigDocument, format: DocumentFormat) -> EditParseResult {
        let body = EditDocument.stripHeader(text)
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .cancelled("saved empty: nothing sent") }
        let edited: ConfigDocument
        do {
            edited = try ConfigDocumentCodec.parse(body, format: format)
        } catch let e as AtomsError {
            // Line numbers are relative to the body; add the header lines back.
            let headerLines = text.components(separatedBy: "\n").prefix { $0.hasPrefix("#") }.count
            return .invalid(e.serverErrors.map { shiftLine($0, by: headerLines) })
        } catch {
            return .invalid(["\(error)"])
        }
        var problems = ConfigValidator.validate(edited).map(\.description)
        let removed = original.keys.filter { edited[$0] == nil }.sorted()
        if !removed.isEmpty {
            problems.append("removing fields is not supported by the API (\(removed.joined(separator: ", "))): set a value instead")
        }
        if !problems.isEmpty { return .invalid(problems) }
        let patch = minimalPatch(original: original, edited: edited)
        if patch.isEmpty { return .cancelled("no changes: nothing sent") }
        return .patch(patch, edited: edited)
    }

    static func shiftLine(_ message: String, by n: Int) -> String {
        guard n > 0, let r = message.range(of: #"^line ([0-9]+)"#, options: .regularExpression) else { return message }
        let num = Int(message[r].dropFirst(5)) ?? 0
        return "line \(num + n)" + message[r.upperBound...]
    }

    /// Only the changed top-level fields.
    public static func minimalPatch(original: ConfigDocument, edited: ConfigDocument) -> ConfigDocument {
        edited.filter { original[$0.key] != $0.value }
    }

    /// Fields changed both by someone else (base → latest) and by this edit, with differing results.
    public static func conflicts(base: ConfigDocument, latest: ConfigDocument, patch: ConfigDocument) -> [String] {
        patch.keys.filter { k in base[k] != latest[k] && latest[k] != patch[k] }.sorted()
    }
}
