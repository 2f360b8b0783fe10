import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import Logging

/// Options shared by every command: where to connect and how to log.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("api-key"), help: "API key (default: $SMALLEST_API_KEY or the profile's). Prefer the environment: flags show up in `ps`.")
    var apiKey: String?

    @Option(name: .customLong("base-url"), help: "API base URL (default: $ATOMS_BASE_URL, the profile's, or https://api.smallest.ai/atoms/v1).")
    var baseURL: String?

    @Option(help: "Profile name in config.yaml.")
    var profile: String?

    @Flag(help: "Allow plain http:// to a non-loopback host (sends the key in clear).")
    var insecure = false

    @Option(name: .customLong("log-file"), help: "Append debug logs here (the API key is never logged).")
    var logFile: String?

    @Option(name: .customLong("request-timeout"), help: "Per-request timeout in seconds.")
    var requestTimeout: Double = 20

    @Option(name: .customLong("api"), help: "Versioning API: v1 (drafts + versions), v2 (branches + revisions) or auto (detect once per account, remembered).")
    var api: String = "auto"

    func validate() throws {
        guard APIMode(rawValue: api.lowercased()) != nil else { throw ValidationError("--api takes v1, v2 or auto") }
    }

    /// The `--api` choice.
    var apiMode: APIMode { APIMode(rawValue: api.lowercased()) ?? .auto }

    func resolve() throws -> ResolvedConnection {
        if let logFile { FileLogHandler.bootstrap(path: logFile) }
        return try ConnectionResolver.resolve(apiKeyFlag: apiKey, baseURLFlag: baseURL, profileFlag: profile, insecure: insecure)
    }

    /// A client for CLI commands; a missing key is a usage error.
    func makeClient() throws -> AtomsClient {
        let conn = try resolve()
        guard let key = conn.apiKey else {
            throw CLIFailure(code: CLIFailure.usage,
                             message: "no API key: set SMALLEST_API_KEY, pass --api-key, or add a profile to config.yaml (run `atoms-tui` without a key for the demo)")
        }
        var logger = Logger(label: "atoms.client")
        logger.logLevel = logFile == nil ? .critical : .debug
        return AtomsClient(configuration: ClientConfiguration(baseURL: conn.baseURL, apiKey: key, requestTimeout: requestTimeout,
                                                              requestsPerSecond: conn.requestsPerSecond),
                           logger: logger)
    }
}

/// Output options of the listing commands.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (the API's objects) instead of a table.")
    var json = false
}

/// Writes swift-log records to a file. Metadata and messages come from the client, which never logs the key.
struct FileLogHandler: LogHandler {
    let handle: FileHandle
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func bootstrap(path: String) {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) { try? AppPaths.writePrivate(Data(), to: url) }
        guard let handle = try? FileHandle(forWritingTo: url) else {
            CLIOutput.stderr("atoms-tui: Cannot open log file \(path); logging disabled")
            return
        }
        handle.seekToEndOfFile()
        LoggingSystem.bootstrap { _ in FileLogHandler(handle: handle) }
    }

    func log(event: LogEvent) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        var line = "\(stamp) \(event.level) \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty { line += " " + merged.map { "\($0)=\($1)" }.sorted().joined(separator: " ") }
        handle.write(Data((line + "\n").utf8))
    }
}
