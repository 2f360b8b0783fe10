import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the person's editor on a file: `$VISUAL`, else `$EDITOR`, else `vi`, through `/bin/sh -c` so
/// values with arguments work (`code -w`, `emacsclient -t`, `nvim -u NONE`). Spawned with posix_spawn in
/// the foreground process group with a clean signal mask; like system(3), the caller ignores SIGINT and
/// SIGQUIT while it waits, so Ctrl-C reaches only the editor.
public struct ExternalEditor: Sendable {
    /// What happened.
    public enum Outcome: Sendable, Equatable {
        case saved
        case exited(Int32)
        case failedToStart(String)
    }

    /// The shell command (from the environment).
    public let command: String

    /// The editor named by `VISUAL`, `EDITOR`, or `vi`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let visual = environment["VISUAL"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let editor = environment["EDITOR"]?.trimmingCharacters(in: .whitespaces) ?? ""
        command = !visual.isEmpty ? visual : (!editor.isEmpty ? editor : "vi")
    }

    /// An explicit command.
    public init(command: String) { self.command = command }

    /// Opens `file` and waits. Blocking: call it with the terminal handed over (curses suspended).
    public func edit(_ file: URL) -> Outcome { edit(file, onChild: nil) }

    /// Opens `file` and waits; `onChild` is told the editor's process id once it runs, and nil once it
    /// has exited (a TUI forwards terminating signals to it meanwhile).
    public func edit(_ file: URL, onChild: ((pid_t?) -> Void)?) -> Outcome {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var dflt = sigset_t()
        sigemptyset(&dflt)
        for s in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGPIPE, SIGCHLD] { sigaddset(&dflt, s) }
        posix_spawnattr_setsigdefault(&attr, &dflt)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // The command runs with the file as $1; 127 from sh means the editor was not found.
        let script = "exec \(command) \"$1\""
        let args = ["/bin/sh", "-c", script, "atoms-tui-editor", file.path]
        let argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let oldInt = signal(SIGINT, SIG_IGN), oldQuit = signal(SIGQUIT, SIG_IGN)
        defer { signal(SIGINT, oldInt); signal(SIGQUIT, oldQuit) }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", nil, &attr, argv, environ)
        guard rc == 0 else { return .failedToStart("cannot run /bin/sh: \(String(cString: strerror(rc)))") }
        onChild?(pid)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        onChild?(nil)
        let signaled = (status & 0x7f) != 0
        let code = signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff
        if code == 127 { return .failedToStart("the editor \"\(command)\" was not found (set $VISUAL or $EDITOR)") }
        if code == 126 { return .failedToStart("the editor \"\(command)\" could not be executed") }
        return code == 0 ? .saved : .exited(code)
    }
}

/// Private temp files for edits: a 0700 directory per process, files 0600, all removed at exit —
/// normal exit, and the SIGINT/SIGTERM/SIGHUP handlers (which call `exit`).
public enum PrivateTempFiles {
    nonisolated(unsafe) private static var directory: String?
    private static let lock = NSLock()

    /// A new private file path (created empty, 0600) with the given extension.
    public static func make(prefix: String, ext: String) throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if directory == nil {
            var template = Array((NSTemporaryDirectory() + "/atoms-tui-XXXXXX").utf8CString)
            guard let p = mkdtemp(&template) else { throw CocoaError(.fileWriteNoPermission) }
            directory = String(cString: p)
            atexit { PrivateTempFiles.removeAll() }
        }
        let safe = prefix.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }.prefix(40)
        let url = URL(fileURLWithPath: directory!).appendingPathComponent("\(safe)-\(UUID().uuidString.prefix(8)).\(ext)")
        try AppPaths.writePrivate(Data(), to: url)
        return url
    }

    /// Removes the directory and everything in it.
    public static func removeAll() {
        if let d = directory { try? FileManager.default.removeItem(atPath: d) }
        directory = nil
    }

    /// The directory in use, if any (tests).
    public static var currentDirectory: String? { directory }
}
