import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built binary with posix_spawn (never Foundation.Process), output to temp files.
/// A child process of the tests (the built binary, tmux).
public struct ChildProcess {
    public let pid: pid_t
    public let stdoutPath: String
    public let stderrPath: String

    /// The built `atoms-tui` next to the test bundle.
    public static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("atoms-tui").path
    }

    /// Runs the binary with `args`; `environment` overrides (XDG dirs are private temp dirs).
    public static func spawn(_ args: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try spawn(executable: binary, args, environment: environment)
    }

    /// Runs any executable (found through PATH when not absolute).
    public static func spawn(executable: String, _ args: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        let binary = executable.hasPrefix("/") ? executable : (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            .split(separator: ":").map { "\($0)/\(executable)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? executable
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("stdout").path, err = dir.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var dflt = sigset_t()
        sigfillset(&dflt)
        posix_spawnattr_setsigdefault(&attr, &dflt)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var env = ProcessInfo.processInfo.environment
        env["SMALLEST_API_KEY"] = nil
        env["ATOMS_BASE_URL"] = nil
        env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
        env["XDG_CONFIG_HOME"] = dir.appendingPathComponent("config").path
        env["XDG_DATA_HOME"] = dir.appendingPathComponent("data").path
        env["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        for (k, v) in environment { env[k] = v }
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, &attr, argv, envp)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot run \(binary): \(String(cString: strerror(rc)))"]) }
        return ChildProcess(pid: pid, stdoutPath: out, stderrPath: err)
    }

    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for exit (with a deadline, then SIGKILL) and returns the exit code.
    public func wait(timeout: TimeInterval = 60) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if Date() > deadline { kill(pid, SIGKILL); waitpid(pid, &status, 0); return -9 }
            usleep(5_000)
        }
        if (status & 0x7f) == 0 { return (status >> 8) & 0xff }
        return -(status & 0x7f)
    }

    /// Waits for exit, reads what it printed and removes its private directory (output files and XDG dirs):
    /// for one-shot runs, so that thousands of them leave nothing in the temp directory.
    public func finish(timeout: TimeInterval = 60) -> CLIResult {
        let code = wait(timeout: timeout)
        let result = CLIResult(code: code, stdout: stdout, stderr: stderr)
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: stdoutPath).deletingLastPathComponent().path)
        return result
    }

    public func terminate() {
        kill(pid, SIGTERM)
        _ = wait(timeout: 5)
    }
}

/// One finished CLI run.
public struct CLIResult {
    public var code: Int32
    public var stdout: String
    public var stderr: String
    public init(code: Int32, stdout: String, stderr: String) { self.code = code; self.stdout = stdout; self.stderr = stderr }
}
