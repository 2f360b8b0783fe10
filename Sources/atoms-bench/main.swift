// atoms-bench: in-process keystroke → frame timing for the TUI core (update + render + screen diff),
// at several list sizes. Run in release: `swift run -c release atoms-bench`. Prints JSON lines.
// The end-to-end figures (CLI cold start, first frame, bytes per move on a real pty, RSS,
// publish → active) come from scripts/bench.py, which also runs this.
import AtomsModels
import Foundation
import TUICore

struct Figures: Codable {
    var scenario: String
    var rows: Int
    var moves: Int
    var p50Micros: Double
    var p99Micros: Double
    var maxMicros: Double
    var changedRowsPerMove: Double
    var textBytesPerMove: Double
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

let epoch = Date(timeIntervalSince1970: 1_787_306_400)

func agent(_ i: Int) -> Agent {
    Agent(id: ObjectID.make(seconds: 1_787_000_000, counter: UInt64(i + 1)), name: "Scale Agent \(i)",
          activeVersionId: ObjectID.make(seconds: 1_787_000_001, counter: 1))
}

func version(_ agentId: String, _ n: Int, total: Int) -> AgentVersion {
    var v = AgentVersion(id: ObjectID.make(seconds: 1_787_000_002, counter: UInt64(n)), agent: agentId, status: .published,
                         versionNumber: n, label: "Change number \(n)", isPinned: n % 25 == 0, isActive: n == total)
    v.publishedByName = "Priya Raman"
    v.publishedAt = "2026-08-\(10 + n % 18)T10:00:00.000Z"
    v.securityCheck = SecurityCheck(status: .passed)
    return v
}

/// Presses Down `moves` times, timing update + render + screen diff for each press.
func pressDown(_ state: inout AppState, size: Size, moves: Int, scenario: String, rows: Int) -> Figures {
    var previous = render(state, size)
    var samples: [Double] = []
    var changedRows = 0, bytes = 0
    for _ in 0..<moves {
        let t0 = now()
        _ = update(&state, .keyPressed(.down))
        let screen = render(state, size)
        let runs = screen.changes(from: previous)
        let t1 = now()
        samples.append(Double(t1 - t0) / 1000)
        changedRows += Set(runs.map(\.y)).count
        bytes += runs.reduce(0) { $0 + $1.text.utf8.count }
        previous = screen
    }
    return Figures(scenario: scenario, rows: rows, moves: moves, p50Micros: percentile(samples, 0.5),
                   p99Micros: percentile(samples, 0.99), maxMicros: samples.max() ?? 0,
                   changedRowsPerMove: Double(changedRows) / Double(moves), textBytesPerMove: Double(bytes) / Double(moves))
}

/// Drives the state with messages only (as the Runtime does) and times each Down key.
func benchList(agents agentCount: Int, versions versionCount: Int, moves: Int, size: Size) -> Figures {
    var state = AppState(isDemo: true, apiGeneration: .v1, accountLabel: "bench", now: epoch, size: size)
    _ = update(&state, .resized(width: size.width, height: size.height))
    _ = update(&state, .started)
    let agents = (0..<agentCount).map(agent)
    _ = update(&state, .agentsLoaded(page: 1, search: nil, list: AgentList(agents: agents, total: agentCount, totalPages: 1, hasMore: false)))
    let a = agents[0].id
    let versions = (1...versionCount).reversed().map { version(a, $0, total: versionCount) }
    _ = update(&state, .versionsLoaded(agentId: a, skip: 0, list: VersionList(versions: versions, total: versionCount)))
    _ = update(&state, .draftsLoaded(agentId: a, drafts: []))
    _ = update(&state, .keyPressed(.tab))   // focus the versions pane
    return pressDown(&state, size: size, moves: moves, scenario: "versions list, cursor down", rows: versionCount)
}

/// A diff whose prompt has `lines` lines, every third changed; scrolls it line by line.
func benchDiff(lines: Int, moves: Int, size: Size) -> Figures {
    var state = AppState(isDemo: true, apiGeneration: .v1, accountLabel: "bench", now: epoch, size: size)
    _ = update(&state, .resized(width: size.width, height: size.height))
    _ = update(&state, .started)
    let ag = agent(0)
    _ = update(&state, .agentsLoaded(page: 1, search: nil, list: AgentList(agents: [ag], total: 1, totalPages: 1, hasMore: false)))
    let versions = [version(ag.id, 2, total: 2), version(ag.id, 1, total: 2)]
    _ = update(&state, .versionsLoaded(agentId: ag.id, skip: 0, list: VersionList(versions: versions, total: 2)))
    _ = update(&state, .draftsLoaded(agentId: ag.id, drafts: []))
    _ = update(&state, .keyPressed(.tab))
    _ = update(&state, .keyPressed(.down))   // select v1 (older): d diffs it against the active version
    let effects = update(&state, .keyPressed(.char("d")))
    guard case .loadDiff(let agentId, let from, let to, _)? = effects.first(where: { if case .loadDiff = $0 { return true }; return false }) else {
        fatalError("d did not ask for a diff: \(effects)")
    }
    let old = (0..<lines).map { "Line \($0): the agent explains delivery windows and refund rules." }.joined(separator: "\n")
    let new = (0..<lines).map { $0 % 3 == 0 ? "Line \($0): the agent explains delivery windows, refunds and exchanges." : "Line \($0): the agent explains delivery windows and refund rules." }.joined(separator: "\n")
    let diff = ConfigMapping.diff(from: ["singlePromptConfig": ["prompt": .string(old)]], to: ["singlePromptConfig": ["prompt": .string(new)]])
    _ = update(&state, .diffLoaded(agentId: agentId, from: from, to: to, diff: diff))
    state.focus = .detail   // as after Tab into the detail area: Down scrolls the diff
    return pressDown(&state, size: size, moves: moves, scenario: "prompt diff, scroll down", rows: lines)
}

let size = Size(width: 120, height: 32)
let enc = JSONEncoder()
enc.outputFormatting = [.sortedKeys]
func emit<T: Encodable>(_ f: T) { print(String(decoding: try! enc.encode(f), as: UTF8.self)) }
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "health" {
    emit(try benchHealthStatistics(calls: 100_000, runs: 20))
    exit(0)
}
if arguments.first == "call-fetch" {
    guard arguments.count == 5, let url = URL(string: arguments[1]), let rate = Double(arguments[4]), rate > 0 else {
        FileHandle.standardError.write(Data("usage: atoms-bench call-fetch BASE_URL KEY AGENT_ID RATE\n".utf8))
        exit(2)
    }
    emit(try await benchCallFetch(baseURL: url, key: arguments[2], agentId: arguments[3], rate: rate))
    exit(0)
}
for n in [10, 100, 1_000, 10_000] { emit(benchList(agents: min(n, 1_000), versions: n, moves: min(n - 1, 2_000), size: size)) }
emit(benchDiff(lines: 5_000, moves: 2_000, size: size))
