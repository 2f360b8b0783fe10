import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import Runtime

/// `atoms-tui`: the TUI by default, plus CLI subcommands and `sim serve`.
struct AtomsTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atoms-tui",
        abstract: "Version lifecycle of Smallest AI Atoms voice agents: a terminal UI and a scriptable CLI.",
        discussion: """
        With no subcommand, opens the TUI. Without an API key it runs the built-in demo simulator.

        Connection: --api-key, else SMALLEST_API_KEY, else the profile's apiKey in \
        $XDG_CONFIG_HOME/atoms-tui/config.yaml (--profile NAME). Base URL: --base-url, else \
        ATOMS_BASE_URL, else the profile's baseURL, else https://api.smallest.ai/atoms/v1.

        API generations: v1 (drafts + versions) and v2 (branches + revisions) are detected per account \
        (--api auto, remembered in $XDG_STATE_HOME/atoms-tui); force one with --api v1|v2. A v1 command on \
        a v2 account exits 2 and names the v2 command that does the same thing.

        Names: agents, drafts and branches can be named instead of given by id; names match ignoring case and \
        accents, a name two of them share is refused as ambiguous, and an unknown name gets the closest ones \
        ("did you mean …").

        Exit codes: 0 done · 1 API or network error · 2 usage error (nothing sent), or a publish / make-live \
        refused because it would revert live changes (pass --allow-revert) · 3 security check failed · \
        4 timed out · 5 the editor failed to start or exited non-zero (nothing sent) · 6 (versions stats / \
        revisions stats) the active version is significantly worse than the version that served before it.

        Configs in git: `pull` writes agents' configs to files, `plan` compares them three ways (exit 0 no changes ·
        2 changes · 1 error), `push` applies them, `promote` copies one agent between profiles.

        atoms-tui --version prints the version, the API generations it speaks and the date of the spec it was built against.
        """,
        subcommands: [AgentsCommand.self, VersionsCommand.self, DraftsCommand.self, PublishCommand.self,
                      RollbackCommand.self, BranchesCommand.self, RevisionsCommand.self, DiffCommand.self,
                      APICommand.self, PullCommand.self, PlanCommand.self, PushCommand.self,
                      PromoteCommand.self, SimCommand.self]
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Disable every write in the TUI (keys say why).")
    var readOnly = false

    @Flag(help: "Do not take the mouse (clicks focus panes and select rows, the wheel scrolls; with it on, Shift+drag selects text in most terminals).")
    var noMouse = false

    @Flag(help: "Do not refresh the lists on screen in the background (every 30 seconds otherwise, paused in dialogs and the editor).")
    var noWatch = false

    @Flag(help: "Start the demo over from the seeded data.")
    var resetDemo = false

    @Option(help: "Security-check duration of the demo simulator, in seconds.")
    var demoScanSeconds: Double = 6

    @Option(help: ArgumentHelp("The API generation of the built-in demo: v2 (branches + revisions, what the live platform serves; database demo-v2.sqlite) or v1 (drafts + versions; demo.sqlite).",
                               valueName: "v1|v2"))
    var demoApi: APIGeneration = .v2

    @Option(help: ArgumentHelp("Where pulled *.atoms.yaml files are looked for: agents whose file differs from what is live are marked (≈ drift, ~ local changes, ! conflict) and D shows the plan. Default: the current directory.",
                               valueName: "dir"))
    var configDir: String?

    @Flag(help: "Do not plan pulled *.atoms.yaml files against the platform.")
    var noConfigDir = false

    @Flag(help: .hidden)
    var demoBranchModel = false

    @Flag(help: .hidden)
    var exitAfterFirstFrame = false

    func run() async throws {
        let conn = try connection.resolve()
        var options = TUILaunchOptions()
        options.apiKey = conn.apiKey
        options.baseURL = conn.baseURL
        options.accountLabel = conn.profileName ?? conn.baseURL.host ?? "account"
        options.readOnly = readOnly
        // config.yaml's `mouse` and `watchSeconds`; the flags win.
        let settings = (try? ConfigFile.load(from: AppPaths().config.appendingPathComponent("config.yaml"))) ?? ConfigFile()
        options.mouse = !noMouse && (settings.mouse ?? true)
        options.watchInterval = noWatch ? nil : settings.watchInterval
        options.resetDemo = resetDemo
        options.demoScanSeconds = demoScanSeconds
        options.exitAfterFirstFrame = exitAfterFirstFrame
        options.apiMode = connection.apiMode
        // The demo follows --demo-api; `--api v1` without a key also means the v1 demo.
        options.demoBranchModel = demoBranchModel || (demoApi == .v2 && connection.apiMode != .v1)
        options.logFile = connection.logFile
        options.requestTimeout = connection.requestTimeout
        options.requestsPerSecond = conn.requestsPerSecond
        options.localConfigDir = noConfigDir ? nil : (configDir ?? FileManager.default.currentDirectoryPath)
        if resetDemo && conn.apiKey != nil {
            throw ValidationError("--reset-demo resets the built-in demo, which runs only without an API key (SMALLEST_API_KEY or --api-key is set); nothing was reset")
        }
        let code = await TUIApp.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}

