import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui branches …` (v2)
struct BranchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branches", abstract: "v2 branches: list, create, rename, archive, live.",
        subcommands: [List.self, Create.self, Rename.self, Archive.self, Live.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an agent's branches (live marker, head revision, open draft).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String

        func run() async throws {
            let client = try connection.makeClient(for: .v2)
            let a = try await Resolver(client: client).agent(agent)
            let branches = try await V2Call.run(connection, client) { try await client.listBranches(a.id) }
            if output.json { CLIOutput.json(BranchList(branches: branches)); return }
            let now = Date()
            CLIOutput.table(["BRANCH", "LIVE", "HEAD", "REVISIONS", "DRAFT", "UPDATED", "ID"], branches.map { b in
                [b.branch.name + (b.branch.isDefault ? " (default)" : ""), b.isLive ? "●" : "",
                 b.headRevisionNumber.map { "r\($0)" } ?? "-", String(b.revisionsCount), b.hasOpenDraft ? "open" : "",
                 RelativeAge.format(iso: b.branch.updatedAt ?? b.branch.createdAt, now: now), b.id]
            })
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fork a branch at another branch's head (default: the live branch).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Name of the new branch (1–100 characters; \"main\" is reserved).") var name: String
        @Option(help: "Source branch (id, name, live).") var from: String = "live"

        func validate() throws { try BranchNameRule.check(name) }

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let b = try await V2Call.run(connection, client) {
                let source = try await resolver.branch(agentId: a.id, from)
                return try await client.createBranch(a.id, name: name, from: source.id)
            }
            if output.json { CLIOutput.json(b); return }
            CLIOutput.stdout("Created branch \(CLIText.quoted(b.name)) (\(b.id)) at \(b.headRevisionId ?? "-")\n")
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a branch (never main).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Branch id or name.") var branch: String
        @Argument(help: "New name (1–100 characters; not \"main\").") var name: String

        func validate() throws { try BranchNameRule.check(name) }

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let target = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
            try BranchesCommand.refuseManaging(target, archive: false, agent: a)
            let b = try await V2Call.run(connection, client) { try await client.renameBranch(a.id, target.id, to: name) }
            CLIOutput.stdout("Renamed to \(CLIText.quoted(b.name))\n")
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive a branch (not main, not the live one); its draft is dropped, its revisions stay readable.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Branch id or name.") var branch: String

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
            try BranchesCommand.refuseManaging(b, archive: true, agent: a)
            _ = try await client.archiveBranch(a.id, b.id)
            CLIOutput.stdout("Archived \(CLIText.quoted(b.branch.name))\n")
        }
    }

    struct Live: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a branch live: its head serves production traffic (verified by reading the agent back).",
            discussion: """
            Before switching, the branch's head is reviewed three ways against the live branch's head and their common \
            ancestor: when going live would undo changes committed on the live branch since the branch forked, it refuses \
            with exit code 2 listing the fields and the revisions that introduced them; pass --allow-revert to go live anyway. \
            Exit codes: 0 done · 1 API error · 2 usage, or refused: would revert (no --allow-revert).
            """)
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Branch id or name.") var branch: String
        @Flag(name: .customLong("allow-revert"), help: "Go live even when it undoes changes committed on the live branch since this branch forked.") var allowRevert = false

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
            let target = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
            if !target.isLive, let review = try await RevertGuard.review(allowRevert: allowRevert, {
                try await ThreeWayReviewer(client: client).reviewMakeLive(agentId: a.id, branchId: target.id)
            }) {
                try RevertGuard.check(review, operation: .makeLive(branch: target.branch.name), allowRevert: allowRevert, hint: "Bring those changes onto \"\(target.branch.name)\" first (edit and publish them there)")
            }
            let outcome = try await V2Call.run(connection, client) {
                try await BranchLifecycle(client: client).makeLive(agentId: a.id, branchId: target.id)
            }
            let head = outcome.branch.headRevisionNumber.map { "r\($0)" } ?? outcome.agent.activeVersionId ?? "?"
            CLIOutput.stdout("Branch \(CLIText.quoted(outcome.branch.branch.name)) of \(CLIText.quoted(a.name)) is live: \(head) serves traffic · verified\n")
        }
    }
}

extension BranchesCommand {
    /// Refuses (exit 2, nothing sent) renaming or archiving the default branch and archiving the live one —
    /// the rule the TUI uses (`BranchRules`), with what to do instead.
    static func refuseManaging(_ b: BranchSummary, archive: Bool, agent a: Agent) throws {
        let name = "branch \(CLIText.quoted(b.branch.name))"
        let makeLive = "`atoms-tui branches live \(a.id) OTHER-BRANCH`"
        guard let why = BranchRules.whyNotManageable(b, archive: archive, name: name, makeLiveHint: makeLive) else { return }
        var message = "\(why); nothing was sent"
        if b.branch.isDefault {
            message += archive
                ? ". It stays; to stop it serving traffic, make another branch live with \(makeLive)"
                : ". To use another name, create a branch with `atoms-tui branches create \(a.id) NAME --from \(b.id)`"
        }
        throw CLIFailure(code: CLIFailure.usage, message: message)
    }
}

/// Runs a v2 call; when the account turns out to be v1 (the v2 routes do not exist there), says so.
enum V2Call {
    static func run<T>(_ connection: ConnectionOptions, _ client: AtomsClient, _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            if connection.apiMode == .auto { connection.detector.remember(.v2, for: client) }
            return value
        } catch let e as AtomsError where e.status == 404 && e.serverErrors.first?.hasPrefix("Cannot ") == true
            || e.status == 404 && e.serverErrors.first?.contains("Branch model is not enabled") == true {
            if connection.apiMode != .v2, (try? await APIGenerationDetector.probe(client)) == .v1 {
                connection.detector.remember(.v1, for: client)
                throw CLIFailure(code: CLIFailure.usage, message: "This account uses the Atoms v1 model (drafts + versions); branches and revisions are not available. Use `atoms-tui drafts …`, `versions …` and `publish …`")
            }
            throw e
        }
    }
}

/// Branch names judged before anything is sent: not empty, at most 100 characters, and not "main"
/// (the default branch's reserved name), compared ignoring case and accents.
enum BranchNameRule {
    static func check(_ name: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw ValidationError("The branch name is empty; nothing was sent") }
        if name.count > 100 { throw ValidationError("The branch name has \(name.count) characters; the limit is 100. Nothing was sent") }
        if NameMatching.fold(trimmed) == "main" { throw ValidationError("\"main\" is reserved for the default branch; nothing was sent") }
    }
}
