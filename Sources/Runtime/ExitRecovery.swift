import AtomsClient
import Foundation
import Synchronization

/// Keeps the text of an edit whose editor is open when the process is told to end (SIGINT, SIGTERM
/// and SIGHUP end it with `exit`): an `atexit` handler copies the editor's file into the draft's
/// recovery file before the private temp files are removed, so the next `e` offers to resume it.
/// Process-wide like the signal handlers it serves.
public enum ExitRecovery {
    /// The edit whose editor is open.
    public struct Armed: Sendable {
        /// The editor's file.
        var file: URL
        /// Its text when the editor opened.
        var before: String
        /// Keep it even unchanged (it already carries the person's changes).
        var alwaysKeep: Bool
        /// Where recovery files go.
        var store: RecoveryStore
        var agentId: String
        var draftId: String
        var format: DocumentFormat

        /// Describes the open edit.
        public init(file: URL, before: String, alwaysKeep: Bool, store: RecoveryStore, agentId: String, draftId: String,
                    format: DocumentFormat) {
            self.file = file
            self.before = before
            self.alwaysKeep = alwaysKeep
            self.store = store
            self.agentId = agentId
            self.draftId = draftId
            self.format = format
        }
    }

    private static let armed = Mutex<Armed?>(nil)
    private static let registered = Atomic<Bool>(false)

    /// Marks an editor as open on `a.file`. Registers the handler on first use — after the temp
    /// files' own handler, so it runs before that one removes the file.
    public static func arm(_ a: Armed) {
        armed.withLock { $0 = a }
        if !registered.exchange(true, ordering: .sequentiallyConsistent) {
            atexit { ExitRecovery.saveIfArmed() }
        }
    }

    /// The editor closed.
    public static func disarm() {
        armed.withLock { $0 = nil }
    }

    /// For processes without a terminal UI (the CLI's `drafts edit`): SIGTERM and SIGHUP end the
    /// process through `exit`, so the open edit is saved and the private temp files are removed.
    public static func exitOnTerminationSignals() {
        for sig in [SIGTERM, SIGHUP] {
            _ = signal(sig) { sig in exit(128 + sig) }
        }
    }

    /// Saves the open editor's text now (the TUI, after a terminating signal was forwarded to the
    /// editor and it exited) when it holds changes.
    public static func saveNow() { saveIfArmed() }

    /// At exit: save the open editor's text as the draft's recovery file when it holds changes.
    static func saveIfArmed() {
        // Never wait at exit: the interrupted thread may hold the lock.
        guard let a = armed.withLockIfAvailable({ $0 }) ?? nil,
              let text = try? String(contentsOf: a.file, encoding: .utf8),
              !text.isEmpty, text != a.before || a.alwaysKeep else { return }
        _ = try? a.store.save(text, agentId: a.agentId, draftId: a.draftId, format: a.format)
    }
}
