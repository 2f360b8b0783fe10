import Foundation

/// How one field of a draft relates to the config it was based on (**base**) and to what is live now.
public enum ThreeWayKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Changed by the draft only (draft ≠ base, live = base): publishing applies it.
    case yours
    /// Changed on the live side only (live ≠ base, draft = base): publishing the draft would REVERT it.
    case theirs
    /// Changed on both sides to the same value (draft = live ≠ base): nothing happens to it.
    case both
    /// Changed on both sides to different values (base, draft and live all differ): publishing
    /// replaces the live value with the draft's.
    case conflict
}

/// One step of a path into a config document.
public enum ThreeWayPathStep: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// A published version (v1) or committed revision (v2) that changed a field between base and live.
public struct HistoryRef: Codable, Sendable, Hashable {
    /// The version's / revision's `_id`.
    public var id: String
    /// `v11`, or `r4` (prefixed with the branch name when known: `main r4`).
    public var name: String
    public var label: String?
    public var publishedAt: String?
    public var publishedBy: String?
    /// Set when the step was a restore of an older revision or a roll back (`restored r1`).
    public var note: String?

    /// Builds a reference.
    public init(id: String, name: String, label: String? = nil, publishedAt: String? = nil, publishedBy: String? = nil,
                note: String? = nil) {
        self.id = id
        self.name = name
        self.label = label
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
        self.note = note
    }

    /// `v11 'fix greeting'` (label sanitized by the caller before display).
    public var display: String {
        var s = name
        if let l = label, !l.isEmpty { s += " '\(l)'" }
        if let n = note { s += " (\(n))" }
        return s
    }
}

/// One changed leaf of a three-way comparison.
public struct ThreeWayChange: Codable, Sendable, Hashable {
    /// Request-document path: `firstMessage`, `synthesizer.speed`, `language.supported[1]`,
    /// `singlePromptConfig.tools[0].name` (keys joined by `.`, array elements as `[i]`).
    public var path: String
    /// The top-level request field the path lies in (the unit a patch sends).
    public var field: String
    /// The config section (`ConfigMapping.sections`) for grouping.
    public var section: String
    public var kind: ThreeWayKind
    /// The value in the base (`nil`: absent).
    public var base: JSONValue?
    /// The value in the draft (or, for make-live, the branch's head).
    public var draft: JSONValue?
    /// The value live now (or at the head the draft will be published onto).
    public var live: JSONValue?
    /// For `.theirs` and `.conflict`: the versions/revisions between base and live that changed this
    /// path, oldest first (filled by the client's history walk; empty when unknown).
    public var introducedBy: [HistoryRef]
    /// The path as steps (not encoded).
    public var steps: [ThreeWayPathStep]

    enum CodingKeys: String, CodingKey { case path, field, section, kind, base, draft, live, introducedBy }

    /// Builds a change.
    public init(steps: [ThreeWayPathStep], kind: ThreeWayKind, base: JSONValue?, draft: JSONValue?, live: JSONValue?,
                introducedBy: [HistoryRef] = []) {
        self.steps = steps
        self.path = ThreeWayComparison.render(steps)
        self.field = ThreeWayComparison.field(of: steps)
        self.section = ThreeWayComparison.section(of: steps)
        self.kind = kind
        self.base = base
        self.draft = draft
        self.live = live
        self.introducedBy = introducedBy
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        field = try c.decode(String.self, forKey: .field)
        section = try c.decode(String.self, forKey: .section)
        kind = try c.decode(ThreeWayKind.self, forKey: .kind)
        base = try c.decodeIfPresent(JSONValue.self, forKey: .base)
        draft = try c.decodeIfPresent(JSONValue.self, forKey: .draft)
        live = try c.decodeIfPresent(JSONValue.self, forKey: .live)
        introducedBy = try c.decodeIfPresent([HistoryRef].self, forKey: .introducedBy) ?? []
        steps = ThreeWayComparison.parse(path)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(field, forKey: .field)
        try c.encode(section, forKey: .section)
        try c.encode(kind, forKey: .kind)
        // Absent values are written as null: the JSON always has all three sides.
        try c.encode(base ?? .null, forKey: .base)
        try c.encode(draft ?? .null, forKey: .draft)
        try c.encode(live ?? .null, forKey: .live)
        try c.encode(introducedBy, forKey: .introducedBy)
    }
}

/// Which side an automatic merge takes for a `.conflict`.
public enum ConflictSide: String, Sendable, Hashable, Codable, CaseIterable {
    case yours, theirs
}

/// The three-way comparison of a draft with its base and with what is live — pure, on request
/// documents (`DraftConfigRequest` field names), used by the TUI and the CLI through `AtomsClient`.
///
/// Objects compare key by key and arrays element by element (index-aligned: element `i` of each side;
/// an element missing on a side is "absent"), down to leaves, exactly where all three sides hold a
/// container of the same kind; anything else (a scalar, a type change, a side that is absent) is one leaf.
/// An element inserted in the middle of an array therefore shows as changes of every later index.
public struct ThreeWayComparison: Codable, Sendable, Hashable {
    /// Every changed leaf, in section order (`ConfigMapping.sections`), then by path.
    public var changes: [ThreeWayChange]

