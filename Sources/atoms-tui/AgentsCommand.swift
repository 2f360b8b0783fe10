import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui agents …`
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List, show, create, archive and unarchive agents.",
        subcommands: [List.self, Get.self, Create.self, Archive.self, Unarchive.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents (newest first).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Filter by name (server-side search).") var search: String?
        @Flag(help: "Only archived agents.") var archived = false
        @Option(help: "Page number (1-based).") var page = 1
        @Option(help: "Page size (1–100).") var limit = 50
        @Flag(help: "Fetch every page.") var all = false

        func validate() throws {
            if !(1...100).contains(limit) { throw ValidationError("--limit takes 1 to 100; nothing was sent") }
            if page < 1 { throw ValidationError("--page starts at 1; nothing was sent") }
            if let search, search.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--search is empty; nothing was sent") }
        }

        func run() async throws {
            let client = try connection.makeClient()
            var agents: [Agent] = []
            var p = page
            var last: AgentList
            repeat {
                last = try await client.listAgents(AgentListQuery(page: p, pageSize: limit, search: search, archived: archived))
                agents += last.agents
                p += 1
            } while all && last.hasMore == true && !last.agents.isEmpty
            if output.json {
                CLIOutput.json(AgentList(agents: agents, total: last.count, totalPages: last.totalPages ?? 1, hasMore: all ? false : (last.hasMore ?? false)))
                return
            }
            let now = Date()
            // `v12` (`r4` on a v2 account) instead of the version id; the id when it cannot be read.
            let labels = await VersionLabels(client: client).activeVersions(of: agents)
            CLIOutput.table(["ID", "NAME", "TYPE", "ACTIVE VERSION", "UPDATED"], agents.map { a in
                [a.id, a.name, a.workflowType ?? "", labels[a.id] ?? a.activeVersionId ?? "-", RelativeAge.format(iso: a.updatedAt ?? a.createdAt, now: now)]
            })
            if !all && last.hasMore == true { CLIOutput.stderr("(more: --page \(page + 1), or --all; \(CLIText.count(last.count, "agent")) in total)") }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an agent and its active (or a draft's / version's) config.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Option(help: "Resolve the config from this draft (id or name).") var draft: String?
        @Option(help: "Resolve the config from this version (id, vN, active, latest).") var version: String?

        func run() async throws {
            let client = try connection.makeClient()
            let resolver = Resolver(client: client)
            let a = try await resolver.agent(agent)
            let draftId = try await draft.asyncMap { try await resolver.draft(agentId: a.id, $0).draftId }
            let versionId = try await version.asyncMap { try await resolver.version(agentId: a.id, $0).id }
            let full = try await client.getAgent(a.id, draftId: draftId ?? nil, versionId: versionId)
            if output.json { CLIOutput.json(full); return }
            CLIOutput.stdout("""
            \(Sanitizer.sanitize(full.name))  (\(full.id))
            type: \(full.workflowType ?? "?")   active version: \(full.activeVersionId ?? "none")   archived: \(full.archived)
            config source: \(full.configSource ?? "active")

            """)
            let doc = ConfigMapping.requestDocument(fromResolved: full.resolvedConfig ?? [:])
            CLIOutput.stdout(Sanitizer.sanitizeLines(ConfigYAML.render(doc)).joined(separator: "\n") + "\n")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an agent (versioned; v1 is published and active).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The agent's name.") var name: String
        @Option(help: "A YAML or JSON file with CreateAgentRequest fields.") var file: String?

        func validate() throws {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { throw ValidationError("The agent name is empty; nothing was sent") }
        }

        func run() async throws {
            var body: ConfigDocument = [:]
            if let file { body = try DocumentFile.read(file) }
            body["name"] = .string(name)
            if let lang = body["language"]?.objectValue, lang["switching"] == nil {
                throw CLIFailure(code: CLIFailure.usage, message: "the \"language\" field needs a \"switching\" object: add `switching: {isEnabled: false}` under language (the API answers 400 \"Invalid Input: Required\" without it); nothing was sent")
            }
            let client = try connection.makeClient()
            let id = try await client.createAgent(body)
            if output.json { CLIOutput.json(["id": id]) } else { CLIOutput.stdout("Created agent \(id)\n") }
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive an agent (DELETE /agent/{id}/archive).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        func run() async throws {
            let client = try connection.makeClient()
            let a = try await Resolver(client: client).agent(agent)
            CLIOutput.stdout(try await client.archiveAgent(a.id).message + "\n")
        }
    }

    struct Unarchive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unarchive an agent (…/archive?on=false).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id (archived agents are not found by name search).") var agent: String
        func run() async throws {
            let client = try connection.makeClient()
            guard ObjectID.isValid(agent) else {
                throw CLIFailure(code: CLIFailure.usage, message: "Give the archived agent's id (see `agents list --archived`)")
            }
            CLIOutput.stdout(try await client.unarchiveAgent(agent).message + "\n")
        }
    }
}

extension Optional {
    func asyncMap<U>(_ f: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self {
        case .some(let w): return try await f(w)
        case .none: return nil
        }
    }
}

/// Reads a YAML or JSON config file and validates it; errors name the file, line and column.
enum DocumentFile {
    static func read(_ path: String) throws -> ConfigDocument {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIFailure(code: CLIFailure.usage, message: "Cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try ConfigDocumentCodec.parse(text, format: DocumentFormat.guess(path: path))
        } catch let e as AtomsError {
            throw CLIFailure(code: CLIFailure.usage, message: "\(path): \(e.serverErrors.joined(separator: "; ")); nothing was sent")
        }
    }
}
