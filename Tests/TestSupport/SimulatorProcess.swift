import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `atoms-tui sim serve --db PATH` on a free port, to ask a demo database questions through the CLI
/// after the TUI has quit.
public final class SimulatorProcess {
    /// The running server.
    public let process: ChildProcess
    /// Its base URL (`http://127.0.0.1:PORT/atoms/v1`).
    public let baseURL: String

    /// Starts the simulator on `database` (with extra `sim serve` flags) and waits until it listens.
    public init(database: String, arguments: [String] = []) throws {
        process = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--db", database] + arguments)
        guard let url = process.listeningURL(timeout: 10) else {
            process.terminate()
            throw NSError(domain: "sim", code: 1, userInfo: [NSLocalizedDescriptionKey: "the simulator did not start: \(process.stderr)"])
        }
        baseURL = url
    }

    deinit { process.terminate() }

    /// Runs a CLI command against this simulator and waits for it.
    public func cli(_ args: [String]) throws -> CLIResult {
        try ChildProcess.spawn(args + ["--base-url", baseURL], environment: ["SMALLEST_API_KEY": "k"]).finish()
    }
}

extension ChildProcess {
    /// The base URL a `sim serve` child prints (`… listening on URL`), waiting up to `timeout` seconds;
    /// nil when it never printed one.
    public func listeningURL(timeout: TimeInterval = 30) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains("listening on") }),
               let url = line.split(separator: " ").last {
                return String(url)
            }
            usleep(20_000)
        }
        return nil
    }
}
