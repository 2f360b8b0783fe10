import AtomsModels
import AtomsSimulator
import XCTest
@testable import AtomsClient

/// The editor's papercuts (issue 14): line numbers of reopened files, valid JSON files, NOTES apart from
/// ERRORS, and a conflict's "edit again" file that holds what its words say.
final class EditPapercutTests: EditFlowTestCase {
    /// The first `line N` in the ERRORS of `text` and the text of that line.
    func reportedLine(_ text: String) -> (number: Int, line: String)? {
        guard let r = text.range(of: #"✗ line ([0-9]+)"#, options: .regularExpression) else { return nil }
        let n = Int(text[r].dropFirst(7)) ?? 0
        let lines = text.components(separatedBy: "\n")
        guard n >= 1, n <= lines.count else { return nil }
        return (n, lines[n - 1])
    }

    func testReopenedFileNamesTheLineAsThePersonSeesIt() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let f = flow(h)
        for (format, breaking, marker) in [(DocumentFormat.yaml, "s/^firstMessage:.*/firstMessage: broken: here/", "broken"),
                                           (.json, #"s/^\(  "firstMessage" *: *\).*/\1[broken,/"#, "[broken")] {
            var session = try await f.begin(agentId: agentId, draftId: draft.draftId!, agentName: "A", draftName: "d",
                                            format: format, resume: false)
            var round = 0
            var reopened: [String] = []
            _ = f.editRounds(&session) { url in
                round += 1
                reopened.append((try? String(contentsOf: url, encoding: .utf8)) ?? "")
                if round == 1 { return sed(breaking).edit(url) }
                if round == 2 { return sed("s/broken/broken /").edit(url) }   // still broken, but changed
                return .exited(1)
            }
            XCTAssertGreaterThanOrEqual(reopened.count, 2, "\(format): the editor reopens")
            let text = reopened[1]
            XCTAssertTrue(text.contains("ERRORS"), text)
            let hit = try XCTUnwrap(reportedLine(text), "\(format): an error names a line:\n\(text)")
            XCTAssertTrue(hit.line.contains(marker), "\(format): line \(hit.number) of the reopened file is \(hit.line.debugDescription), not the broken one:\n\(text)")
            if reopened.count >= 3, let again = reportedLine(reopened[2]) {
                XCTAssertTrue(again.line.contains(marker), "\(format): still right after a second round:\n\(reopened[2])")
            }
        }
    }

    func testJSONEditFileIsValidJSONAndRoundTrips() throws {
        let doc: ConfigDocument = ["firstMessage": "Say \"hi\" # not a comment", "slmModel": "electron",
                                   "synthesizer": ["speed": 1.2]]
        let text = EditDocument.make(agentName: "Zoë \"Q\"", draftName: "d", revision: 4, document: doc, format: .json,
                                     errors: ["line 3, column 2: oops"], notes: ["a note"])
        XCTAssertFalse(text.contains("\n#"), "no comment lines in JSON:\n\(text)")
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let header = try XCTUnwrap(parsed?[EditDocument.jsonHeaderKey] as? [String], text)
        XCTAssertTrue(header[0].contains("editing draft \"d\" of agent \"Zoë \\\"Q\\\"\"") || header[0].contains("Zoë \"Q\""), header[0])
        XCTAssertTrue(header.contains("NOTES:") && header.contains("  a note"), "\(header)")
        XCTAssertTrue(header.contains("  ✗ line 3, column 2: oops"), "\(header)")
        XCTAssertEqual(try ConfigDocumentCodec.parse(text, format: .json), doc, "the header key is removed; the rest round-trips")
        XCTAssertEqual(EditRules.evaluate(text: text, original: doc, format: .json), .cancelled("no changes: nothing sent"))
        XCTAssertEqual(EditDocument.headerLines(in: text, format: .json), header)
        // Rewriting the header keeps the file valid JSON and the person's body verbatim.
        let edited = text.replacingOccurrences(of: "\"electron\"", with: "\"gpt-4o\"")
        let again = EditDocument.rewriteHeader(edited, agentName: "A", draftName: "d", revision: 5, errors: ["x", "y", "z"], format: .json)
        XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(again.utf8)), again)
        guard case .patch(let patch, _) = EditRules.evaluate(text: again, original: doc, format: .json) else { return XCTFail(again) }
        XCTAssertEqual(patch, ["slmModel": "gpt-4o"])
        // An empty document still opens as valid JSON; deleting everything but the header cancels.
        let empty = EditDocument.make(agentName: "A", draftName: "d", revision: nil, document: [:], format: .json)
        XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(empty.utf8)), empty)
        XCTAssertEqual(EditRules.evaluate(text: empty, original: doc, format: .json), .cancelled("saved empty: nothing sent"))
        // A recovery file written by an older version (# header lines) still parses.
        XCTAssertEqual(try ConfigDocumentCodec.parse("# old header\n{\"slmModel\": \"electron\"}\n", format: .json), ["slmModel": "electron"])
    }

    func testNotesAreNotListedUnderErrors() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let id = draft.draftId!
        let f = flow(h)
        _ = try f.recovery.save(EditDocument.make(agentName: "A", draftName: "d", revision: 1, document: ["firstMessage": "Kept"], format: .yaml),
                                agentId: agentId, draftId: id, format: .yaml)
        var session = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: .yaml, resume: true)
        XCTAssertTrue(session.text.contains("# NOTES:") && session.text.contains("Resumed from"), session.text)
        XCTAssertFalse(session.text.contains("ERRORS"), "a resumed file has nothing to fix:\n\(session.text)")
        // A validation error keeps the note under NOTES and lists the error under ERRORS.
        var second = ""
        var round = 0
        _ = f.editRounds(&session) { url in
            round += 1
            if round == 1 { return sed("s/^firstMessage:.*/firstMessage: 42/").edit(url) }
            second = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            return .exited(1)
        }
        let notes = try XCTUnwrap(second.range(of: "# NOTES:")), errors = try XCTUnwrap(second.range(of: "# ERRORS"))
        XCTAssertTrue(second[notes.upperBound..<errors.lowerBound].contains("Resumed from"), second)
        XCTAssertFalse(second[errors.upperBound...].contains("Resumed from"), second)
        XCTAssertTrue(second[errors.upperBound...].contains("firstMessage: must be a string"), second)
    }

    func testConflictEditAgainHoldsTheirLatestWithYourChanges() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let draft = try await h.lifecycle.fork(agentId: agentId, from: .version(v1))
        let id = draft.draftId!
        let f = flow(h)
        for format in DocumentFormat.allCases {
            var session = try await f.begin(agentId: agentId, draftId: id, agentName: "A", draftName: "d", format: format, resume: false)
            let mine = "Mine \(format)", theirs = "Theirs \(format)", model = format == .yaml ? "gpt-4o" : "gpt-4.1"
            let expr = format == .yaml ? "s/^firstMessage:.*/firstMessage: \(mine)/" : #"s/^\(  "firstMessage" *: *\).*/\1"# + "\"\(mine)\",/"
            guard case .ready(let patch, _) = f.editRounds(&session, runEditor: { sed(expr).edit($0) }) else { return XCTFail("\(format)") }
            XCTAssertEqual(patch, ["firstMessage": .string(mine)])
            // Someone else changes the same field and another one meanwhile.
            _ = try await h.lifecycle.patchDraft(agentId: agentId, draftId: id, patch: ["firstMessage": .string(theirs), "slmModel": .string(model)])
            guard case .conflict(let fields, _, let mineValues, let latest, let rev) = await f.save(session, patch: patch) else {
                return XCTFail("expected a conflict (\(format))")
            }
            let again = f.rebase(session, latest: latest, latestRevision: rev, fields: fields, mine: mineValues)
            // What the dialog promises: their latest with your changes on top, the conflicting field holding yours.
            let doc = try ConfigDocumentCodec.parse(EditDocument.stripHeader(again.text, format: format), format: format)
            XCTAssertEqual(doc["slmModel"], .string(model), "their other change is in the reopened file (\(format)):\n\(again.text)")
            XCTAssertEqual(doc["firstMessage"], .string(mine), "the conflicting field holds yours (\(format))")
            let header = EditDocument.headerLines(in: again.text, format: format).joined(separator: "\n")
            XCTAssertTrue(header.contains("CONFLICT firstMessage — in this file (yours): \"\(mine)\" · theirs: \"\(theirs)\""), header)
            XCTAssertFalse(header.contains("ERRORS"), header)
            // Saving it unchanged sends only your change: their slmModel is not reverted.
            guard case .patch(let second, _) = EditRules.evaluate(text: again.text, original: again.original, format: format) else {
                return XCTFail("\(format)")
            }
            XCTAssertEqual(second, ["firstMessage": .string(mine)], "\(format)")
        }
    }

    func testSecurityCheckReasonIsNotDoubled() {
        XCTAssertEqual(CheckReason.text("Security check failed: prompt contains a secret"), "prompt contains a secret")
        XCTAssertEqual(CheckReason.text("security check failed - Security check failed: x"), "x")
        XCTAssertEqual(CheckReason.text(nil), "no reason given")
        XCTAssertEqual(CheckReason.text("matches /ignore previous/"), "matches /ignore previous/")
    }
}

