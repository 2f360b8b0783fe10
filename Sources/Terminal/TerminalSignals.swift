#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import Synchronization

/// Process-wide terminal flags shared with the signal handlers (curses itself is process-wide).
/// The handlers only record what happened and write one byte to a wake pipe; the key reader thread
/// wakes on it and the Runtime's loop acts in ordinary context. The exceptions are the ones no loop can
/// serve: a crash signal (restore and die by it), a second terminating signal (the loop did not get to
/// the first: restore and leave at once), and Ctrl-Z while the editor owns the terminal (stop with it).
enum TerminalSignals {
    /// True while curses owns the terminal (between `initscr` and `endwin`).
    static let cursesActive = Atomic<Bool>(false)
    /// Handlers are installed once per process.
    static let installed = Atomic<Bool>(false)
    /// True while a child (the editor) owns the terminal.
    static let childRunning = Atomic<Bool>(false)
    /// The editor's process id while it runs (0: none): terminating signals are forwarded to it.
    static let childPid = Atomic<Int32>(0)
    /// A terminating signal the main loop has yet to act on (0: none).
    static let pendingSignal = Atomic<Int32>(0)
    /// Ctrl-Z was pressed and the loop has yet to stop the process.
    static let stopRequested = Atomic<Bool>(false)
    /// The window size changed and the key reader has yet to tell curses.
    static let resizePending = Atomic<Bool>(false)
    /// The process was continued after a stop it did not ask for (`kill -STOP`/`-CONT`): repaint.
    static let continued = Atomic<Bool>(false)
    /// The wake pipe's ends (-1 before `install`). Writing a byte wakes the key reader's `poll`.
    static let wakeRead = Atomic<Int32>(-1)
    static let wakeWrite = Atomic<Int32>(-1)

    /// Leaves curses mode if it is active (idempotent; used by every exit path).
    static func restore() {
        if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
            endwin()
        }
    }

    /// Stops the process (Ctrl-Z) and returns only once it has been continued (`fg`) and the SIGCONT
    /// handler has run. A process-directed `kill(getpid(), SIGSTOP)` may be taken by another thread while
    /// this one goes on for a moment — long enough to put curses' program mode back *before* the stop, so
    /// the shell's `fg` left the terminal in line mode and keys waited for Enter. `raise` directs the stop
    /// at this thread (it stops on the way out of the call), and the wait covers a SIGCONT handled on
    /// another thread. The wait counts only time spent running (a stopped thread does not loop), at most 5 s.
    static func stopUntilContinued() {
        _ = continued.exchange(false, ordering: .sequentiallyConsistent)
        raise(SIGSTOP)
        var spins = 0
        while !continued.exchange(false, ordering: .sequentiallyConsistent) && spins < 5_000 {
            usleep(1_000)
            spins += 1
        }
    }

    /// Wakes the key reader (async-signal-safe: one `write`).
    static func wake() {
        let fd = wakeWrite.load(ordering: .sequentiallyConsistent)
        guard fd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// Empties the wake pipe (the reader, after `poll` said it is readable).
    static func drainWake() {
        let fd = wakeRead.load(ordering: .sequentiallyConsistent)
        guard fd >= 0 else { return }
        var buf = [UInt8](repeating: 0, count: 64)
        while read(fd, &buf, buf.count) > 0 {}
    }

    /// Installs the wake pipe and the handlers (once per process):
    /// - SIGINT/SIGTERM/SIGHUP: record (the loop restores and exits 128+sig); with the editor open the
    ///   signal is also forwarded to the editor, and the loop keeps its text once it has exited.
    ///   A second one while the first is pending ends the process at once.
    /// - SIGTSTP: record (the loop leaves curses and stops); with the editor open, stop with it.
    /// - SIGWINCH: record (the reader resizes curses and reports `.resize`). SIGCONT: record a repaint.
    /// - Crash signals: restore the terminal and die by the same signal. `atexit`: restore.
    static func install() {
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeRead.store(fds[0], ordering: .sequentiallyConsistent)
            wakeWrite.store(fds[1], ordering: .sequentiallyConsistent)
        }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(sig) { sig in
                if TerminalSignals.pendingSignal.load(ordering: .sequentiallyConsistent) != 0
                    && TerminalSignals.childRunning.load(ordering: .sequentiallyConsistent) == false {
                    // The loop has not acted on the first one: it is stuck; leave now.
                    TerminalSignals.restore()
                    _exit(128 + sig)
                }
                TerminalSignals.pendingSignal.store(sig, ordering: .sequentiallyConsistent)
                let child = TerminalSignals.childPid.load(ordering: .sequentiallyConsistent)
                if child > 0 { kill(child, sig) }
                TerminalSignals.wake()
            }
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            _ = signal(sig) { sig in
                TerminalSignals.restore()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        _ = signal(SIGTSTP) { _ in
            if TerminalSignals.childRunning.load(ordering: .sequentiallyConsistent) {
                // The editor stops itself on Ctrl-Z; stop with it so the shell gets the terminal back.
                raise(SIGSTOP)
                return
            }
            TerminalSignals.stopRequested.store(true, ordering: .sequentiallyConsistent)
            TerminalSignals.wake()
        }
        _ = signal(SIGWINCH) { _ in
            TerminalSignals.resizePending.store(true, ordering: .sequentiallyConsistent)
            TerminalSignals.wake()
        }
        _ = signal(SIGCONT) { _ in
            TerminalSignals.continued.store(true, ordering: .sequentiallyConsistent)
            TerminalSignals.wake()
        }
        atexit {
            TerminalSignals.restore()
        }
    }
}
