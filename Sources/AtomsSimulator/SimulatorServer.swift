import Foundation
import Hummingbird

/// The standalone simulator behind `atoms-tui sim serve`.
public enum SimulatorServer {
    /// Serves until SIGINT or SIGTERM. Prints
    /// `atoms simulator listening on http://HOST:PORT/atoms/v1` and then the host-only form
    /// (`http://HOST:PORT`) to stdout (flushed) once bound.
    public static func run(_ options: SimulatorOptions) async throws {
        let store = try SimulatorStore(options: options, clock: SystemClock())
        let api = SimulatorAPI(store: store)
        let host = options.host
        let app = HTTPServer.application(api, host: host, port: options.port) { port in
            print("atoms simulator listening on http://\(host):\(port)\(SimulatorAPI.basePath)")
            // Tools that append /atoms/v1 themselves (the vendor SDK and CLI) take the host-only form.
            print("atoms simulator host (for tools that append \(SimulatorAPI.basePath)): http://\(host):\(port)")
            fflush(nil)
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        let injected = api.faultCounter.snapshot
        if !injected.isEmpty {
            // One line on stderr at shutdown: what the fault injection did (soak and load reports read it).
            let line = injected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            FileHandle.standardError.write(Data("atoms simulator faults: \(line)\n".utf8))
        }
    }
}
