import Foundation
import AtomsModels

/// Verification reads under the platform's read-after-write lag: after a write, reads of the agent,
/// its branches and revision lists can be stale for 1–3 s (and a 202's revision can be listed late).
/// A verification therefore reads again with backoff for a bounded time before concluding, and when
/// it still does not see the write it says so as "not visible yet", never "did not persist".
public enum Visibility {
    /// The words every front end shows when a write is not visible on read-back in time.
    public static let notVisibleYet = "not visible yet — the platform can take a few seconds"

    /// The waits between reads: 0.25 s doubling to 2 s.
    static func delay(_ attempt: Int) -> TimeInterval { min(2, 0.25 * pow(2, Double(attempt))) }

    /// Reads until `accept` passes or `timeout` seconds (on `clock`) have gone by; returns the last
    /// value read and whether it was accepted. Errors of `read` end the wait.
    static func poll<T>(clock: any WatchClock, timeout: TimeInterval, read: () async throws -> T,
                        accept: (T) -> Bool) async throws -> (value: T, visible: Bool) {
        let start = clock.now()
        var attempt = 0
        while true {
            let value = try await read()
            if accept(value) { return (value, true) }
            let elapsed = clock.now() - start
            if elapsed >= timeout { return (value, false) }
            try await clock.sleep(min(delay(attempt), max(0.01, timeout - elapsed)))
            attempt += 1
        }
    }
}

/// Agent kinds this tool shows but does not edit.
public enum AgentKind {
    /// True when a config document (request field names) is a `multi_agents` (Playbooks) agent's:
    /// its `workflowType` says so, or it carries the `playbooks` document.
    public static func isPlaybooks(_ doc: ConfigDocument) -> Bool {
        doc["workflowType"]?.stringValue == "multi_agents" || doc["playbooks"] != nil
    }

    /// Refuses to edit a Playbooks agent, with the reason and what to do instead.
    public static func requireEditable(_ doc: ConfigDocument) throws {
        guard isPlaybooks(doc) else { return }
        throw AtomsError(kind: .refused, serverErrors: [
            "this is a multi_agents (Playbooks) agent: its config lives in playbooks.playbooks, which atoms-tui shows and diffs but does not edit",
        ], hint: "edit its playbooks in the Smallest AI console")
    }
}