#if os(Linux)
/// glibc's `mallopt` (malloc.h is not part of the Glibc module Swift imports).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Runs the command and maps every failure to the documented exit codes.
@main
enum Main {
    static func main() async {
        // Two malloc arenas instead of glibc's 8 per core: the TUI's threads (key reader, the cooperative pool,
        // URLSession's) each took an arena and kept its freed memory; 2 arenas keep 1.2 MiB less resident
        // browsing 1,000 agents (BENCHMARKS.md, RSS) and are as many as this program's work runs in parallel.
        #if os(Linux)
        _ = glibcMallopt(-8 /* M_ARENA_MAX, malloc.h */, 2)
        #endif
        // Not an ArgumentParser flag: a root --version would shadow `agents get --version V`.
        if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
            print(AtomsToolVersion.line)
            return
        }
        var parsedCommand: (any ParsableCommand)?
        do {
            var command = try AtomsTUI.parseAsRoot()
            parsedCommand = command
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            if !failure.message.isEmpty { CLIOutput.stderr("atoms-tui: \(CLIText.sentence(failure.message))") }
            exit(failure.code)
        } catch let error as AtomsError where error.isMigrationRequired {
            // A v1 command on a v2 account: remember the account's generation, name the v2 command.
            if let options = ConnectionOptions.find(in: parsedCommand), let client = try? options.makeClient() {
                options.detector.remember(.v2, for: client)
            }
            let failure = V2Equivalent.failure(for: Array(CommandLine.arguments.dropFirst()))
            CLIOutput.stderr("atoms-tui: \(CLIText.sentence(failure.message))")
            exit(failure.code)
        } catch let error as AtomsError {
            CLIOutput.stderr("atoms-tui: \(CLIText.sentence(error.description))")
            exit(CLIFailure.code(for: error))
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let exitCode = AtomsTUI.exitCode(for: error)
            let message = AtomsTUI.fullMessage(for: error)
            if exitCode == .success {
                print(message)
                exit(0)
            }
            CLIOutput.stderr(message)
            exit(exitCode == .validationFailure ? 2 : (exitCode.rawValue == 64 ? 2 : exitCode.rawValue))
        }
    }
}

/// A failure with its exit code and one readable line.
struct CLIFailure: Error {
    var code: Int32
    var message: String

    static let apiError: Int32 = 1
    static let usage: Int32 = 2
    static let checkFailed: Int32 = 3
    static let timedOut: Int32 = 4
    /// The editor could not start or exited non-zero (`drafts edit`, `drafts rebase --conflicts edit`): nothing was sent.
    static let editorFailed: Int32 = 5

    static func code(for error: AtomsError) -> Int32 {
        switch error.kind {
        case .invalidInput: return usage
        case .securityCheckFailed: return checkFailed
        default: return apiError
        }
    }
}

extension APIGeneration: ExpressibleByArgument {}
