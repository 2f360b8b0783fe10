/// The tool's version line: what `atoms-tui --version` prints and the TUI's help overlay shows.
///
/// The one source of the version. `scripts/release.sh` rewrites the `version` line below for the release
/// build (from `git describe --tags --always --dirty`, or `ATOMS_TUI_VERSION`) and puts the file back
/// afterwards, so a plain `swift build` says `0.0.0-dev`. The spec fields name the copy of the official
/// OpenAPI spec in `spec/` the wire types and the simulator were checked against (`spec/README.md`);
/// `ToolVersionTests` fails when they drift from it.
public enum AtomsToolVersion {
    /// The release version; `0.0.0-dev` outside a release build.
    public static let version = "0.0.0-dev"

    /// The versioning API generations the client speaks (`--api v1|v2|auto`).
    public static let apiGenerations = "v1 drafts+versions, v2 branches+revisions"

    /// `info.version` of the official spec in `spec/atoms-openapi.yaml`.
    public static let specVersion = "1.0.0"

    /// Date of the upstream commit the spec copy was taken from (`spec/README.md`).
    public static let specDate = "2026-08-21"

    /// The upstream commit (smallest-ai-documentation) the spec copy was taken from.
    public static let specCommit = "bfc4ef15"

    /// One line, ASCII only, e.g. `atoms-tui 0.0.0-dev (API v1 drafts+versions, v2 branches+revisions; spec 1.0.0 of 2026-08-21)`.
    public static var line: String {
        "atoms-tui \(version) (API \(apiGenerations); spec \(specVersion) of \(specDate))"
    }
}
