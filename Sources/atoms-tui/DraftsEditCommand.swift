import ArgumentParser
import AtomsClient
import AtomsModels
import Foundation
import Runtime
import TUICore

/// `atoms-tui drafts edit AGENT DRAFT`: the kubectl-edit flow, shared with `e` in the TUI.
struct DraftsEditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit a draft's config in $VISUAL/$EDITOR (validated, minimal patch, conflict-checked, verified).",
        discussion: """
        The file opens with a header: YAML as # comment lines, JSON as a reserved first key "// atoms-tui" (JSON has no \
        comments; the key is removed before validation and never sent). Syntax errors name lines of the file as it \
        reopens. Exit codes: 0 saved or cancelled · 1 API error · 2 usage · 5 the editor failed to start or exited non-zero \
        (nothing was sent).
        """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Agent id or name.") var agent: String
    @Argument(help: "Draft id or name (v1).") var draft: String?
    @Option(help: "v2: edit this branch's draft (opened from the head when none is open); saved with expectedRevision.") var branch: String?
    @Option(help: "Document format: yaml or json. Without it: editFormat in config.yaml, else yaml.") var format: String?
    @Flag(name: .customLong("no-resume"), help: "Ignore a recovery file from an earlier failed save.") var noResume = false

    func validate() throws { try BranchDraftOption.validate(draft: draft, branch: branch) }

    func run() async throws {
        let client = try connection.makeClient(for: branch == nil ? .v1 : .v2)
        let resolver = Resolver(client: client)
        let a = try await resolver.agent(agent)
        let paths = AppPaths()
        let configured = (try? ConfigFile.load(from: paths.config.appendingPathComponent("config.yaml")))?.editFormat
        guard let fmt = DocumentFormat(rawValue: (format ?? configured ?? "yaml").lowercased()) else {
            throw CLIFailure(code: CLIFailure.usage, message: "--format takes yaml or json")
        }
        let flow = DraftEditFlow(lifecycle: Lifecycle(client: client), recovery: RecoveryStore(stateDirectory: paths.state))
        var session: DraftEditSession
        let handle: String
        if let branch {
            let b = try await V2Call.run(connection, client) { try await resolver.branch(agentId: a.id, branch) }
            handle = DraftEditFlow.recoveryKey(branchId: b.id)
            if let saved = flow.hasRecovery(agentId: a.id, draftId: handle), !noResume {
                CLIOutput.stderr("Resuming from \(saved.path) (an earlier edit of this draft that was not saved; --no-resume to start fresh).")
            }
            session = try await flow.begin(agentId: a.id, branchId: b.id, agentName: a.name, branchName: b.branch.name, format: fmt, resume: !noResume)
        } else {
            let d = try await resolver.draft(agentId: a.id, draft ?? "")
            handle = d.draftId ?? d.id
            if let saved = flow.hasRecovery(agentId: a.id, draftId: handle), !noResume {
                CLIOutput.stderr("Resuming from \(saved.path) (an earlier edit of this draft that was not saved; --no-resume to start fresh).")
            }
            session = try await flow.begin(agentId: a.id, draftId: handle, agentName: a.name, draftName: d.draftName ?? handle,
                                           format: fmt, resume: !noResume)
        }
        let editor = ExternalEditor()
        // SIGTERM/SIGHUP while the editor is open: the text goes to the recovery file, temp files are removed.
        ExitRecovery.exitOnTerminationSignals()
        while true {
            let keep = session.carriesChanges, ids = (session.agentId, session.draftId), format = session.format
            let recovery = flow.recovery
            switch flow.editRounds(&session, runEditor: { file in
                ExitRecovery.arm(ExitRecovery.Armed(file: file, before: (try? String(contentsOf: file, encoding: .utf8)) ?? "",
                                                    alwaysKeep: keep, store: recovery, agentId: ids.0, draftId: ids.1, format: format))
                defer { ExitRecovery.disarm() }
                return editor.edit(file)
            }) {
            case .cancelled(let why):
                CLIOutput.stderr(CLIText.sentence(why))
                return
            case .editorFailed(let why):
                throw CLIFailure(code: CLIFailure.editorFailed, message: CLIText.sentence(why))
            case .ready(let patch, _):
                CLIOutput.stderr("Sending \(patch.keys.sorted().joined(separator: ", "))…")
                var overwrite = false
                while true {
                    switch await flow.save(session, patch: patch, overwrite: overwrite) {
                    case .saved(let outcome):
                        if outcome.verified {
                            CLIOutput.stdout("Saved · rev \(outcome.revision ?? 0) · verified\n")
                            return
                        }
                        throw CLIFailure(code: CLIFailure.apiError,
                                         message: "Saved · rev \(outcome.revision ?? 0) · NOT verified: \(outcome.notPersisted.joined(separator: ", ")) \(Visibility.notVisibleYet); your text is kept in the recovery file")
                    case .failed(let message, let file, _):
                        throw CLIFailure(code: CLIFailure.apiError,
                                         message: "\(message); nothing was lost: your edit is in \(file?.path ?? "(could not write a recovery file)") and the next edit of this draft offers it")
                    case .conflict(let fields, let theirs, let mine, let latest, let rev):
                        CLIOutput.stderr("Someone else changed \(fields.joined(separator: ", ")) since you started (now revision \(rev.map(String.init) ?? "?")):")
                        for f in fields {
                            CLIOutput.stderr("  \(f)\n    theirs: \(Sanitizer.sanitize(theirs[f].map { $0.stringValue ?? $0.description } ?? "(none)", maxCharacters: 200))\n    yours:  \(Sanitizer.sanitize(mine[f].map { $0.stringValue ?? $0.description } ?? "(none)", maxCharacters: 200))")
                        }
                        switch Prompt.choose("[e]dit again (their latest with your changes on top; the fields above hold yours), [o]verwrite with yours, [c]ancel? ", options: ["e", "o", "c"]) {
                        case "o":
                            overwrite = true
                            continue
                        case "e":
                            session = flow.rebase(session, latest: latest, latestRevision: rev, fields: fields, mine: mine)
                        default:
                            let url = try? flow.recovery.save(session.text, agentId: a.id, draftId: handle, format: session.format)
                            CLIOutput.stderr("Cancelled; nothing sent. Your text is kept in \(url?.path ?? "?").")
                            return
                        }
                    }
                    break
                }
            }
        }
    }
}

/// Asks a one-letter question on the terminal (or stdin when there is none).
enum Prompt {
    static func choose(_ question: String, options: [String]) -> String {
        FileHandle.standardError.write(Data(question.utf8))
        guard let line = readLine(strippingNewline: true)?.lowercased().trimmingCharacters(in: .whitespaces) else { return options.last ?? "" }
        return options.first { line.hasPrefix($0) } ?? options.last ?? ""
    }
}
