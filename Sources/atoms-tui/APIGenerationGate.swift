import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation

extension ConnectionOptions {
    /// The per-account generation cache.
    var detector: APIGenerationDetector { APIGenerationDetector(stateDirectory: AppPaths().state) }

    /// A client for a command of one API generation. A v1 command on an account known to be v2
    /// (`--api v2`, or remembered from an earlier migration 409) stops before sending anything and
    /// names the v2 command that does the same thing.
    func makeClient(for generation: APIGeneration) throws -> AtomsClient {
        let client = try makeClient()
        if generation == .v1 {
            let known: APIGeneration? = apiMode == .v2 ? .v2 : (apiMode == .auto ? detector.cached(for: client) : nil)
            if known == .v2 { throw V2Equivalent.failure(for: Array(CommandLine.arguments.dropFirst())) }
        }
        return client
    }

    /// The common start of a command: a client for `generation`, a resolver on it, and the named agent.
    func agentContext(_ ref: String, for generation: APIGeneration) async throws -> (client: AtomsClient, resolver: Resolver, agent: Agent) {
        let client = try makeClient(for: generation)
        let resolver = Resolver(client: client)
        return (client, resolver, try await resolver.agent(ref))
    }
}

/// Maps a v1 command line to the v2 command that does the same thing.
enum V2Equivalent {
    /// The failure a v1 command gets on a v2 account (exit code 2).
    static func failure(for args: [String]) -> CLIFailure {
        var message = "this account uses the Atoms v2 branch model (branches + revisions); the v1 drafts/versions commands are switched off for it"
        if let s = suggestion(for: args) { message += "\n  instead: \(s)" }
        return CLIFailure(code: CLIFailure.usage, message: message)
    }

    /// The equivalent v2 command line, when there is one.
    static func suggestion(for args: [String]) -> String? {
        let positional = positionals(args)
        guard positional.count >= 1 else { return nil }
        func at(_ i: Int, _ placeholder: String) -> String { i < positional.count ? quote(positional[i]) : placeholder }
        let label = value(of: "--label", in: args).map { " --label \(quote($0))" } ?? ""
        let file = value(of: "--file", in: args).map { " --file \(quote($0))" } ?? " --file FILE"
        let wait = args.contains("--wait") || args.contains("--activate") ? " --wait" : ""
        switch (positional[0], positional.count > 1 ? positional[1] : "") {
        case ("versions", "list"): return "atoms-tui revisions list \(at(2, "AGENT")) --branch main"
        case ("versions", "show"): return "atoms-tui revisions show \(at(2, "AGENT")) \(at(3, "REVISION")) --branch main"
        case ("versions", "diff"): return "atoms-tui diff \(at(2, "AGENT")) \(at(3, "A")) \(at(4, "B"))"
        case ("versions", "stats"): return "atoms-tui revisions stats \(at(2, "AGENT"))"
        case ("versions", "activate"):
            return "atoms-tui branches live \(at(2, "AGENT")) BRANCH   (or: atoms-tui revisions restore \(at(2, "AGENT")) \(at(3, "REVISION")) --branch main)"
        case ("versions", "pin"), ("versions", "unpin"), ("versions", "label"):
            return "none: v2 revisions carry no pin or editable metadata; set the label when publishing (atoms-tui drafts publish AGENT --branch B --label L)"
        case ("rollback", _): return "atoms-tui revisions restore \(at(1, "AGENT")) \(at(2, "REVISION")) --branch main"
        case ("publish", _): return "atoms-tui drafts publish \(at(1, "AGENT")) --branch main\(label)\(wait)"
        case ("drafts", "list"): return "atoms-tui branches list \(at(2, "AGENT"))"
        case ("drafts", "show"): return "atoms-tui drafts show \(at(2, "AGENT")) --branch main"
        case ("drafts", "fork"):
            let name = value(of: "--name", in: args).map(quote) ?? "NAME"
            return "atoms-tui branches create \(at(2, "AGENT")) \(name) --from main"
        case ("drafts", "rename"): return "atoms-tui branches rename \(at(2, "AGENT")) BRANCH \(at(4, "NEW-NAME"))"
        case ("drafts", "discard"): return "atoms-tui drafts discard \(at(2, "AGENT")) --branch main"
        case ("drafts", "diff"): return "atoms-tui diff \(at(2, "AGENT")) main main:draft"
        case ("drafts", "patch"): return "atoms-tui drafts put \(at(2, "AGENT")) --branch main\(file)"
        case ("drafts", "edit"): return "atoms-tui drafts edit \(at(2, "AGENT")) --branch main"
        default: return nil
        }
    }

    /// Options that take a value (their values are not positionals).
    static let valued: Set<String> = ["--api-key", "--base-url", "--profile", "--log-file", "--request-timeout", "--api", "--label",
                                      "--description", "--timeout", "--from-version", "--from-draft", "--name", "--against", "--file",
                                      "--format", "--limit", "--skip", "--branch"]

    static func positionals(_ args: [String]) -> [String] {
        var out: [String] = []
        var skip = false
        for a in args {
            if skip { skip = false; continue }
            if a.hasPrefix("--") { if valued.contains(a) { skip = true }; continue }
            out.append(a)
        }
        return out
    }

    static func value(of option: String, in args: [String]) -> String? {
        guard let i = args.firstIndex(of: option), i + 1 < args.count else {
            return args.first { $0.hasPrefix(option + "=") }.map { String($0.dropFirst(option.count + 1)) }
        }
        return args[i + 1]
    }

    static func quote(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension ConnectionOptions {
    /// The connection options of a parsed command (every command has an `@OptionGroup` of them).
    static func find(in command: (any ParsableCommand)?) -> ConnectionOptions? {
        guard let command else { return nil }
        for child in Mirror(reflecting: command).children {
            if let group = child.value as? OptionGroup<ConnectionOptions> { return group.wrappedValue }
        }
        return nil
    }
}
