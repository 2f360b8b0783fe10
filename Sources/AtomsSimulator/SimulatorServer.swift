import Foundation
import Hummingbird

/// The standalone simulator behind `atoms-tui sim serve`.
public enum SimulatorServer {
    /// Serves until SIGINT or SIGTERM. Prints
    /// `atoms simulator listening on http://HOST:PORT/atoms/v1` to stdout (flushed) once bound.
    public static func run(_ options: SimulatorOptions) async throws {
        let store = try SimulatorStore(options: options, clock: SystemClock())
        let api = SimulatorAPI(store: store)
        let host = options.host
        let app = HTTPServer.application(api, host: host, port: options.port) { port in
            print("atoms simulator listening on http://\(host):\(port)\(SimulatorAPI.basePath)")
            fflush(nil)
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
