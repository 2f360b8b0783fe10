import AtomsClient
import AtomsModels
import AtomsSimulator
import Foundation
import Logging
import Synchronization
import Terminal
import TUICore

/// The loop's inbox: events from the key reader, effect tasks, the clock and the editor thread, taken
/// all at once on each wake-up (wake-ups coalesce while the loop is busy).
final class EventQueue: Sendable {
    private let items = Mutex<[LoopEvent]>([])
    private let signal: AsyncStream<Void>.Continuation
    /// One element per wake-up (at most one waits).
    let wakeups: AsyncStream<Void>

    init() { (wakeups, signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1)) }

    /// Adds an event and wakes the loop.
    func yield(_ event: LoopEvent) {
        items.withLock { $0.append(event) }
        signal.yield()
    }

    /// Everything that arrived since the last call, in order.
    func drain() -> [LoopEvent] { items.withLock { let out = $0; $0.removeAll(); return out } }

    /// Ends the wake-ups.
    func finish() { signal.finish() }
}

/// What wakes the TUI's loop.
enum LoopEvent: Sendable {
    /// The key reader saw a key or a signal handler's wake-up.
    case input(KeyReader.Event)
    /// An effect's result (or one observation of a streaming effect).
    case message(Msg)
    /// The clock moved.
    case tick(Date)
    /// The editor hand-off ended (the terminal is the TUI's again).
    case editorDone(Msg)
}

/// The TUI's one loop, event-driven: keys (read on their own thread), effect results and a clock tick
/// arrive on one stream; each is turned into state by `update`, and a frame is drawn when the screen
/// changed. Nothing here blocks a Swift-concurrency thread: the key reader and the editor have threads
/// of their own, effects run as cancellable tasks.
public enum TUIApp {
    /// Tick interval while something moves on screen (a debounced load, a progress bar, a write).
    static let fastTick: Duration = .milliseconds(100)
    /// Tick interval otherwise (ages on screen, transient status messages).
    static let slowTick: Duration = .seconds(1)