/// Names typed on the command line: case- and accent-insensitive, "did you mean", unique draft names.
final class NameResolutionTests: XCTestCase {
    func testFoldingAndSuggestions() {
        XCTAssertEqual(NameMatching.fold("  Zoë Café "), "zoe cafe")
        XCTAssertEqual(NameMatching.matches("zoe", in: ["Zoë", "Zed"], name: { $0 }), ["Zoë"])
        XCTAssertEqual(NameMatching.matches("dup", in: ["Dup", "dup"], name: { $0 }).count, 2, "differing only in case: ambiguous")
        XCTAssertEqual(NameMatching.suggestions(for: "recepcionist", among: ["Receptionist", "Sales Bot", "Support"]), ["Receptionist"])
        XCTAssertEqual(NameMatching.suggestions(for: "sales", among: ["Sales Bot (EU)", "Billing"]), ["Sales Bot (EU)"])
        XCTAssertEqual(NameMatching.suggestions(for: "qqqqqq", among: ["Receptionist"]), [])
    }

    func testResolverFoldsNamesAndSuggestsCloseOnes() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent(name: "Zoë Front Desk")
        let r = Resolver(client: h.client)
        let found = try await r.agent("zoe front desk")
        XCTAssertEqual(found.id, agentId)
        do {
            _ = try await r.agent("Zoe Frnt Desk")
            XCTFail("no such agent")
        } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .invalidInput)
            XCTAssertTrue(e.description.contains("no agent named \"Zoe Frnt Desk\""), e.description)
            XCTAssertTrue(e.description.contains("did you mean \"Zoë Front Desk\"?"), e.description)
        }
        let d = try await h.lifecycle.fork(agentId: agentId, from: .version(v1), name: "Cañón tweak")
        let byFolded = try await r.draft(agentId: agentId, "CANON TWEAK")
        XCTAssertEqual(byFolded.draftId, d.draftId)
        do {
            _ = try await r.draft(agentId: agentId, "canon twaek")
            XCTFail("no such draft")
        } catch let e as AtomsError {
            XCTAssertTrue(e.description.contains("did you mean \"Cañón tweak\"?"), e.description)
        }
        do {
            _ = try await r.agent("   ")
            XCTFail("empty")
        } catch let e as AtomsError {
            XCTAssertEqual(e.kind, .invalidInput)
        }
    }

    func testDuplicateDraftNamesAreRefusedBeforeSending() async throws {
        let h = try await SimulatorHarness.start()
        defer { Task { await h.sim.stop() } }
        let (agentId, v1) = try await h.makeAgent()
        let d = try await h.lifecycle.fork(agentId: agentId, from: .version(v1), name: "Greeting")
        let r = Resolver(client: h.client)
        for taken in ["Greeting", "greeting", " GRÉETING "] {
            do {
                try await r.checkDraftNameFree(agentId: agentId, taken)
                XCTFail("\(taken) is taken")
            } catch let e as AtomsError {
                XCTAssertEqual(e.kind, .invalidInput)
                XCTAssertTrue(e.description.contains("a draft named \"Greeting\" already exists"), e.description)
            }
        }
        try await r.checkDraftNameFree(agentId: agentId, "greeting", except: d.draftId)   // renaming itself: fine
        try await r.checkDraftNameFree(agentId: agentId, "Farewell")
    }
}
