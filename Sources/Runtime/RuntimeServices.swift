import AtomsClient
import AtomsModels
import Foundation

/// What effects run against once the client is ready: the lifecycle operations, the shared edit
/// flow, and the account's check-duration history. Immutable services only: the state of an edit or a
/// rebase between its steps travels with the effects (`EditInProgress`, `RebaseInProgress`).
struct RuntimeServices: Sendable {
    /// The lifecycle operations (and the client under them).
    let lifecycle: Lifecycle
    /// The v2 lifecycle operations on the same client.
    let branchLifecycle: BranchLifecycle
    /// The per-account API generation memory (corrected by a migration 409).
    let detector: APIGenerationDetector
    /// The editing flow shared with `atoms-tui drafts edit`.
    let editFlow: DraftEditFlow
    /// Recent security-check durations of this account (the progress bar's estimate).
    let history: CheckDurationHistory
    /// The editor document format (`editFormat` in config.yaml, else YAML).
    let editFormat: DocumentFormat
    /// Release health: the call-log reader (with its cache) and the statistics, as `versions stats` uses them.
    let health: ReleaseHealthLoader

    /// Builds the services for a client, with files under the user's XDG directories.
    init(lifecycle: Lifecycle, paths: AppPaths = AppPaths()) {
        self.lifecycle = lifecycle
        branchLifecycle = BranchLifecycle(client: lifecycle.client)
        detector = APIGenerationDetector(stateDirectory: paths.state)
        editFlow = DraftEditFlow(lifecycle: lifecycle, recovery: RecoveryStore(stateDirectory: paths.state))
        let config = lifecycle.client.configuration
        history = CheckDurationHistory(stateDirectory: paths.state,
                                       accountKey: CheckDurationHistory.accountFingerprint(baseURL: config.baseURL, apiKey: config.apiKey))
        let configured = (try? ConfigFile.load(from: paths.config.appendingPathComponent("config.yaml")))?.editFormat
        editFormat = configured.flatMap { DocumentFormat(rawValue: $0.lowercased()) } ?? .yaml
        // A loopback API (the demo's in-process simulator, a local `sim serve`) listens on a new port each
        // run: its calls are kept for this run only. Any other account uses the file cache.
        let host = config.baseURL.host ?? ""
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        let cache = loopback ? try? CallLogCache(url: nil) : ReleaseHealthLoader.defaultCache(paths: paths)
        health = ReleaseHealthLoader(reader: CallLogReader(client: lifecycle.client, cache: cache))
    }
}
