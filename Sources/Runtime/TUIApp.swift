import AtomsClient
import AtomsModels
import AtomsSimulator
import Foundation
import Logging
import Terminal
import TUICore

/// The TUI's one loop: read a key or time out (~30 ms), drain the inbox of messages posted by effect
/// tasks, `update`, render when the state changed. Network effects run as cancellable tasks.
public enum TUIApp {
    /// Runs the TUI until `q` (or a signal); returns the process exit code.
    public static func run(_ options: TUILaunchOptions) async -> Int32 {
        let inbox = Inbox()
        let runner = EffectRunner(inbox: inbox)
        let demo = options.apiKey == nil
        let demoV2 = demo && (options.demoBranchModel || options.apiMode == .v2)
        guard isatty(0) == 1, isatty(1) == 1 else {
            FileHandle.standardError.write(Data("atoms-tui: the TUI needs a terminal; use a subcommand (see --help) for scripts\n".utf8))
            return 2
        }
        let terminal = Terminal()
        terminal.start()
        let initial = demo ? (demoV2 ? "v2" : "v1") : (options.apiMode == .v2 ? "v2" : "v1")
        var state = AppState(isDemo: demo, apiGeneration: initial, accountLabel: demo ? "local simulator" : options.accountLabel,
                             readOnly: options.readOnly, now: Date(), size: terminal.size)
        // First frame at once: nothing loaded yet, the loading state shows.
        var effects = update(&state, .resized(width: terminal.size.width, height: terminal.size.height))
        terminal.present(render(state, state.size))

        let connection = Task.detached { () -> EmbeddedSimulator? in
            do {
                if demo {
                    let sim = try await startDemo(options, branchModel: demoV2)
                    runner.generation = demoV2 ? "v2" : "v1"
                    runner.connect(Lifecycle(client: makeClient(baseURL: sim.baseURL, key: demoKey, logFile: options.logFile)))
                    return sim
                }
                let client = makeClient(baseURL: options.baseURL, key: options.apiKey ?? "", logFile: options.logFile)
                // Decide the generation before any load runs (the first message the loop sees is this one).
                let detector = APIGenerationDetector(stateDirectory: AppPaths().state)
                let generation = (try? await detector.detect(client, mode: options.apiMode)) ?? .v1
                runner.generation = generation.rawValue
                inbox.post(.apiDetected(generation: generation.rawValue, reason: nil))
                runner.connect(Lifecycle(client: client))
            } catch {
                inbox.post(.loadFailed(key: "connect", message: "could not start the demo simulator: \(error)"))
            }
            return nil
        }
        effects += update(&state, .started)
        var running = true
        var lastTick = Date()
        var firstDataFrame = false
        func perform(_ list: [Effect]) {
            for e in list {
                switch e {
                case .quit: running = false
                case .suspend:
                    terminal.stopProcess()
                    _ = update(&state, .resized(width: terminal.size.width, height: terminal.size.height))
                    terminal.invalidate()
                    terminal.present(render(state, state.size))
                case .editDraft(let agentId, let draftId, let rebase):
                    // Inline: the editor owns the terminal until it exits.
                    let msg = EditorHandOff.run(agentId: agentId, draftId: draftId, rebase: rebase,
                                                services: runner.connected, terminal: terminal)
                    _ = update(&state, .resized(width: terminal.size.width, height: terminal.size.height))
                    terminal.invalidate()
                    terminal.present(render(state, state.size))
                    inbox.post(msg)
                default: runner.run(e)
                }
            }
        }
        perform(effects)
        var exitCode: Int32 = 0
        while running {
            if let sig = terminal.terminationSignal {
                exitCode = 128 + sig
                break
            }
            var msgs: [Msg] = []
            if let key = terminal.readKey(timeoutMs: 30) {
                if key == .resize {
                    msgs.append(.resized(width: terminal.size.width, height: terminal.size.height))
                } else {
                    msgs.append(.keyPressed(key))
                }
            }
            msgs += inbox.drain()
            let now = Date()
            if now.timeIntervalSince(lastTick) >= 0.1 {
                msgs.append(.tick(now))
                lastTick = now
            }
            if msgs.isEmpty { continue }
            for m in msgs { perform(update(&state, m)) }
            if !running { break }
            terminal.present(render(state, state.size))
            if options.exitAfterFirstFrame && !firstDataFrame && !state.agents.isEmpty {
                firstDataFrame = true
                running = false
            }
        }
        runner.cancelAll()
        terminal.restore()
        if let sim = await connection.value { await sim.stop() }
        return exitCode
    }

    static let demoKey = "demo-key"

    static func makeClient(baseURL: URL, key: String, logFile: String?) -> AtomsClient {
        var logger = Logger(label: "atoms.client")
        logger.logLevel = logFile == nil ? .critical : .debug
        return AtomsClient(configuration: ClientConfiguration(baseURL: baseURL, apiKey: key), logger: logger)
    }

    /// Starts the demo simulator in-process on loopback, on a database in the user's data directory.
    /// On the branch model it keeps its own database (`demo-v2.sqlite`), so the two demos never mix.
    static func startDemo(_ options: TUILaunchOptions, branchModel: Bool) async throws -> EmbeddedSimulator {
        let paths = AppPaths()
        let dbPath = options.demoDatabasePath ?? paths.data.appendingPathComponent(branchModel ? "demo-v2.sqlite" : "demo.sqlite").path
        try AppPaths.ensurePrivateDirectory(URL(fileURLWithPath: dbPath).deletingLastPathComponent())
        if options.resetDemo {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        }
        var o = SimulatorOptions()
        o.dbPath = dbPath
        o.seedDemo = true
        o.scanSeconds = options.demoScanSeconds
        o.apiKey = demoKey
        o.branchModel = branchModel
        return try await EmbeddedSimulator.start(o)
    }
}
