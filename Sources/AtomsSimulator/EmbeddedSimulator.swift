import Foundation
import Hummingbird
import ServiceLifecycle

/// A simulator running inside the current process (tests, the demo TUI): starts Hummingbird on
/// a detached task, waits until the port is bound, and stops gracefully.
public final class EmbeddedSimulator: Sendable {
    /// The bound port.
    public let port: Int
    /// The store behind the server (inspect it in tests, e.g. `activationAttempts`).
    public let store: SimulatorStore
    /// The faults injected so far (see `SimulatorOptions.faults`).
    public let faults: FaultCounter
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    /// `http://127.0.0.1:PORT/atoms/v1` (the host the server was bound to).
    public var baseURL: URL { URL(string: "http://\(host):\(port)\(SimulatorAPI.basePath)")! }
    private let host: String
    /// `http://127.0.0.1:PORT`: the host-only form, for tools that append `/atoms/v1` themselves.
    public var hostURL: URL { URL(string: "http://\(host):\(port)")! }

    private init(port: Int, host: String, store: SimulatorStore, faults: FaultCounter, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.faults = faults
        self.host = host
        self.store = store
        self.group = group
        self.task = task
    }

    /// Opens the store, starts the server and returns once it listens.
    public static func start(_ options: SimulatorOptions, clock: any SimClock = SystemClock()) async throws -> EmbeddedSimulator {
        let store = try SimulatorStore(options: options, clock: clock)
        let faults = FaultCounter()
        let api = SimulatorAPI(store: store, faultCounter: faults)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let failure = Locked<(any Error)?>(nil)
        let app = HTTPServer.application(api, host: options.host, port: options.port) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: HTTPServer.logger()))
        let task = Task.detached {
            do { try await group.run() } catch { failure.withLock { $0 = error } }
            continuation.finish()
        }
        var bound: Int?
        for await p in ports { bound = p; break }
        guard let port = bound, port > 0 else {
            await group.triggerGracefulShutdown()
            _ = await task.value
            throw failure.withLock { $0 } ?? SimulatorConfigurationError(message: "the simulator did not start")
        }
        return EmbeddedSimulator(port: port, host: options.host, store: store, faults: faults, group: group, task: task)
    }

    /// Stops the server and waits until it has shut down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.value
    }
}
