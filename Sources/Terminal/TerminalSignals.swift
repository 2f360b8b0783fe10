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

    /// Leaves curses mode if it is active (idempotent; used by every exit path).
    static func restore() {
        if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
            endwin()
        }
    }

    /// Installs: SIGINT/SIGTERM/SIGHUP → restore and `exit(128+sig)`, so `atexit` handlers run (private
    /// temp files of an edit are removed); the handler never recurses. Crash signals → restore and die by
    /// the same signal; SIGTSTP → restore, stop, and redraw on SIGCONT; `atexit` → restore.
    static func install() {
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(sig) { sig in
                if TerminalSignals.exiting.exchange(true, ordering: .sequentiallyConsistent) { _exit(128 + sig) }
                TerminalSignals.restore()
                exit(128 + sig)
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
