import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server running one command, for real-terminal end-to-end tests. Waits poll the
/// screen every 25 ms up to a deadline and return a settled screen; no fixed sleeps.
public final class TmuxSession {
    public let socket: String
    public let workDir: URL

    /// Starts `command` (a shell command line) in a detached session of `width`×`height`.
    public init(width: Int, height: Int, command: String, environment: [String: String] = [:]) throws {
        workDir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        socket = workDir.appendingPathComponent("tmux.sock").path
        var args = ["-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", String(width), "-y", String(height)]
        var env = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        for (k, v) in environment { env[k] = v }
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        args.append(command)
        let rc = try Self.tmux(args)
        if rc.code != 0 { throw NSError(domain: "tmux", code: Int(rc.code), userInfo: [NSLocalizedDescriptionKey: "tmux new-session failed: \(rc.stderr)"]) }
    }

    deinit { kill() }

    @discardableResult
    static func tmux(_ args: [String]) throws -> CLIResult {
        try ChildProcess.spawn(executable: "tmux", args).finish(timeout: 10)
    }

    /// Sends tmux key names (`Down`, `Enter`, `C-c`, `q`).
    public func send(_ keys: String...) {
        _ = try? Self.tmux(["-S", socket, "send-keys", "-t", "app"] + keys)
    }

    /// Types literal text.
    public func type(_ text: String) {
        _ = try? Self.tmux(["-S", socket, "send-keys", "-t", "app", "-l", text])
    }

    /// The screen as text (`colors`: with SGR escapes).
    public func capture(colors: Bool = false) -> String {
        (try? Self.tmux(["-S", socket, "capture-pane", "-t", "app", "-p"] + (colors ? ["-e"] : [])))?.stdout ?? ""
    }

    /// Runs a tmux command on this session's server (`set-option`, `show-buffer`…); returns its stdout.
    @discardableResult
    public func command(_ args: String...) -> String {
        (try? Self.tmux(["-S", socket] + args))?.stdout ?? ""
    }

    /// Resizes the window.
    public func resize(width: Int, height: Int) {
        _ = try? Self.tmux(["-S", socket, "resize-window", "-t", "app", "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen satisfies `predicate` and has settled; returns it, or throws with the last
    /// screen. A frame reaches the terminal in several writes, so a capture can catch one half drawn (the
    /// list row updated, the detail beside it not yet): a match counts once a second capture right after
    /// it is identical — or, on a screen that keeps moving (a progress bar, a clock), once the predicate
    /// has held for eight captures in a row; a match the next capture no longer shows was a passing state
    /// and is returned as it was.
    @discardableResult
    public func waitFor(_ what: String, timeout: TimeInterval = 15, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        var previousMatch: String?
        var matches = 0
        while Date() < deadline {
            screen = capture()
            if predicate(screen) {
                matches += 1
                if screen == previousMatch || matches >= 8 { return screen }
                previousMatch = screen
                usleep(10_000)
                continue
            }
            // A screen that matched and moved on was a passing state (a progress step): it counts.
            if let previousMatch { return previousMatch }
            usleep(25_000)
        }
        if let previousMatch { return previousMatch }
        throw NSError(domain: "e2e", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out waiting for \(what); screen was:\n\(screen)"])
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(text: String, timeout: TimeInterval = 15) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// The pid of the pane shell's first child (the program under test).
    public func foregroundChildPID() -> pid_t? {
        guard let out = try? Self.tmux(["-S", socket, "display-message", "-p", "-t", "app", "#{pane_pid}"]),
              let shell = Int32(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let text = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0) }.first
    }

    /// Ends the server and removes its files.
    public func kill() {
        _ = try? Self.tmux(["-S", socket, "kill-server"])
        unlink(socket)
    }
}