    /// Builds a comparison from changes (sorted here).
    public init(changes: [ThreeWayChange]) {
        self.changes = changes.sorted(by: Self.order)
    }

    /// Compares the three documents.
    public static func compare(base: ConfigDocument, draft: ConfigDocument, live: ConfigDocument) -> ThreeWayComparison {
        var out: [ThreeWayChange] = []
        walk(.object(base), .object(draft), .object(live), [], &out)
        return ThreeWayComparison(changes: out)
    }

    /// The draft's own changes.
    public var yours: [ThreeWayChange] { changes.filter { $0.kind == .yours } }
    /// Changes on the live side that publishing the draft would revert.
    public var theirs: [ThreeWayChange] { changes.filter { $0.kind == .theirs } }
    /// Changed alike on both sides.
    public var both: [ThreeWayChange] { changes.filter { $0.kind == .both } }
    /// Changed differently on both sides.
    public var conflicts: [ThreeWayChange] { changes.filter { $0.kind == .conflict } }
    /// True when publishing the draft as it is would undo or overwrite a change made on the live side
    /// since the base (`.theirs` or `.conflict` fields).
    public var wouldUndoLiveChanges: Bool { changes.contains { $0.kind == .theirs || $0.kind == .conflict } }

    /// The changes of one kind grouped by section, in section order.
    public func bySection(_ kind: ThreeWayKind) -> [(section: String, changes: [ThreeWayChange])] {
        let of = changes.filter { $0.kind == kind }
        return (ConfigMapping.sections + ["other"]).compactMap { s in
            let c = of.filter { $0.section == s }
            return c.isEmpty ? nil : (s, c)
        }
    }

    // MARK: Merge

    /// The draft brought onto live: live's values everywhere, plus the draft's own changes
    /// (`.yours`), with `.conflict` leaves taken from `conflicts`' side. `.theirs` leaves keep live's
    /// value, so nothing live is reverted. Arrays merge element by element (elements that end up absent
    /// are dropped); object keys that end up absent are dropped.
    public static func merge(base: ConfigDocument, draft: ConfigDocument, live: ConfigDocument,
                             conflicts: ConflictSide) -> ConfigDocument {
        merge(.object(base), .object(draft), .object(live), conflicts)?.objectValue ?? [:]
    }

    static func merge(_ a: JSONValue?, _ d: JSONValue?, _ l: JSONValue?, _ side: ConflictSide) -> JSONValue? {
        if d == l { return d }
        if d == a { return l }
        if l == a { return d }
        switch (a, d, l) {
        case (.object(let oa)?, .object(let od)?, .object(let ol)?):
            var out: [String: JSONValue] = [:]
            for k in Set(oa.keys).union(od.keys).union(ol.keys) {
                if let v = merge(oa[k], od[k], ol[k], side) { out[k] = v }
            }
            return .object(out)
        case (.array(let aa)?, .array(let ad)?, .array(let al)?):
            let n = max(aa.count, ad.count, al.count)
            return .array((0..<n).compactMap { i in merge(aa[safe: i], ad[safe: i], al[safe: i], side) })
        default:
            return side == .yours ? d : l
        }
    }

    // MARK: Walking

    static func walk(_ a: JSONValue?, _ d: JSONValue?, _ l: JSONValue?, _ steps: [ThreeWayPathStep], _ out: inout [ThreeWayChange]) {
        if a == d && d == l { return }
        switch (a, d, l) {
        case (.object(let oa)?, .object(let od)?, .object(let ol)?):
            for k in Set(oa.keys).union(od.keys).union(ol.keys).sorted() {
                walk(oa[k], od[k], ol[k], steps + [.key(k)], &out)
            }
        case (.array(let aa)?, .array(let ad)?, .array(let al)?) where !steps.isEmpty:
            for i in 0..<max(aa.count, ad.count, al.count) {
                walk(aa[safe: i], ad[safe: i], al[safe: i], steps + [.index(i)], &out)
            }
        default:
            let kind: ThreeWayKind
            if l == a { kind = .yours } else if d == a { kind = .theirs } else if d == l { kind = .both } else { kind = .conflict }
            out.append(ThreeWayChange(steps: steps, kind: kind, base: a, draft: d, live: l))
        }
    }

    // MARK: Paths

