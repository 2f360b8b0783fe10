#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import Synchronization

/// Process-wide terminal flags shared with the signal handlers (curses itself is process-wide).
enum TerminalSignals {
    /// True while curses owns the terminal (between `initscr` and `endwin`).
    static let cursesActive = Atomic<Bool>(false)
    /// Set after the process was stopped (Ctrl-Z) and continued (fg): the next read redraws.
    static let resumed = Atomic<Bool>(false)
    /// Handlers are installed once per process.
    static let installed = Atomic<Bool>(false)
    /// Set by the first terminating signal: a second one (or one raised while `exit` runs the atexit
    /// handlers) ends the process at once instead of running the handlers again.
    static let exiting = Atomic<Bool>(false)
    /// True while a child (the editor) owns the terminal and the main thread waits for it.
    static let childRunning = Atomic<Bool>(false)
    /// A terminating signal the main loop has yet to act on (0: none).
    static let pendingSignal = Atomic<Int32>(0)

    /// Leaves curses mode if it is active (idempotent; used by every exit path).
    static func restore() {
        if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
            endwin()
        }
    }

    /// Installs: SIGINT/SIGTERM/SIGHUP → the main loop ends the app with 128+sig (with the editor open:
    /// restore and `exit(128+sig)` at once, so `atexit` handlers keep the edit and remove temp files);
    /// a second signal ends the process immediately. Crash signals → restore and die by
    /// the same signal; SIGTSTP → restore, stop, and redraw on SIGCONT; `atexit` → restore.
    static func install() {
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(sig) { sig in
                // A second signal ends the process at once.
                if TerminalSignals.exiting.exchange(true, ordering: .sequentiallyConsistent) {
                    TerminalSignals.restore()
                    _exit(128 + sig)
                }
                // The editor is open: the main thread is parked in waitpid, so exit's handlers (keep the
                // edit in a recovery file, remove the private temp files) can run from here.
                if TerminalSignals.childRunning.load(ordering: .sequentiallyConsistent) {
                    TerminalSignals.restore()
                    exit(128 + sig)
                }
                // Otherwise the main loop, which wakes every 30 ms, restores the terminal and leaves from
                // an ordinary context (never from inside a malloc or a curses call it interrupted).
                TerminalSignals.pendingSignal.store(sig, ordering: .sequentiallyConsistent)
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
            TerminalSignals.stopProcess()
        }
        atexit {
            TerminalSignals.restore()
        }
    }

    /// Ctrl-Z: give the terminal back, stop (SIGSTOP cannot be caught or blocked), and on `fg`
    /// flag a full redraw.
    static func stopProcess() {
        let wasActive = cursesActive.load(ordering: .sequentiallyConsistent)
        if wasActive {
            def_prog_mode()
            restore()
        }
        kill(getpid(), SIGSTOP)
        // Continued (fg): the next read puts curses back and redraws everything.
        if wasActive { resumed.store(true, ordering: .sequentiallyConsistent) }
    }
}
