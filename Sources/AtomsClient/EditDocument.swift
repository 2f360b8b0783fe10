import Foundation
import AtomsModels

/// The text a person edits: a header (agent, draft, revision, how to cancel, notes, any validation
/// errors) over the config in request field names, as YAML or JSON.
///
/// YAML: the header is a block of `#` comment lines at the top. JSON has no comments, so there the header
/// is the value of a reserved first key, `"// atoms-tui"` (an array of strings), which is removed before
/// validation and never sent: the file stays valid JSON that any JSON parser accepts.
public enum EditDocument {
    /// The YAML header's first line; everything up to the first non-comment line is header.
    static let marker = "# atoms-tui:"
    /// JSON: the reserved key whose value is the header (see `ConfigDocumentCodec.parse`).
    public static let jsonHeaderKey = ConfigDocumentCodec.jsonHeaderKey

    /// Builds the editable text. `notes` are information (resumed from a recovery file, someone
    /// else's conflicting change); `errors` are problems to fix before the text can be sent.
    public static func make(agentName: String, draftName: String, revision: Int?, document: ConfigDocument,
                            format: DocumentFormat, errors: [String] = [], notes: [String] = [], saveHint: String? = nil) -> String {
        let lines = headerLines(agentName: agentName, draftName: draftName, revision: revision, errors: errors, notes: notes,
                                saveHint: saveHint, format: format)
        let body = ConfigDocumentCodec.render(document, format: format)
        switch format {
        case .yaml: return yamlHeader(lines) + body
        case .json:
            var bodyLines = body.components(separatedBy: "\n")
            let hasFields = !document.isEmpty
            guard let open = bodyLines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("{") }) else {
                return yamlHeader(lines) + body
            }
            if !hasFields { bodyLines = ["{", "}", ""] }
            bodyLines.insert(contentsOf: jsonHeader(lines, comma: hasFields), at: (hasFields ? open : 0) + 1)
            return bodyLines.joined(separator: "\n")
        }
    }

    /// The header's lines, without comment syntax.
    public static func headerLines(agentName: String, draftName: String, revision: Int?, errors: [String] = [],
                                   notes: [String] = [], saveHint: String? = nil, format: DocumentFormat = .yaml) -> [String] {
        func clean(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ") }
        var h = ["atoms-tui: editing draft \"\(clean(draftName))\" of agent \"\(clean(agentName))\" at revision \(revision.map(String.init) ?? "?")"]
        h.append("Only changed top-level fields are sent. \(saveHint ?? "Save unchanged or empty to cancel.")")
        if format == .json {
            h.append("This \"\(jsonHeaderKey)\" entry is the editor's header (JSON has no comments): it is removed before validation and never sent.")
        }
        if !notes.isEmpty {
            h.append("")
            h.append("NOTES:")
            for n in notes { h.append("  \(clean(n))") }
        }
        if !errors.isEmpty {
            h.append("")
            h.append("ERRORS — fix these and save again (your text is below, as you left it):")
            for e in errors { h.append("  ✗ \(clean(e))") }
        }
        return h
    }

    /// The YAML comment header alone.
    public static func header(agentName: String, draftName: String, revision: Int?, errors: [String] = [],
                              notes: [String] = [], saveHint: String? = nil) -> String {
        yamlHeader(headerLines(agentName: agentName, draftName: draftName, revision: revision, errors: errors, notes: notes, saveHint: saveHint))
    }

    static func yamlHeader(_ lines: [String]) -> String {
        lines.map { $0.isEmpty ? "#" : "# \($0)" }.joined(separator: "\n") + "\n#\n"
    }

    static func jsonHeader(_ lines: [String], comma: Bool) -> [String] {
        func quoted(_ s: String) -> String {
            let enc = JSONEncoder()
            enc.outputFormatting = [.withoutEscapingSlashes]
            return (try? enc.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        }
        var out = ["  \(quoted(jsonHeaderKey)) : ["]
        for (i, l) in lines.enumerated() { out.append("    \(quoted(l))" + (i < lines.count - 1 ? "," : "")) }
        out.append(comma ? "  ]," : "  ]")
        return out
    }

    /// Where the header is, as a range of line indexes (possibly empty, at the insertion point for a new
    /// one). YAML: the leading `#` lines. JSON: the reserved key's lines (or, in text from an older version,
    /// leading `#` lines); nil when a JSON text has no header and no line opening the object.
    static func headerSpan(_ lines: [String], format: DocumentFormat) -> Range<Int>? {
        let leading = lines.prefix { $0.hasPrefix("#") }.count
        switch format {
        case .yaml: return 0..<leading
        case .json:
            if leading > 0 { return 0..<leading }
            let key = "\"\(jsonHeaderKey)\""
            if let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) }) {
                var end = start
                while end < lines.count {
                    let t = lines[end].trimmingCharacters(in: .whitespaces)
                    if t.hasSuffix("],") || t.hasSuffix("]") { break }
                    end += 1
                }
                if end < lines.count { return start..<(end + 1) }
                return nil
            }
            if let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "{" }) { return (open + 1)..<(open + 1) }
            return nil
        }
    }

    /// The header's lines as written in `text` (decoded for JSON), or [] when there is none.
    public static func headerLines(in text: String, format: DocumentFormat) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let span = headerSpan(lines, format: format), !span.isEmpty else { return [] }
        if format == .json, !lines[span.lowerBound].hasPrefix("#") {
            var block = lines[span].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if block.hasSuffix(",") { block.removeLast() }
            guard let data = "{\(block)}".data(using: .utf8),
                  let o = try? JSONDecoder().decode([String: [String]].self, from: data) else { return [] }
            return o[jsonHeaderKey] ?? []
        }
        return lines[span].map { $0 == "#" ? "" : ($0.hasPrefix("# ") ? String($0.dropFirst(2)) : String($0.dropFirst())) }
    }

    /// Drops the header (YAML: leading `#` lines; JSON: the reserved key's lines, or leading `#` lines).
    public static func stripHeader(_ text: String, format: DocumentFormat = .yaml) -> String {
        var lines = text.components(separatedBy: "\n")
        if let span = headerSpan(lines, format: format) { lines.removeSubrange(span) }
        if format == .json, lines.count >= 2 {
            // `{ "// atoms-tui": […] }` with the header gone: keep it an object.
            if let i = lines.lastIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }), i > 0,
               lines[i].trimmingCharacters(in: .whitespaces) == "}",
               lines[..<i].allSatisfy({ let t = $0.trimmingCharacters(in: .whitespaces); return t.isEmpty || t == "{" }) {
                return ""
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Replaces the header of edited text (keeping the person's body verbatim) with a new one. Line numbers
    /// at the start of `errors` (`line 12, column 3: …`) count lines of `text`; they are moved to count lines
    /// of the result, so they name the line the person sees when the file is reopened.
    public static func rewriteHeader(_ text: String, agentName: String, draftName: String, revision: Int?,
                                     errors: [String] = [], notes: [String] = [], saveHint: String? = nil,
                                     format: DocumentFormat = .yaml) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let span = headerSpan(lines, format: format) else {
            // JSON without a line opening the object: a comment header (the parser accepts `#` lines).
            let errs = errors
            let count = headerLines(agentName: agentName, draftName: draftName, revision: revision, errors: errs, notes: notes,
                                    saveHint: saveHint).count + 1
            let shifted = errs.map { shiftLine($0, by: count, after: 0) }
            return header(agentName: agentName, draftName: draftName, revision: revision, errors: shifted, notes: notes,
                          saveHint: saveHint) + text
        }
        let content = headerLines(agentName: agentName, draftName: draftName, revision: revision, errors: errors, notes: notes,
                                  saveHint: saveHint, format: format)
        let isJSONKey = format == .json && !(span.lowerBound < lines.count && lines[span.lowerBound].hasPrefix("#"))
        let newLines: [String]
        if isJSONKey {
            // A comma after the header unless the object has nothing else.
            let rest = lines[span.upperBound...].first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let hasMore = rest.map { $0.trimmingCharacters(in: .whitespaces) != "}" } ?? false
            newLines = jsonHeader(content, comma: hasMore)
        } else {
            newLines = yamlHeader(content).components(separatedBy: "\n").dropLast()
        }
        let delta = newLines.count - span.count
        let shifted = errors.map { shiftLine($0, by: delta, after: span.lowerBound) }
        let final: [String]
        if isJSONKey {
            final = jsonHeader(headerLines(agentName: agentName, draftName: draftName, revision: revision, errors: shifted, notes: notes,
                                           saveHint: saveHint, format: format), comma: newLines.last == "  ],")
        } else {
            final = yamlHeader(headerLines(agentName: agentName, draftName: draftName, revision: revision, errors: shifted, notes: notes,
                                           saveHint: saveHint)).components(separatedBy: "\n").dropLast()
        }
        lines.replaceSubrange(span, with: final)
        return lines.joined(separator: "\n")
    }

    /// `line N…` → `line N+n…` when N counts a line after the first `after` lines.
    static func shiftLine(_ message: String, by n: Int, after: Int) -> String {
        guard n != 0, let r = message.range(of: #"^line ([0-9]+)"#, options: .regularExpression) else { return message }
        let num = Int(message[r].dropFirst(5)) ?? 0
        guard num > after else { return message }
        return "line \(num + n)" + message[r.upperBound...]
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
    /// Parses the edited text and compares it with the original document. Line numbers in syntax errors
    /// count lines of `text` as saved (header included).
    public static func evaluate(text: String, original: ConfigDocument, format: DocumentFormat) -> EditParseResult {
        let body = EditDocument.stripHeader(text, format: format)
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .cancelled("saved empty: nothing sent") }
        let edited: ConfigDocument
        do {
            switch format {
            case .yaml:
                do {
                    edited = try ConfigDocumentCodec.parse(body, format: .yaml)
                } catch let e as AtomsError {
                    // Line numbers are relative to the body; add the header lines back.
                    let headerLines = text.components(separatedBy: "\n").prefix { $0.hasPrefix("#") }.count
                    return .invalid(e.serverErrors.map { EditDocument.shiftLine($0, by: headerLines, after: 0) })
                }
            case .json:
                // The whole text: the header is a reserved key the codec removes, so lines count as saved.
                edited = try ConfigDocumentCodec.parse(text, format: .json)
            }
        } catch let e as AtomsError {
            return .invalid(e.serverErrors)
        } catch {
            return .invalid(["\(error)"])
        }
        if edited.isEmpty { return .cancelled("saved empty: nothing sent") }
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

    /// Only the changed top-level fields.
    public static func minimalPatch(original: ConfigDocument, edited: ConfigDocument) -> ConfigDocument {
        edited.filter { original[$0.key] != $0.value }
    }

    /// Fields changed both by someone else (base → latest) and by this edit, with differing results.
    public static func conflicts(base: ConfigDocument, latest: ConfigDocument, patch: ConfigDocument) -> [String] {
        patch.keys.filter { k in base[k] != latest[k] && latest[k] != patch[k] }.sorted()
    }
}
