#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TUICore

/// Reads keys on a dedicated thread (never a Swift-concurrency thread): it sleeps in `poll` on the
/// terminal and the signal handlers' wake pipe, and hands each key — and each wake-up — to `emit`.
/// `pause()` parks it (the editor owns the terminal's input meanwhile); `resume()` lets it read again.
public final class KeyReader: @unchecked Sendable {
    /// What the reader reports.
    public enum Event: Sendable, Equatable {
        /// A key (`.resize` after the window changed size).
        case key(Key)
        /// A signal handler recorded something (a terminating signal, Ctrl-Z, a continue): look at the flags.
        case wake
    }

    private enum State { case running, pauseRequested, paused, stopped }

    private let terminal: Terminal
    private let condition = NSCondition()
    private var state = State.running
    private var emit: (@Sendable (Event) -> Void)?

    /// A reader of `terminal`'s keys; `start` begins reading.
    public init(terminal: Terminal) { self.terminal = terminal }

    /// Starts the reader thread.
    public func start(_ emit: @escaping @Sendable (Event) -> Void) {
        self.emit = emit
        let thread = Thread { [self] in self.loop() }
        thread.name = "atoms-tui.keys"
        thread.start()
    }

    /// Parks the reader and returns once it no longer touches the terminal.
    public func pause() {
        condition.lock()
        defer { condition.unlock() }
        guard state == .running else { return }
        state = .pauseRequested
        TerminalSignals.wake()
        while state == .pauseRequested { condition.wait() }
    }

    /// Lets a paused reader read again.
    public func resume() {
        condition.lock()
        defer { condition.unlock() }
        guard state == .paused || state == .pauseRequested else { return }
        state = .running
        condition.broadcast()
    }

    /// Ends the reader (it leaves `poll` at once and is not restarted).
    public func stop() {
        condition.lock()
        state = .stopped
        condition.broadcast()
        condition.unlock()
        TerminalSignals.wake()
    }

    private func loop() {
        let wakeFd = TerminalSignals.wakeRead.load(ordering: .sequentiallyConsistent)
        while true {
            condition.lock()
            if state == .pauseRequested { state = .paused; condition.broadcast() }
            while state == .paused { condition.wait() }
            let stopped = state == .stopped
            condition.unlock()
            if stopped { return }

            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFd, events: Int16(POLLIN), revents: 0)]
            let rc = poll(&fds, wakeFd >= 0 ? 2 : 1, -1)
            if rc < 0 {
                if errno == EINTR { continue }
                return
            }
            var events: [Event] = []
            if wakeFd >= 0, fds[1].revents != 0 {
                TerminalSignals.drainWake()
                events.append(.wake)
            }
            if TerminalSignals.resizePending.exchange(false, ordering: .sequentiallyConsistent) {
                terminal.applyResize()
                events.append(.key(.resize))
            }
            if fds[0].revents & Int16(POLLIN) != 0 {
                events += terminal.readAvailableKeys().map { Event.key($0) }
            } else if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal is gone: SIGHUP follows (or has come); stop reading instead of spinning.
                events.append(.wake)
                events.forEach { emit?($0) }
                condition.lock()
                if state != .stopped { state = .paused }
                condition.unlock()
                continue
            }
            events.forEach { emit?($0) }
        }
    }
}
