import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui diff AGENT A B` (v2)
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "v2: diff two refs of an agent, section by section (A is the base).",
        discussion: "A ref is a revision id, BRANCH (its head), BRANCH:rN, BRANCH:draft, or the wire form <branchId>:draft. Sides may be on different branches.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Argument(help: "Base ref.") var a: String
    @Argument(help: "Target ref.") var b: String

    func run() async throws {
        let (client, resolver, ag) = try await connection.agentContext(agent, for: .v2)
        let diff = try await V2Call.run(connection, client) {
            let ra = try await resolver.diffRef(agentId: ag.id, a)
            let rb = try await resolver.diffRef(agentId: ag.id, b)
            return try await client.diffRefs(ag.id, ra, rb)
        }
        if output.json { CLIOutput.json(diff); return }
        DiffPrinter.print(diff, title: "\(Sanitizer.sanitize(a)) → \(Sanitizer.sanitize(b))")
    }
}

/// `atoms-tui api`: which versioning API the account is on.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Show which versioning API the account uses (v1 drafts + versions, or v2 branches + revisions).")
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Probe again instead of using the remembered answer.") var refresh = false

    func run() async throws {
        let client = try connection.makeClient()
        let detector = connection.detector
        let cached = detector.cached(for: client)
        let generation = try await detector.detect(client, mode: connection.apiMode, refresh: refresh)
        let how = connection.apiMode != .auto ? "forced with --api" : (cached != nil && !refresh ? "remembered" : "detected now")
        CLIOutput.stdout("\(generation.rawValue)  \(generation.title) · \(how)\n")
    }
}
