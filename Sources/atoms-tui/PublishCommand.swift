import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui publish AGENT DRAFT --label L [--wait] [--activate]`
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a draft as a new (inactive) version; optionally wait for its security check and activate it.",
        discussion: """
        Before publishing, the draft is reviewed three ways (its base version, the draft, the active version): when \
        publishing would undo changes made on the live side since the draft's base (a newer version changed fields the \
        draft still holds at their old values), it refuses with exit code 2 and lists those fields with the versions that \
        introduced them. Rebase first (`atoms-tui drafts rebase AGENT DRAFT`), or pass --allow-revert.
        Exit codes: 0 done · 1 API error · 2 usage, or refused: would revert live changes (no --allow-revert) · \
        3 security check failed · 4 timed out waiting.
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Argument(help: "Draft id or name.") var draft: String
    @Option(help: "Version label (required, ≤ 200 characters).") var label: String
    @Option(help: "Version description (≤ 2000 characters).") var description: String?
    @Flag(help: "Wait for the security check to finish.") var wait = false
    @Flag(help: "Activate once the check passes (implies --wait).") var activate = false
    @Option(help: "Give up waiting after this many seconds.") var timeout: Double = 120
    @Flag(name: .customLong("allow-revert"), help: "Publish even when it undoes changes made on the live side since the draft's base.") var allowRevert = false

    func validate() throws {
        if label.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--label must not be empty") }
        try UsageRule.publishText(label: label.trimmingCharacters(in: .whitespacesAndNewlines), description: description)
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
        let d = try await resolver.draft(agentId: a.id, draft)
        let lifecycle = Lifecycle(client: client)
        if let review = try await RevertGuard.review(allowRevert: allowRevert, {
            try await ThreeWayReviewer(client: client).reviewDraft(agentId: a.id, draftId: d.draftId ?? d.id)
        }) {
            try RevertGuard.check(review, allowRevert: allowRevert, hint: "Rebase onto what is live with `atoms-tui drafts rebase \(a.id) \(d.draftId ?? d.id)`")
        }
        let version = try await lifecycle.publish(agentId: a.id, draftId: d.draftId ?? d.id, label: label, description: description)
        CLIOutput.stderr("Published \(version.displayNumber) \(CLIText.quoted(version.label ?? "")) (inactive; security check \(version.securityCheck?.status.rawValue ?? "none"))")
        guard wait || activate else {
            if output.json { CLIOutput.json(version) } else { CLIOutput.stdout("\(version.displayNumber) \(version.id)\n") }
            return
        }
        let paths = AppPaths()
        let history = CheckDurationHistory(stateDirectory: paths.state,
                                           accountKey: CheckDurationHistory.accountFingerprint(baseURL: client.configuration.baseURL, apiKey: client.configuration.apiKey))
        let expected = history.expected()
        let progress = ProgressLine(enabled: CLIOutput.isTerminal(2))
        var final: CheckProgress?
        var lastPollFailure: String?
        for try await p in lifecycle.watchCheck(agentId: a.id, version: version, expected: expected, timeout: timeout) {
            progress.show(p)
            final = p
            // The last poll's failure, cleared by a poll that got an answer.
            if let e = p.transientError { lastPollFailure = e } else if p.phase == .checking { lastPollFailure = nil }
        }
        progress.finish()
        guard let result = final else { throw CLIFailure(code: CLIFailure.apiError, message: "the watch ended without a result") }
        switch result.phase {
        case .passed:
            if result.elapsed > 0.5 { history.record(result.elapsed) }
            CLIOutput.stderr("Security check passed after \(String(format: "%.1f", result.elapsed)) s (\(CLIText.count(result.requests, "poll")))")
        case .failed:
            if result.elapsed > 0.5 { history.record(result.elapsed) }
            throw CLIFailure(code: CLIFailure.checkFailed,
                             message: "\(version.displayNumber) failed its security check: \(Sanitizer.sanitize(CheckReason.text(result.reason))); it stays inactive. Fork a fix-draft with `atoms-tui drafts fork \(a.id) --from-version \(version.id)`")
        case .timedOut:
            if let unreachable = result.transientError ?? lastPollFailure {
                throw CLIFailure(code: CLIFailure.timedOut,
                                 message: "could not follow the security check of \(version.displayNumber) for \(Int(timeout)) s: the last poll failed (\(unreachable)); it stays published and inactive. Activate later with `atoms-tui versions activate \(a.id) \(version.id)`")
            }
            throw CLIFailure(code: CLIFailure.timedOut,
                             message: "the security check of \(version.displayNumber) was still \(result.status.rawValue) after \(Int(timeout)) s; it stays published and inactive. Activate later with `atoms-tui versions activate \(a.id) \(version.id)`")
        case .checking:
            throw CLIFailure(code: CLIFailure.apiError, message: "the watch ended while the check was still running")
        }
        if activate {
            let outcome = try await lifecycle.activate(agentId: a.id, versionId: version.id)
            CLIOutput.stderr("Activated \(version.displayNumber) of \(CLIText.quoted(a.name)) · verified")
            if output.json { CLIOutput.json(outcome.version) } else { CLIOutput.stdout("\(version.displayNumber) \(version.id) active\n") }
        } else {
            if output.json { CLIOutput.json(result.version ?? version) } else { CLIOutput.stdout("\(version.displayNumber) \(version.id) passed\n") }
        }
    }
}

/// The `--wait` indicator: a redrawn one-line bar on a terminal, plain status lines otherwise.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    var lastStatus: String?

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: CheckProgress) {
        if enabled {
            let width = 24
            let over = p.elapsed > p.expected
            let frac = min(1, p.elapsed / max(0.1, p.expected))
            let bar: String
            if over || p.phase != .checking {
                bar = p.phase == .checking ? String(repeating: "▒", count: width) : String(repeating: "█", count: width)
            } else {
                let filled = Int(frac * Double(width))
                bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            }
            let note = over && p.phase == .checking ? " taking longer than usual" : ""
            let text = String(format: "\r\u{1B}[2K[%@] %.1fs / ~%.0fs  %@%@", bar, p.elapsed, p.expected, p.status.rawValue, note)
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            let line = "Security check: \(p.status.rawValue)" + (p.transientError.map { " (retrying: \($0))" } ?? "")
            if line != lastStatus || p.phase != .checking {
                CLIOutput.stderr(line + String(format: " at %.1fs", p.elapsed))
                lastStatus = line
            }
        }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}

/// `atoms-tui rollback AGENT VERSION`
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Activate an older version again (checks and verification as for activate).",
        discussion: "Says \"rolled back\" only when the version is older than the active one; the active version itself is reported as already active (exit 0, nothing sent).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Argument(help: "Version id or vN.") var version: String

    func run() async throws {
        let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
        let v = try await resolver.version(agentId: a.id, version)
        try await Activation.run(client, agent: a, target: v, json: false)
    }
}