    /// Runs the TUI until `q` (or a signal); returns the process exit code.
    public static func run(_ options: TUILaunchOptions) async -> Int32 {
        let continuation = EventQueue()
        let inbox = Inbox(continuation)
        let runner = EffectRunner(inbox: inbox, readOnly: options.readOnly)
        let demo = options.apiKey == nil
        let demoV2 = demo && options.demoBranchModel
        guard isatty(0) == 1, isatty(1) == 1 else {
            FileHandle.standardError.write(Data("atoms-tui: the TUI needs a terminal; use a subcommand (see --help) for scripts\n".utf8))
            return 2
        }
        // A session runs for hours: the relocation tables the loader read before main go back now
        // (≈ 4 MiB of the resident set; StartupPages says why that loses nothing).
        StartupPages.releaseRelocationTables()
        let terminal = Terminal(mouse: options.mouse)
        terminal.start()
        let initial: APIGeneration = demo ? (demoV2 ? .v2 : .v1) : (options.apiMode == .v2 ? .v2 : .v1)
        var state = AppState(isDemo: demo, apiGeneration: initial, accountLabel: demo ? "local simulator" : options.accountLabel,
                             readOnly: options.readOnly, now: Date(), size: terminal.size)
        state.localConfigDir = options.localConfigDir
        state.utcOffsetSeconds = TUIApp.localUTCOffset()
        state.asciiOnly = !terminal.unicode
        state.watchInterval = options.watchInterval
        // First frame at once: nothing loaded yet, the loading state shows.
        var effects = update(&state, .resized(width: terminal.size.width, height: terminal.size.height))
        var shown = render(state, state.size)
        terminal.present(shown)

        let reader = KeyReader(terminal: terminal)
        reader.start { continuation.yield(.input($0)) }
        // The clock: often while something moves on screen, once a second otherwise; restarted when
        // that changes, so a debounced load never waits for a slow tick.
        func startTicker(_ fast: Bool) -> Task<Void, Never> {
            Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: fast ? fastTick : slowTick)
                    if Task.isCancelled { break }
                    continuation.yield(.tick(Date()))
                }
            }
        }
        var tickFast = true
        var ticker = startTicker(tickFast)

        let connection = Task.detached { () -> EmbeddedSimulator? in
            do {
                if demo {
                    let sim = try await startDemo(options, branchModel: demoV2)
                    runner.connect(Lifecycle(client: makeClient(baseURL: sim.baseURL, key: demoKey, logFile: options.logFile)))
                    return sim
                }
                let client = makeClient(baseURL: options.baseURL, key: options.apiKey ?? "", logFile: options.logFile,
                                        requestTimeout: options.requestTimeout, requestsPerSecond: options.requestsPerSecond)
                // Decide the generation before any load runs (the first message the loop sees is this one).
                let detector = APIGenerationDetector(stateDirectory: AppPaths().state)
                let generation = (try? await detector.detect(client, mode: options.apiMode)) ?? .v1
                inbox.post(.apiDetected(generation: generation, reason: nil))
                runner.connect(Lifecycle(client: client))
            } catch {
                inbox.post(.connectFailed(EffectFailure(kind: .local, reason: "could not start the demo simulator: \(error)")))
            }
            return nil
        }
        effects += update(&state, .started)
        var running = true
        var editorOpen = false
        var firstDataFrame = false
        func redrawAll() {
            _ = update(&state, .resized(width: terminal.size.width, height: terminal.size.height))
            terminal.invalidate()
            shown = render(state, state.size)
            terminal.present(shown)
        }
        func perform(_ list: [Effect]) {
            for e in list {
                guard let loop = e.onLoop else {
                    runner.run(e)
                    continue
                }
                switch loop {
                case .quit: running = false
                case .suspend:
                    reader.pause()
                    terminal.stopProcess()
                    reader.resume()
                    redrawAll()
                case .repaint:
                    redrawAll()
                case .copyToClipboard(let text, let what):
                    // The terminal layer writes its own OSC 52 escape (base64 of the text) or says why it cannot.
                    let refusal = terminal.copyToClipboard(text)
                    perform(update(&state, .copied(what: what, text: text, refusal: refusal)))
                case .editDraft(let agentId, let draftId, let rebase, let session):
                    guard !editorOpen else { continue }
                    // The editor owns the terminal until it exits; the loop goes on with effect results.
                    editorOpen = true
                    reader.pause()
                    terminal.suspend()
                    EditorHandOff.start(agentId: agentId, draftId: draftId, rebase: rebase, session: session, services: runner.connected) {
                        continuation.yield(.editorDone($0))
                    }
                case .rebaseConflicts(let agentId, let subject, let rebase):
                    guard !editorOpen else { continue }
                    editorOpen = true
                    reader.pause()
                    terminal.suspend()
                    EditorHandOff.startRebase(agentId: agentId, subject: subject, rebase: rebase, services: runner.connected) {
                        continuation.yield(.editorDone($0))
                    }
                }
            }
        }
        perform(effects)
        var exitCode: Int32 = 0
        // Each wake-up takes everything that arrived meanwhile and draws once: a slow frame (a huge
        // config on screen) never builds a backlog of ticks in front of the next key.
        loop: for await _ in continuation.wakeups {
          var msgs: [Msg] = []
          var lastTick: Date?
          for event in continuation.drain() {
            switch event {
            case .input(.key(let key)):
                msgs.append(key == .resize ? .resized(width: terminal.size.width, height: terminal.size.height) : .keyPressed(key))
            case .input(.wake):
                break
            case .message(let m):
                msgs.append(m)
            case .tick(let date):
                lastTick = date
            case .editorDone(let m):
                editorOpen = false
                terminal.resume()
                reader.resume()
                redrawAll()
                msgs.append(m)
            }
          }
            if let lastTick { msgs.append(.tick(lastTick)) }
            if let sig = terminal.terminationSignal, !editorOpen {
                exitCode = 128 + sig
                break loop
            }
            if !editorOpen && terminal.takeStopRequest() { perform([.suspend]) }
            if !editorOpen && terminal.takeContinued() { redrawAll() }
            for m in msgs { perform(update(&state, m)) }
            if !running { break loop }
            if state.wantsFrequentTicks != tickFast {
                tickFast = state.wantsFrequentTicks
                ticker.cancel()
                ticker = startTicker(tickFast)
            }
            if editorOpen { continue }
            let frame = render(state, state.size)
            if frame != shown {
                terminal.present(frame)
                shown = frame
            }
            if options.exitAfterFirstFrame && !firstDataFrame && !state.agents.isEmpty {
                firstDataFrame = true
                break loop
            }
        }
        ticker.cancel()
        reader.stop()
        runner.cancelAll()
        terminal.restore()
        continuation.finish()
        if let sim = await connection.value { await sim.stop() }
        return exitCode
    }

    static let demoKey = "demo-key"

    static func makeClient(baseURL: URL, key: String, logFile: String?, requestTimeout: Double = 20,
                           requestsPerSecond: Double? = nil) -> AtomsClient {
        var logger = Logger(label: "atoms.client")
        logger.logLevel = logFile == nil ? .critical : .debug
        return AtomsClient(configuration: ClientConfiguration(baseURL: baseURL, apiKey: key, requestTimeout: requestTimeout,
                                                              requestsPerSecond: requestsPerSecond),
                           logger: logger)
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

extension TUIApp {
    /// The local time's offset from UTC now, from the C library (`TZ`, `/etc/localtime`), without
    /// Foundation's `TimeZone` (which loads ICU's data).
    static func localUTCOffset() -> Int {
        var t = time(nil)
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}
