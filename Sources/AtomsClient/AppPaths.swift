import Foundation

/// Where the tool keeps its files (XDG base directories).
public struct AppPaths: Sendable {
    /// `$XDG_CONFIG_HOME/atoms-tui` (config.yaml with profiles).
    public var config: URL
    /// `$XDG_STATE_HOME/atoms-tui` (check-duration history, recovery files, logs).
    public var state: URL
    /// `$XDG_DATA_HOME/atoms-tui` (the demo database).
    public var data: URL
    /// `$XDG_CACHE_HOME/atoms-tui` (the call-log cache).
    public var cache: URL

    /// Builds the paths from an environment.
    public init(environment env: [String: String] = ProcessInfo.processInfo.environment) {
        let home = env["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        func base(_ key: String, _ fallback: String) -> URL {
            if let v = env[key], v.hasPrefix("/") { return URL(fileURLWithPath: v) }
            return home.appendingPathComponent(fallback)
        }
        config = base("XDG_CONFIG_HOME", ".config").appendingPathComponent("atoms-tui")
        state = base("XDG_STATE_HOME", ".local/state").appendingPathComponent("atoms-tui")
        data = base("XDG_DATA_HOME", ".local/share").appendingPathComponent("atoms-tui")
        cache = base("XDG_CACHE_HOME", ".cache").appendingPathComponent("atoms-tui")
    }

    /// Creates a private (0700) directory if missing.
    public static func ensurePrivateDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Writes a file with mode 0600 (created that way, never world-readable in between).
    public static func writePrivate(_ data: Data, to url: URL) throws {
        try ensurePrivateDirectory(url.deletingLastPathComponent())
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
        defer { close(fd) }
        fchmod(fd, 0o600)
        try data.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
                off += n
            }
        }
    }
}
