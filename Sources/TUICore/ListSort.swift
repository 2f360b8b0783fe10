import Foundation
import AtomsModels

/// How the Agents pane orders its rows (`s` cycles): as the server lists them, by name, by last update.
public enum AgentSort: String, Hashable, Sendable, CaseIterable {
    case server, name, updated

    /// The next order `s` switches to.
    public var next: AgentSort {
        let all = AgentSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// How the pane title and the status line name it.
    public var phrase: String {
        switch self {
        case .server: return "in the server's order"
        case .name: return "by name"
        case .updated: return "by last update, newest first"
        }
    }

    /// `rows` in this order (stable: equal keys keep the server's order).
    func apply(_ rows: [Agent]) -> [Agent] {
        switch self {
        case .server: return rows
        case .name:
            return rows.enumerated().sorted { a, b in
                let c = a.element.name.localizedStandardCompare(b.element.name)
                return c == .orderedSame ? a.offset < b.offset : c == .orderedAscending
            }.map(\.element)
        case .updated:
            func t(_ a: Agent) -> Date { a.updatedAt.flatMap(ISODate.parse) ?? .distantPast }
            return rows.enumerated().sorted { a, b in
                let x = t(a.element), y = t(b.element)
                return x == y ? a.offset < b.offset : x > y
            }.map(\.element)
        }
    }
}

/// How the Versions (History) pane orders its rows (`s` switches): by number or by age, newest first.
public enum VersionSort: String, Hashable, Sendable, CaseIterable {
    case number, age

    /// The other order.
    public var next: VersionSort { self == .number ? .age : .number }

    /// How the pane title and the status line name it.
    public var phrase: String { self == .number ? "by number, newest first" : "by age, most recently published first" }

    /// `rows` in this order (stable).
    func apply(_ rows: [AgentVersion]) -> [AgentVersion] {
        switch self {
        case .number:
            return rows  // the server lists newest number first (and pages in that order)
        case .age:
            func t(_ v: AgentVersion) -> Date { (v.publishedAt ?? v.createdAt).flatMap(ISODate.parse) ?? .distantPast }
            return rows.enumerated().sorted { a, b in
                let x = t(a.element), y = t(b.element)
                return x == y ? a.offset < b.offset : x > y
            }.map(\.element)
        }
    }
}
