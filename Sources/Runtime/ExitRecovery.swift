import AtomsClient
import Foundation
import Synchronization

/// Keeps the text of an edit whose editor is open when the process is told to end (SIGINT, SIGTERM
/// and SIGHUP end it with `exit`): an `atexit` handler copies the editor's file into the draft's
/// recovery file before the private temp files are removed, so the next `e` offers to resume it.
/// Process-wide like the signal handlers it serves.
enum ExitRecovery {
    /// The edit whose editor is open.
    struct Armed: Sendable {
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
    }

    private static let armed = Mutex<Armed?>(nil)
    private static let registered = Atomic<Bool>(false)

    /// Marks an editor as open on `a.file`. Registers the handler on first use — after the temp
    /// files' own handler, so it runs before that one removes the file.
    static func arm(_ a: Armed) {
        armed.withLock { $0 = a }
        if !registered.exchange(true, ordering: .sequentiallyConsistent) {
            atexit { ExitRecovery.saveIfArmed() }
        }
    }

    /// The editor closed.
    static func disarm() {
        armed.withLock { $0 = nil }
    }

    /// At exit: save the open editor's text as the draft's recovery file when it holds changes.
    static func saveIfArmed() {
        // Never wait at exit: the interrupted thread may hold the lock.
        guard let a = armed.withLockIfAvailable({ $0 }) ?? nil,
              let text = try? String(contentsOf: a.file, encoding: .utf8),
              !text.isEmpty, text != a.before || a.alwaysKeep else { return }
        _ = try? a.store.save(text, agentId: a.agentId, draftId: a.draftId, format: a.format)
    }
}
