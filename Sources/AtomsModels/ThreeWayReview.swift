import Foundation

/// One of the three configs of a review: which version/revision/draft it is and its document.
public struct ReviewPoint: Codable, Sendable, Hashable {
    /// The version's or revision's `_id`; for a draft its `draftId`; `nil` when unknown.
    public var id: String?
    /// How to name it: `v10`, `v12 (active)`, `draft 'greeting' r3`, `main r4 (live)`.
    public var name: String
    /// The config as a request document (not part of `--json`: the changes carry the values).
    public var document: ConfigDocument

    enum CodingKeys: String, CodingKey { case id, name }

    /// Builds a point.
    public init(id: String?, name: String, document: ConfigDocument) {
        self.id = id
        self.name = name
        self.document = document
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        document = [:]
    }
}

/// What a review is about.
public enum ReviewSubject: Sendable, Hashable {
    /// v1: a draft, to be published (and activated) over the active version.
    case draft(draftId: String)
    /// v2: a branch's open draft, to be published onto the branch's head (live when the branch is).
    case branchDraft(branchId: String)
    /// v2: a branch about to be made live over the live branch.
    case makeLive(branchId: String)
}

/// The three-way review of one draft (or branch): base, draft and live, each changed field classified
/// (`.yours`, `.theirs` — would be reverted, `.both`, `.conflict`), and for every field changed on the
/// live side the version(s)/revision(s) that changed it. Pure data (TUICore can hold and render it);
/// built by `AtomsClient.ThreeWayReviewer`; shown by the TUI's
/// publish review and `atoms-tui drafts diff --three-way`, and the guard of `publish` (`--allow-revert`).
public struct ThreeWayReview: Codable, Sendable {
    /// `draft` (v1), `branchDraft` or `makeLive` (v2).
    public var subject: String
    public var agentId: String
    public var base: ReviewPoint
    public var draft: ReviewPoint
    public var live: ReviewPoint
    /// The published versions / committed revisions between base and live (oldest first) — the
    /// history the attribution walked. `behindBy` is their count.
    public var history: [HistoryRef]
    /// The classified changes, `.theirs`/`.conflict` ones with `introducedBy` filled.
    public var comparison: ThreeWayComparison
    /// Set when the base is a best guess (no common ancestor known for a make-live; an unknown source
    /// version); says what was used.
    public var approximation: String?

    /// How many versions/revisions live is ahead of the base.
    public var behindBy: Int { history.count }
    /// True when the base is not what is live.
    public var isBehind: Bool { base.id != live.id }
    /// True when publishing would undo or overwrite changes made on the live side since the base.
    public var wouldUndoLiveChanges: Bool { comparison.wouldUndoLiveChanges }
    /// The draft's own changes.
    public var yours: [ThreeWayChange] { comparison.yours }
    /// What publishing would revert.
    public var reverted: [ThreeWayChange] { comparison.theirs }
    /// Changed on both sides differently.
    public var conflicts: [ThreeWayChange] { comparison.conflicts }

    /// Builds a review.
    public init(subject: String, agentId: String, base: ReviewPoint, draft: ReviewPoint, live: ReviewPoint,
                history: [HistoryRef], comparison: ThreeWayComparison, approximation: String? = nil) {
        self.subject = subject
        self.agentId = agentId
        self.base = base
        self.draft = draft
        self.live = live
        self.history = history
        self.comparison = comparison
        self.approximation = approximation
    }

    /// One line per field publishing would undo or overwrite: `voice · synthesizer.speed: 1.2 → 1 (introduced by v11)`.
    /// Values are shortened; the caller sanitizes before printing.
    public var reversionLines: [String] {
        comparison.changes.filter { $0.kind == .theirs || $0.kind == .conflict }.map { c in
            let by = c.introducedBy.isEmpty ? "" : " (introduced by \(c.introducedBy.map(\.display).joined(separator: ", ")))"
            let what = c.kind == .theirs ? "would revert" : "conflict, would overwrite"
            let v = Self.shortSideBySide([c.live, c.draft])
            return "\(c.path): live \(v[0]) → \(v[1]) [\(what)]\(by)"
        }
    }

    /// A value in one line, at most 60 characters; `(absent)` for a missing one.
    public static func short(_ v: JSONValue?, limit: Int = 60) -> String {
        guard let v else { return "(absent)" }
        let t = (v.stringValue.map { "\"\($0)\"" } ?? v.description).replacingOccurrences(of: "\n", with: "⏎")
        return t.count > limit ? String(t.prefix(limit)) + "…" : t
    }

    /// Several values of one change shown side by side (`live → draft`, `base · live · yours`), each in one
    /// line, the long ones cut with the SAME window of at most `limit` characters so that the difference is
    /// in view on every side: when they begin alike for longer than the window would show, the window starts
    /// a little before the first character where they differ (a leading `…` says text was left out) — two
    /// prompts that share their first 200 characters do not both show as the same first 60. A value that
    /// fits is shown whole; `nil` is `(absent)`; newlines show as `⏎`. Cuts fall between characters
    /// (grapheme clusters): an emoji or an accented letter is never split. One string per value, in order.
    /// For a single value, `short(_:limit:)`.
    public static func shortSideBySide(_ values: [JSONValue?], limit: Int = 60) -> [String] {
        let limit = max(1, limit)
        let texts: [[Character]?] = values.map { v in
            v.map { Array(($0.stringValue.map { "\"\($0)\"" } ?? $0.description).replacingOccurrences(of: "\n", with: "⏎")) }
        }
        let present = texts.compactMap { $0 }
        let long = present.filter { $0.count > limit }
        guard !long.isEmpty else { return texts.map { $0.map { String($0) } ?? "(absent)" } }
        // Where they first differ: among the values that are cut (two or more), else among all there are.
        let compared = long.count > 1 ? long : present
        var start = 0
        if compared.count > 1, let first = compared.first, !compared.allSatisfy({ $0 == first }) {
            var diff = 0
            while diff < first.count, compared.allSatisfy({ diff < $0.count && $0[diff] == first[diff] }) { diff += 1 }
            let lead = min(12, limit / 4)                    // what comes just before the difference, for context
            if diff >= limit - lead / 2 {                    // out of (or at the very end of) the first `limit` characters
                let longest = long.map(\.count).max() ?? 0
                start = max(0, min(diff - lead, longest - limit))
            }
        }
        return texts.map { t in
            guard let t else { return "(absent)" }
            guard t.count > limit else { return String(t) }
            let from = min(start, t.count)
            let to = min(from + limit, t.count)
            return (from > 0 ? "…" : "") + String(t[from..<to]) + (to < t.count ? "…" : "")
        }
    }
}