    /// `a.b[2].c`.
    public static func render(_ steps: [ThreeWayPathStep]) -> String {
        var s = ""
        for step in steps {
            switch step {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// The inverse of `render` (keys holding `.` or `[` do not round-trip; config keys never do).
    public static func parse(_ path: String) -> [ThreeWayPathStep] {
        var steps: [ThreeWayPathStep] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            if let b = rest.firstIndex(of: "[") {
                if b > rest.startIndex { steps.append(.key(String(rest[..<b]))) }
                rest = rest[b...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    if let i = Int(rest[rest.index(after: rest.startIndex)..<close]) { steps.append(.index(i)) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                steps.append(.key(String(rest)))
            }
        }
        return steps
    }

    /// The value at `steps` in a document (`nil`: absent).
    public static func value(at steps: [ThreeWayPathStep], in doc: ConfigDocument) -> JSONValue? {
        var cur: JSONValue? = .object(doc)
        for step in steps {
            switch (step, cur) {
            case (.key(let k), .object(let o)?): cur = o[k]
            case (.index(let i), .array(let a)?): cur = a[safe: i]
            default: return nil
            }
        }
        return cur
    }

    static func field(of steps: [ThreeWayPathStep]) -> String {
        if case .key(let k)? = steps.first { return k }
        return ""
    }

    static func section(of steps: [ThreeWayPathStep]) -> String {
        let f = field(of: steps)
        if f == "singlePromptConfig" {
            if steps.count > 1, case .key(let sub) = steps[1] {
                return sub == "tools" ? "workflow_tools" : "workflow_prompt"
            }
            return "workflow_prompt"
        }
        if f == "workflowGraph" { return "workflow_graph" }
        return ConfigMapping.section(ofRequestField: f)
    }

    static func order(_ x: ThreeWayChange, _ y: ThreeWayChange) -> Bool {
        let ix = ConfigMapping.sections.firstIndex(of: x.section) ?? Int.max
        let iy = ConfigMapping.sections.firstIndex(of: y.section) ?? Int.max
        if ix != iy { return ix < iy }
        return stepsLess(x.steps, y.steps)
    }

    /// Path order with array indices numerically (`[2]` before `[10]`).
    static func stepsLess(_ a: [ThreeWayPathStep], _ b: [ThreeWayPathStep]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            switch (x, y) {
            case (.key(let p), .key(let q)): return p < q
            case (.index(let p), .index(let q)): return p < q
            case (.index, .key): return true
            case (.key, .index): return false
            }
        }
        return a.count < b.count
    }
}

/// Where a v1 draft's base stands relative to the active version: "behind v12 by 2".
public struct DraftBaseStatus: Sendable, Hashable, Codable {
    /// The base version's number (`v10`).
    public var baseVersionNumber: Int?
    /// The active version's number (`v12`).
    public var liveVersionNumber: Int?
    /// Published versions after the base up to and including the active one (0: up to date).
    public var behindBy: Int
    /// True when the active version is older than the base (a roll back happened after the fork).
    public var liveIsOlder: Bool
    /// `v` for versions (v1), `r` for revisions (v2).
    public var prefix: String

    /// Builds a status.
    public init(baseVersionNumber: Int?, liveVersionNumber: Int?, behindBy: Int, liveIsOlder: Bool = false, prefix: String = "v") {
        self.baseVersionNumber = baseVersionNumber
        self.liveVersionNumber = liveVersionNumber
        self.behindBy = behindBy
        self.liveIsOlder = liveIsOlder
        self.prefix = prefix
    }

    /// True when the draft's base is not what is live.
    public var isBehind: Bool { behindBy > 0 || liveIsOlder }

    /// `behind v12 by 2` (v2: `behind r5 by 1`), `live rolled back to v8`, or nil when up to date.
    public var summary: String? {
        guard let live = liveVersionNumber else { return nil }
        if liveIsOlder { return "live rolled back to \(prefix)\(live)" }
        return behindBy > 0 ? "behind \(prefix)\(live) by \(behindBy)" : nil
    }

    /// v2: a branch draft (its `sourceVersionId`: the revision it was opened on) against the branch's
    /// head, from the branch's revisions (`revisionNumber`). Nil when either is not among them.
    public static func ofBranchDraft(baseRevisionId: String?, headRevisionId: String?, revisions: [AgentVersion]) -> DraftBaseStatus? {
        guard let s = baseRevisionId, let h = headRevisionId,
              let bn = revisions.first(where: { $0.id == s })?.revisionNumber,
              let hn = revisions.first(where: { $0.id == h })?.revisionNumber else { return nil }
        return DraftBaseStatus(baseVersionNumber: bn, liveVersionNumber: hn, behindBy: max(0, hn - bn), prefix: "r")
    }

    /// Computes the status of a draft (its `sourceVersionId`) from the versions the caller has (any
    /// page that holds the base and the active version; counting uses version numbers, so missing
    /// rows in between do not matter). Nil when the base or the active version is not among them.
    public static func of(sourceVersionId: String?, activeVersionId: String?, versions: [AgentVersion]) -> DraftBaseStatus? {
        guard let s = sourceVersionId, let a = activeVersionId,
              let base = versions.first(where: { $0.id == s }), let live = versions.first(where: { $0.id == a }),
              let bn = base.versionNumber, let ln = live.versionNumber else { return nil }
        if s == a { return DraftBaseStatus(baseVersionNumber: bn, liveVersionNumber: ln, behindBy: 0) }
        if ln < bn { return DraftBaseStatus(baseVersionNumber: bn, liveVersionNumber: ln, behindBy: 0, liveIsOlder: true) }
        return DraftBaseStatus(baseVersionNumber: bn, liveVersionNumber: ln, behindBy: ln - bn)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}
