import AtomsClient
import Foundation

/// How the TUI starts: against a real account (a key) or the embedded demo simulator.
public struct TUILaunchOptions: Sendable {
    /// The API key; nil starts the demo.
    public var apiKey: String?
    /// The API base URL (ignored in the demo).
    public var baseURL: URL = URL(string: "https://api.smallest.ai/atoms/v1")!
    /// Shown in the status line.
    public var accountLabel: String = ""
    /// Disable every write.
    public var readOnly = false
    /// Seconds between background refreshes of the lists on screen (nil: `--no-watch`).
    public var watchInterval: Double? = 30
    /// Report clicks and the wheel (`--no-mouse` turns it off).
    public var mouse = true
    /// Delete the demo database first.
    public var resetDemo = false
    /// The demo simulator's security-check duration.
    public var demoScanSeconds: Double = 6
    /// Benchmarks: exit right after the first complete frame with data.
    public var exitAfterFirstFrame = false
    /// The account's request rate, when known (profile `requestsPerSecond` or `ATOMS_REQUESTS_PER_SECOND`).
    public var requestsPerSecond: Double?
    /// Debug log file, if any.
    public var logFile: String?
    /// Per-request timeout in seconds (`--request-timeout`).
    public var requestTimeout: Double = 20
    /// Overrides the demo database location (tests).
    public var demoDatabasePath: String?

    /// `--api`: force v1 or v2, or detect the account's generation (remembered per account).
    public var apiMode: APIMode = .auto
    /// The demo runs the simulator on the v2 branch model (its own database, `demo-v2.sqlite`) — the
    /// default, as the live platform serves it; false for the v1 demo.
    public var demoBranchModel = true
    /// The directory whose pulled `*.atoms.yaml` files are planned against the platform (nil: none).
    public var localConfigDir: String?

    /// Builds default options.
    public init() {}
}
