import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import TUICore

/// `atoms-tui drafts …`
struct DraftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts", abstract: "Drafts: list, show, fork, rename, discard, diff, patch, edit, rebase (v1); put, publish, and --branch on show/discard/edit/diff --three-way/rebase (v2).",
        subcommands: [List.self, Show.self, Fork.self, Rename.self, Discard.self, Diff.self, Patch.self, DraftsEditCommand.self,
                      DraftsRebaseCommand.self, BranchDraftPut.self, BranchDraftPublish.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an agent's drafts.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String

        func run() async throws {
            let client = try connection.makeClient(for: .v1)
            let a = try await Resolver(client: client).agent(agent)
            let drafts = try await client.listDrafts(a.id)
            if output.json { CLIOutput.json(drafts); return }
            let now = Date()
            // The source as `v3` (one read of the version list); a source draft by its name.
            let numbers = drafts.contains { $0.sourceVersionId != nil }
                ? ((try? await VersionLabels(client: client).versionNumbers(agentId: a.id)) ?? [:]) : [:]
            let draftNames = Dictionary(drafts.compactMap { d in d.draftId.map { ($0, d.draftName ?? $0) } }, uniquingKeysWith: { a, _ in a })
            func source(_ d: AgentVersion) -> String {
                guard let id = d.sourceVersionId else { return "-" }
                if let n = numbers[id] { return n }
                if let name = draftNames[id] { return "draft \"\(name)\"" }
                return String(id.suffix(6))
            }
            CLIOutput.table(["NAME", "REV", "SOURCE", "LAST EDITOR", "AGE", "DRAFT ID"], drafts.map { d in
                [d.draftName ?? "", d.draftRevision.map { "r\($0)" } ?? "", source(d),
                 d.lastEditorName ?? "", RelativeAge.format(iso: d.updatedAt ?? d.createdAt, now: now), d.draftId ?? d.id]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a draft's config (request field names) and edit history.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Draft id or name (v1).") var draft: String?
        @Option(help: "v2: show the open draft of this branch (id or name).") var branch: String?
        @Option(help: "Config format: yaml or json.") var format: String = "yaml"

        func validate() throws { try BranchDraftOption.validate(draft: draft, branch: branch) }

        func run() async throws {
            if let branch { return try await BranchDraftShow.run(connection, output, agent: agent, branch: branch, format: format) }
            let draft = self.draft ?? ""
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let d = try await resolver.draft(agentId: a.id, draft)
            let handle = d.draftId ?? d.id
            let detail = try await client.getDraft(a.id, handle)
            let doc = try await Lifecycle(client: client).draftDocument(agentId: a.id, draftId: handle).document
            if output.json {
                CLIOutput.json(["draft": try JSONValue.encoding(detail), "config": .object(doc)])
                return
            }
            CLIOutput.stdout("\(Sanitizer.sanitize(d.draftName ?? handle))  rev \(detail.latest.draftRevision ?? 0)  (\(CLIText.count(detail.editCount, "edit")))\n")
            for h in detail.editHistory.prefix(5) {
                CLIOutput.stdout("  r\(h.revision) \(Sanitizer.sanitize(h.editorName ?? "?")) \(h.changedSections.joined(separator: ","))\n")
            }
            CLIOutput.stdout("\n")
            let text = ConfigDocumentCodec.render(doc, format: format == "json" ? .json : .yaml)
            CLIOutput.stdout(Sanitizer.sanitizeLines(text).joined(separator: "\n") + "\n")
        }
    }

    struct Fork: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fork a new draft (default: from the active version).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Option(name: .customLong("from-version"), help: "Source version (id, vN, active, latest).") var fromVersion: String?
        @Option(name: .customLong("from-draft"), help: "Source draft (id or name).") var fromDraft: String?
        @Option(help: "Name of the new draft (1–100 characters; unique among the agent's drafts, ignoring case and accents).") var name: String?

        func validate() throws {
            if fromVersion != nil && fromDraft != nil { throw ValidationError("Give --from-version or --from-draft, not both") }
            if let name { try DraftNameRule.check(name) }
        }

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let source: ForkSource
            if let fd = fromDraft {
                let d = try await resolver.draft(agentId: a.id, fd)
                source = .draft(d.draftId ?? d.id)
            } else {
                source = .version(try await resolver.version(agentId: a.id, fromVersion ?? "active").id)
            }
            // Two drafts with one name could not both be named on the command line: refused before sending.
            if let name { try await resolver.checkDraftNameFree(agentId: a.id, name) }
            let d = try await Lifecycle(client: client).fork(agentId: a.id, from: source, name: name)
            if output.json { CLIOutput.json(d); return }
            CLIOutput.stdout("Forked draft \(CLIText.quoted(d.draftName ?? "")) (\(d.draftId ?? d.id))\n")
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a draft.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Draft id or name.") var draft: String
        @Argument(help: "New name (1–100 characters; unique among the agent's drafts, ignoring case and accents).") var name: String

        func validate() throws { try DraftNameRule.check(name) }

        func run() async throws {
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let d = try await resolver.draft(agentId: a.id, draft)
            if d.draftName == name {
                CLIOutput.stdout("Already named \(CLIText.quoted(name)); nothing was sent\n")
                return
            }
            try await resolver.checkDraftNameFree(agentId: a.id, name, except: d.draftId ?? d.id)
            let r = try await client.renameDraft(a.id, d.draftId ?? d.id, to: name)
            CLIOutput.stdout("Renamed to \(CLIText.quoted(r.draftName))\n")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Discard a draft (v1), or a branch's open draft (v2, --branch).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Draft id or name (v1).") var draft: String?
        @Option(help: "v2: discard the open draft of this branch (id or name).") var branch: String?

        func validate() throws { try BranchDraftOption.validate(draft: draft, branch: branch) }

        func run() async throws {
            if let branch {
                let (client, resolver, a) = try await connection.agentContext(agent, for: .v2)
                let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
                _ = try await client.discardBranchDraft(a.id, b.id)
                CLIOutput.stdout("Discarded the draft of \(CLIText.quoted(b.branch.name)); its head stays \(b.headRevisionNumber.map { "r\($0)" } ?? "-")\n")
                return
            }
            let draft = self.draft ?? ""
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let d = try await resolver.draft(agentId: a.id, draft)
            try await client.discardDraft(a.id, d.draftId ?? d.id)
            CLIOutput.stdout("Discarded \(CLIText.quoted(d.draftName ?? ""))\n")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Diff a draft against its source version (or --against a version); --three-way: against its base and what is live.",
            discussion: """
            --three-way classifies every changed field: yours (only the draft changed it), reverted (changed on the live side \
            since the draft's base — publishing would undo it; the versions/revisions that introduced it are named), changed \
            alike on both sides, and conflicts (changed differently on both sides). v2: `drafts diff AGENT --branch B --three-way`.
            """)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Draft id or name (v1).") var draft: String?
        @Option(help: "Compare against this version (id, vN, active, latest).") var against: String?
        @Flag(name: .customLong("three-way"), help: "Three-way review: the draft vs its base vs what is live.") var threeWay = false
        @Option(help: "v2: the open draft of this branch (id or name); needs --three-way.") var branch: String?

        func validate() throws {
            try BranchDraftOption.validate(draft: draft, branch: branch)
            if branch != nil && !threeWay { throw ValidationError("--branch needs --three-way (for a two-way v2 diff use `atoms-tui diff`)") }
            if threeWay && against != nil { throw ValidationError("--three-way compares with the draft's base and what is live; drop --against") }
        }

        func run() async throws {
            if threeWay {
                let (client, resolver, a) = try await connection.agentContext(agent, for: branch == nil ? .v1 : .v2)
                let review: ThreeWayReview
                if let branch {
                    let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
                    review = try await ThreeWayReviewer(client: client).reviewBranchDraft(agentId: a.id, branchId: b.id)
                } else {
                    let d = try await resolver.draft(agentId: a.id, draft ?? "")
                    review = try await ThreeWayReviewer(client: client).reviewDraft(agentId: a.id, draftId: d.draftId ?? d.id)
                }
                if output.json { CLIOutput.json(review); return }
                ThreeWayPrinter.print(review)
                return
            }
            let draft = self.draft ?? ""
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let d = try await resolver.draft(agentId: a.id, draft)
            let base: AgentVersion
            if let against { base = try await resolver.version(agentId: a.id, against) } else if let src = d.sourceVersionId {
                base = try await client.getVersion(a.id, src).version
            } else {
                base = try await resolver.version(agentId: a.id, "active")
            }
            let result = try await Lifecycle(client: client).diff(agentId: a.id, from: .version(base.id), to: .draft(d.draftId ?? d.id))
            if output.json { CLIOutput.json(result.diff); return }
            DiffPrinter.print(result.diff, title: "\(base.displayNumber) → draft \(CLIText.quoted(d.draftName ?? ""))")
        }
    }

    struct Patch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a YAML/JSON file of config fields to a draft; verified by reading back.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Agent id or name.") var agent: String
        @Argument(help: "Draft id or name.") var draft: String
        @Option(help: "The YAML or JSON file with the fields to change.") var file: String

        func run() async throws {
            let patch = try DocumentFile.read(file)
            let issues = ConfigValidator.validate(patch)
            if !issues.isEmpty {
                throw CLIFailure(code: CLIFailure.usage, message: "\(file) is not valid; nothing was sent:\n" + issues.map { "  \($0)" }.joined(separator: "\n"))
            }
            if patch.isEmpty { throw CLIFailure(code: CLIFailure.usage, message: "\(file) has no fields; nothing was sent") }
            let (client, resolver, a) = try await connection.agentContext(agent, for: .v1)
            let d = try await resolver.draft(agentId: a.id, draft)
            let outcome = try await Lifecycle(client: client).patchDraft(agentId: a.id, draftId: d.draftId ?? d.id, patch: patch)
            if output.json {
                CLIOutput.json(["revision": outcome.revision.map { JSONValue.number(Double($0)) } ?? .null, "verified": .bool(outcome.verified),
                                "notPersisted": .array(outcome.notPersisted.map(JSONValue.string))] as [String: JSONValue])
            } else if outcome.verified {
                CLIOutput.stdout("Saved · rev \(outcome.revision ?? 0) · verified (\(outcome.sentFields.joined(separator: ", ")))\n")
            } else {
                CLIOutput.stdout("Saved · rev \(outcome.revision ?? 0) · NOT verified: \(outcome.notPersisted.joined(separator: ", ")) \(Visibility.notVisibleYet)\n")
            }
            if !outcome.verified { throw CLIFailure(code: CLIFailure.apiError, message: "Fields \(Visibility.notVisibleYet): \(outcome.notPersisted.joined(separator: ", "))") }
        }
    }
}

extension JSONValue {
    /// Any Encodable as a JSONValue.
    static func encoding<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}

/// Draft names judged before anything is sent.
enum DraftNameRule {
    static func check(_ name: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw ValidationError("The draft name is empty; nothing was sent") }
        if name.count > 100 { throw ValidationError("The draft name has \(name.count) characters; the limit is 100. Nothing was sent") }
    }
}
