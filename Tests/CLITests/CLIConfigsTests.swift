import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Configs as code: `pull`, `plan`, `push` and `promote` of the built binary against `sim serve`
/// (v1 and `--branch-model on`), two simulators for promote, and Ctrl-C in the middle of a push.
final class CLIConfigsTests: XCTestCase {
    var servers: [ChildProcess] = []
    var work = ""
    let key = "cfg-secret-key-7f3a9c"

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for s in servers { s.terminate() }
        try? FileManager.default.removeItem(atPath: work)
    }

    var dir: String { work + "/configs" }

    func serve(_ extra: [String], key: String? = nil) throws -> String {
        let server = try ChildProcess.spawn(["sim", "serve", "--port", "0", "--key", key ?? self.key] + extra)
        servers.append(server)
        guard let url = server.listeningURL() else {
            XCTFail("simulator did not start: \(server.stderr)")
            return ""
        }
        return url
    }

    func spawn(_ args: [String], _ url: String?, env: [String: String] = [:]) throws -> ChildProcess {
        var e = ["XDG_STATE_HOME": work + "/state"]
        if let url { e["SMALLEST_API_KEY"] = key; e["ATOMS_BASE_URL"] = url }
        return try ChildProcess.spawn(args, environment: e.merging(env) { $1 })
    }

    func cli(_ args: [String], _ url: String?, timeout: TimeInterval = 90, env: [String: String] = [:]) throws -> CLIResult {
        let p = try spawn(args, url, env: env)
        return p.finish(timeout: timeout)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }

    /// Replaces the top-level `key:` line of a pulled file.
    func setTopLevel(_ name: String, _ field: String, _ value: String) throws {
        let text = try read(name)
        var lines = text.components(separatedBy: "\n")
        guard let i = lines.firstIndex(where: { $0.hasPrefix("\(field):") }) else { return XCTFail("no \(field) in \(name)") }
        lines[i] = "\(field): \"\(value)\""
        try lines.joined(separator: "\n").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Changes an agent on the platform with the v1 commands (fork, patch, publish, activate).
    func changeRemotelyV1(_ agent: String, _ yaml: String, _ url: String) throws {
        let file = work + "/remote-\(UUID().uuidString).yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli(["drafts", "fork", agent, "--name", "dashboard"], url).code, 0)
        XCTAssertEqual(try cli(["drafts", "patch", agent, "dashboard", "--file", file], url).code, 0)
        let pub = try cli(["publish", agent, "dashboard", "--label", "dashboard edit", "--activate", "--timeout", "30"], url)
        XCTAssertEqual(pub.code, 0, pub.stderr)
    }

    func header(_ name: String, _ key: String) throws -> String? {
        try read(name).components(separatedBy: "\n").first { $0.hasPrefix("# \(key): ") }.map { String($0.dropFirst(key.count + 4)) }
    }

    /// No file the commands wrote (the config files, the state directory) holds a key.
    func assertNoKey(in directory: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertFalse(names.isEmpty, file: file, line: line)
        var paths = names.map { directory + "/" + $0 }
        if let e = FileManager.default.enumerator(atPath: work + "/state") { paths += e.compactMap { $0 as? String }.map { work + "/state/" + $0 } }
        for p in paths {
            let text = (try? String(contentsOfFile: p, encoding: .utf8)) ?? ""
            XCTAssertFalse(text.contains(key) || text.contains("stage-key-") || text.contains("prod-key-"), "\(p) holds an API key", file: file, line: line)
        }
    }

    // MARK: v1

    func testV1PullEditPlanPushDriftConflictForceAndNewAgent() throws {
        let url = try serve(["--scan-seconds", "0.3"])
        for name in ["Alpha Desk", "東京", "Ünïcode Desk"] { XCTAssertEqual(try cli(["agents", "create", name], url).code, 0) }
        let pull = try cli(["pull", "--all", "--dir", dir], url)
        XCTAssertEqual(pull.code, 0, pull.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(names.count, 3, "\(names)")
        XCTAssertTrue(names.contains("alpha-desk.atoms.yaml") && names.contains("n-code-desk.atoms.yaml"), "\(names)")
        XCTAssertTrue(names.contains { $0.hasPrefix("agent-") }, "a name with no ASCII letters gets an id-based name: \(names)")
        XCTAssertEqual(try header("alpha-desk.atoms.yaml", "api"), "v1")
        XCTAssertEqual(try header("alpha-desk.atoms.yaml", "base-number"), "1")
        XCTAssertTrue(try header("alpha-desk.atoms.yaml", "base-hash")?.hasPrefix("sha256:") == true)
        // Re-pulling an unchanged agent rewrites nothing (same bytes, same inode mtime).
        let before = try FileManager.default.attributesOfItem(atPath: dir + "/alpha-desk.atoms.yaml")[.modificationDate] as? Date
        usleep(20_000)
        let again = try cli(["pull", "--all", "--dir", dir], url)
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("0 written, 0 updated, 3 unchanged"), again.stderr)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dir + "/alpha-desk.atoms.yaml")[.modificationDate] as? Date, before)
        XCTAssertEqual(try cli(["plan", "--dir", dir], url).code, 0)

        // pull → edit → plan (2) → push → plan (0)
        try setTopLevel("alpha-desk.atoms.yaml", "firstMessage", "Hello from git")
        let plan = try cli(["plan", "--dir", dir], url)
        XCTAssertEqual(plan.code, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("local") && plan.stdout.contains("firstMessage: \"\" → \"Hello from git\""), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("Plan: 1 to push"), plan.stdout)
        let json = try cli(["plan", "--dir", dir, "--json"], url)
        XCTAssertEqual(json.code, 2)
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let entries = obj?["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.filter { $0["status"] as? String == "changes" }.count, 1, json.stdout)
        XCTAssertEqual((obj?["summary"] as? [String: Any])?["exitCode"] as? Int, 2)
        let editedText = try read("alpha-desk.atoms.yaml")
        let overwrite = try cli(["pull", "Alpha Desk", "--dir", dir], url)
        XCTAssertEqual(overwrite.code, 1, "a file with local edits is not overwritten")
        XCTAssertTrue(overwrite.stdout.contains("skipped") && overwrite.stdout.contains("local edits"), overwrite.stdout)
        XCTAssertEqual(try read("alpha-desk.atoms.yaml"), editedText)
        let dry = try cli(["push", "--dir", dir, "--dry-run"], url)
        XCTAssertEqual(dry.code, 2)
        XCTAssertEqual(try cli(["versions", "list", "Alpha Desk", "--json"], url).stdout.components(separatedBy: "\"versionNumber\"").count - 1, 1,
                       "--dry-run sends nothing")
        let noYes = try cli(["push", "--dir", dir, "--activate"], url)
        XCTAssertEqual(noYes.code, 2, "activation needs y on a terminal or --yes")
        XCTAssertTrue(noYes.stderr.contains("--yes") && noYes.stderr.contains("nothing was sent"), noYes.stderr)
        let push = try cli(["push", "--dir", dir, "--activate", "--yes"], url)
        XCTAssertEqual(push.code, 0, push.stdout + push.stderr)
        XCTAssertTrue(push.stdout.contains("applied: Alpha Desk — v2 published and activated · verified"), push.stdout)
        XCTAssertEqual(try header("alpha-desk.atoms.yaml", "base-number"), "2")
        XCTAssertTrue(try cli(["agents", "get", "Alpha Desk"], url).stdout.contains("Hello from git"))
        let after = try cli(["plan", "--dir", dir], url)
        XCTAssertEqual(after.code, 0, after.stdout)
        XCTAssertTrue(after.stdout.contains("3 unchanged"), after.stdout)

        // Drift: changed on the platform after the pull → shown as drift (exit 0), and push keeps it.
        try changeRemotelyV1("Alpha Desk", "synthesizer:\n  speed: 0.9\nsinglePromptConfig:\n  prompt: |-\n    Line one\n    Line two\n", url)
        let drift = try cli(["plan", "--dir", dir, "alpha-desk.atoms.yaml"], url)
        XCTAssertEqual(drift.code, 0, drift.stdout)
        XCTAssertTrue(drift.stdout.contains("drift") && drift.stdout.contains("synthesizer.speed: 1.2 → 0.9"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("singlePromptConfig.prompt (text) (changed on the platform; kept):")
                      && drift.stdout.contains("        + Line two"), "multi-line text is shown as a line diff: \(drift.stdout)")
        try setTopLevel("alpha-desk.atoms.yaml", "allowInterruptions", "placeholder")
        var text = try read("alpha-desk.atoms.yaml").replacingOccurrences(of: "allowInterruptions: \"placeholder\"", with: "allowInterruptions: false")
        try text.write(toFile: dir + "/alpha-desk.atoms.yaml", atomically: true, encoding: .utf8)
        let mixed = try cli(["push", "--dir", dir, "--activate", "--yes"], url)
        XCTAssertEqual(mixed.code, 0, mixed.stdout + mixed.stderr)
        let live = try cli(["agents", "get", "Alpha Desk", "--json"], url).stdout
        XCTAssertTrue(live.contains("\"speed\" : 0.9") && live.contains("\"allowInterruptions\" : false") && live.contains("Line two"),
                      "the drift was kept: \(live)")
        XCTAssertTrue(try read("alpha-desk.atoms.yaml").contains("speed: 0.9"), "the file took the kept drift")
        XCTAssertEqual(try cli(["plan", "--dir", dir], url).code, 0)

        // Conflict: both sides changed firstMessage → push stops the agent naming the field; --force: local wins.
        try changeRemotelyV1("Alpha Desk", "firstMessage: Remote words\n", url)
        try setTopLevel("alpha-desk.atoms.yaml", "firstMessage", "Local words")
        let conflictPlan = try cli(["plan", "--dir", dir], url)
        XCTAssertEqual(conflictPlan.code, 2)
        XCTAssertTrue(conflictPlan.stdout.contains("CONFLICT  call_handling  firstMessage: base \"Hello from git\" · local \"Local words\" · live \"Remote words\""),
                      conflictPlan.stdout)
        func versionCount() throws -> Int { try cli(["versions", "list", "Alpha Desk", "--json"], url).stdout.components(separatedBy: "\"versionNumber\"").count - 1 }
        let versionsBefore = try versionCount()
        let refused = try cli(["push", "--dir", dir, "--activate", "--yes"], url)
        XCTAssertEqual(refused.code, 2, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stdout.contains("refused: Alpha Desk — conflict") && refused.stdout.contains("firstMessage"), refused.stdout)
        XCTAssertEqual(try versionCount(), versionsBefore, "nothing was published")
        let forced = try cli(["push", "--dir", dir, "--activate", "--yes", "--force"], url)
        XCTAssertEqual(forced.code, 0, forced.stdout + forced.stderr)
        XCTAssertTrue(try cli(["agents", "get", "Alpha Desk"], url).stdout.contains("Local words"))
        XCTAssertEqual(try cli(["plan", "--dir", dir], url).code, 0)

        // A new agent: a file with a name and no id.
        text = "# agent-name: \"Brand New Line\"\nfirstMessage: Welcome to the new line\n"
        try text.write(toFile: dir + "/brand-new.atoms.yaml", atomically: true, encoding: .utf8)
        let newPlan = try cli(["plan", "--dir", dir, "--all"], url)
        XCTAssertEqual(newPlan.code, 2, newPlan.stdout)
        XCTAssertTrue(newPlan.stdout.contains("+ brand-new.atoms.yaml · Brand New Line — new agent"), newPlan.stdout)
        XCTAssertTrue(newPlan.stdout.contains("+ firstMessage: \"Welcome to the new line\""), newPlan.stdout)
        let created = try cli(["push", "--dir", dir, "brand-new.atoms.yaml", "--activate", "--yes"], url)
        XCTAssertEqual(created.code, 0, created.stdout + created.stderr)
        XCTAssertNotNil(try header("brand-new.atoms.yaml", "agent-id"))
        XCTAssertTrue(try cli(["agents", "get", "Brand New Line"], url).stdout.contains("Welcome to the new line"))
        // An agent with no file is reported with --all.
        XCTAssertEqual(try cli(["agents", "create", "Not Pulled"], url).code, 0)
        let missing = try cli(["plan", "--dir", dir, "--all"], url)
        XCTAssertEqual(missing.code, 0, missing.stdout)
        XCTAssertTrue(missing.stdout.contains("? (no file) · Not Pulled — missing locally") && missing.stdout.contains("1 missing locally"), missing.stdout)
        // A broken file is an error (exit 1) that names the line.
        try "# agent-id: 0123456789abcdef01234567\nfirstMessage: [unclosed\n".write(toFile: dir + "/broken.atoms.yaml", atomically: true, encoding: .utf8)
        let broken = try cli(["plan", "--dir", dir], url)
        XCTAssertEqual(broken.code, 1)
        XCTAssertTrue(broken.stdout.contains("broken.atoms.yaml") && broken.stdout.contains("line"), broken.stdout)
        try assertNoKey(in: dir)
    }

    // MARK: v2

    func testV2PullEditPlanPushAndOpenDraftLeftAlone() throws {
        let url = try serve(["--branch-model", "on", "--scan-seconds", "0.3"])
        let agent = "Branch Desk"
        XCTAssertEqual(try cli(["agents", "create", agent], url).code, 0)
        let pull = try cli(["pull", agent, "--dir", dir], url)
        XCTAssertEqual(pull.code, 0, pull.stderr)
        XCTAssertEqual(try header("branch-desk.atoms.yaml", "api"), "v2")
        XCTAssertEqual(try header("branch-desk.atoms.yaml", "branch"), "\"main\"")
        XCTAssertEqual(try header("branch-desk.atoms.yaml", "base-number"), "1")
        try setTopLevel("branch-desk.atoms.yaml", "firstMessage", "Namaste from git")
        XCTAssertEqual(try cli(["plan", "--dir", dir], url).code, 2)
        let push = try cli(["push", "--dir", dir], url)
        XCTAssertEqual(push.code, 0, push.stdout + push.stderr)
        XCTAssertTrue(push.stdout.contains("committed main r2 · live"), push.stdout)
        XCTAssertEqual(try header("branch-desk.atoms.yaml", "base-number"), "2")
        XCTAssertTrue(try cli(["agents", "get", agent], url).stdout.contains("Namaste from git"))
        XCTAssertEqual(try cli(["plan", "--dir", dir], url).code, 0)

        // Drift through the v2 commands, then someone's open draft: left alone unless --include-open-draft.
        let remote = work + "/remote.yaml"
        try "synthesizer:\n  speed: 0.8\n".write(toFile: remote, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli(["drafts", "put", agent, "--branch", "main", "--file", remote], url).code, 0)
        XCTAssertEqual(try cli(["drafts", "publish", agent, "--branch", "main", "--wait"], url).code, 0)
        let drift = try cli(["plan", "--dir", dir], url)
        XCTAssertEqual(drift.code, 0, drift.stdout)
        XCTAssertTrue(drift.stdout.contains("drift") && drift.stdout.contains("synthesizer.speed: 1.2 → 0.8"), drift.stdout)
        try "waitForUserToSpeakFirst: true\n".write(toFile: remote, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli(["drafts", "put", agent, "--branch", "main", "--file", remote], url).code, 0)
        try setTopLevel("branch-desk.atoms.yaml", "firstMessage", "Second words")
        let refused = try cli(["push", "--dir", dir], url)
        XCTAssertEqual(refused.code, 2, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stdout.contains("open draft with unpublished edits") && refused.stdout.contains("--include-open-draft"), refused.stdout)
        XCTAssertFalse(try cli(["agents", "get", agent], url).stdout.contains("Second words"))
        let included = try cli(["push", "--dir", dir, "--include-open-draft", "--json"], url)
        XCTAssertEqual(included.code, 0, included.stdout + included.stderr)
        let outcomes = (try JSONSerialization.jsonObject(with: Data(included.stdout.utf8)) as? [String: Any])?["outcomes"] as? [[String: Any]]
        XCTAssertEqual(outcomes?.first?["result"] as? String, "applied", included.stdout)
        XCTAssertEqual(outcomes?.first?["live"] as? Bool, true)
        XCTAssertTrue(included.stderr.contains("CONFLICT") == false && included.stderr.contains("local"), "the plan goes to stderr with --json: \(included.stderr)")
        let live = try cli(["agents", "get", agent, "--json"], url).stdout
        XCTAssertTrue(live.contains("Second words") && live.contains("\"speed\" : 0.8") && live.contains("\"waitForUserToSpeakFirst\" : true"), live)
        // Another branch, in its own directory: committed there, live only with --make-live.
        XCTAssertEqual(try cli(["branches", "create", agent, "spanish"], url).code, 0)
        let other = work + "/spanish"
        XCTAssertEqual(try cli(["pull", agent, "--dir", other, "--branch", "spanish"], url).code, 0)
        let text = try String(contentsOfFile: other + "/branch-desk.atoms.yaml", encoding: .utf8)
        XCTAssertTrue(text.contains("# branch: \"spanish\""), text)
        let lines = text.components(separatedBy: "\n").map { $0.hasPrefix("firstMessage:") ? "firstMessage: Hola" : $0 }
        try lines.joined(separator: "\n").write(toFile: other + "/branch-desk.atoms.yaml", atomically: true, encoding: .utf8)
        let notLive = try cli(["push", "--dir", other, "--make-live"], url)
        XCTAssertEqual(notLive.code, 2, "--make-live needs --yes off a terminal")
        let madeLive = try cli(["push", "--dir", other, "--make-live", "--yes"], url)
        XCTAssertEqual(madeLive.code, 0, madeLive.stdout + madeLive.stderr)
        XCTAssertTrue(madeLive.stdout.contains("applied: Branch Desk — committed spanish r") && madeLive.stdout.contains(" · live"), madeLive.stdout)
        XCTAssertTrue(try cli(["branches", "list", agent], url).stdout.contains("spanish         ●"))
        XCTAssertTrue(try cli(["agents", "get", agent], url).stdout.contains("Hola"))
        // --activate is v1's; v2 uses --make-live.
        let wrong = try cli(["push", "--dir", dir, "--activate", "--yes"], url)
        XCTAssertEqual(wrong.code, 2)
        XCTAssertTrue(wrong.stderr.contains("--make-live"), wrong.stderr)
        try assertNoKey(in: dir)
    }

    // MARK: promote

    func testPromoteBetweenTwoSimulators() throws {
        let stagingKey = "stage-key-\(UUID().uuidString.prefix(8))", prodKey = "prod-key-\(UUID().uuidString.prefix(8))"
        let staging = try serve(["--scan-seconds", "0.3"], key: stagingKey)
        let prod = try serve(["--scan-seconds", "0.3"], key: prodKey)
        let config = work + "/xdg-config"
        try FileManager.default.createDirectory(atPath: config + "/atoms-tui", withIntermediateDirectories: true)
        let yaml = "profiles:\n  staging:\n    apiKey: \(stagingKey)\n    baseURL: \(staging)\n  prod:\n    apiKey: \(prodKey)\n    baseURL: \(prod)\n"
        let path = config + "/atoms-tui/config.yaml"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8), attributes: [.posixPermissions: 0o600]))
        let env = ["XDG_CONFIG_HOME": config]
        func on(_ profile: String, _ args: [String]) throws -> CLIResult { try cli(args + ["--profile", profile], nil, env: env) }
        XCTAssertEqual(try on("staging", ["agents", "create", "Promo Agent"]).code, 0)
        XCTAssertEqual(try on("prod", ["agents", "create", "Promo Agent"]).code, 0)
        let file = work + "/stage.yaml"
        try "firstMessage: Tested on staging\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try on("staging", ["drafts", "fork", "Promo Agent", "--name", "s"]).code, 0)
        XCTAssertEqual(try on("staging", ["drafts", "patch", "Promo Agent", "s", "--file", file]).code, 0)
        XCTAssertEqual(try on("staging", ["publish", "Promo Agent", "s", "--label", "stage", "--activate"]).code, 0)

        let dry = try cli(["promote", "Promo Agent", "--from-profile", "staging", "--to-profile", "prod", "--dry-run"], nil, env: env)
        XCTAssertEqual(dry.code, 2, dry.stdout + dry.stderr)
        XCTAssertTrue(dry.stdout.contains("firstMessage: \"\" → \"Tested on staging\""), dry.stdout)
        XCTAssertFalse(try on("prod", ["agents", "get", "Promo Agent"]).stdout.contains("Tested on staging"))
        let noYes = try cli(["promote", "Promo Agent", "--from-profile", "staging", "--to-profile", "prod"], nil, env: env)
        XCTAssertEqual(noYes.code, 2)
        let promote = try cli(["promote", "Promo Agent", "--from-profile", "staging", "--to-profile", "prod", "--yes", "--activate"], nil, env: env)
        XCTAssertEqual(promote.code, 0, promote.stdout + promote.stderr)
        XCTAssertTrue(promote.stdout.contains("firstMessage") && promote.stdout.contains("applied: Promo Agent"), promote.stdout)
        XCTAssertTrue(try on("prod", ["agents", "get", "Promo Agent"]).stdout.contains("Tested on staging"))
        XCTAssertFalse(try on("staging", ["agents", "list"]).stdout.contains("Prod Copy"))
        // Mapping by another name; a target that does not exist is created.
        let renamed = try cli(["promote", "Promo Agent", "--from-profile", "staging", "--to-profile", "prod", "--to-agent", "Prod Copy", "--yes"], nil, env: env)
        XCTAssertEqual(renamed.code, 0, renamed.stdout + renamed.stderr)
        XCTAssertTrue(renamed.stdout.contains("new agent"), renamed.stdout)
        XCTAssertTrue(try on("prod", ["agents", "list"]).stdout.contains("Prod Copy"))
        let again = try cli(["promote", "Promo Agent", "--from-profile", "staging", "--to-profile", "prod", "--yes"], nil, env: env)
        XCTAssertEqual(again.code, 0)
        XCTAssertTrue(again.stderr.contains("nothing to promote"), again.stderr)
    }

    // MARK: Ctrl-C

    func testCtrlCMidPushLeavesEveryAgentUntouchedOrFullyApplied() throws {
        let url = try serve(["--scan-seconds", "3"])
        let agents = ["Calm One", "Calm Two", "Calm Three"]
        for a in agents { XCTAssertEqual(try cli(["agents", "create", a], url).code, 0) }
        XCTAssertEqual(try cli(["pull", "--all", "--dir", dir], url).code, 0)
        let files = ["calm-one.atoms.yaml", "calm-two.atoms.yaml", "calm-three.atoms.yaml"]
        for f in files { try setTopLevel(f, "firstMessage", "Pushed \(f)") }
        let edited = try files.map { try read($0) }
        let p = try spawn(["push", "--dir", dir, "--activate", "--yes", "--parallel", "1"], url)
        // Wait until the first agent is waiting on its security check, then Ctrl-C.
        let deadline = Date().addingTimeInterval(30)
        while !p.stderr.contains("security check running") && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(p.stderr.contains("security check running"), p.stderr)
        kill(p.pid, SIGINT)
        let code = p.wait(timeout: 60)
        XCTAssertEqual(code, 130, p.stdout + p.stderr)
        XCTAssertTrue(p.stdout.contains("1 applied") && p.stdout.contains("2 not started (interrupted)"), p.stdout)
        var applied = 0, untouched = 0
        for (i, a) in agents.enumerated() {
            let live = try cli(["agents", "get", a], url).stdout
            let versions = try cli(["versions", "list", a, "--json"], url).stdout.components(separatedBy: "\"versionNumber\"").count - 1
            let drafts = try cli(["drafts", "list", a, "--json"], url).stdout
            let file = try read(files[i])
            if live.contains("Pushed \(files[i])") {
                // Fully applied: published, active, the file's base moved.
                applied += 1
                XCTAssertEqual(versions, 2)
                XCTAssertTrue(file.contains("# base-number: 2"), file)
            } else {
                // Untouched: no new version, no draft left behind, the file as edited.
                untouched += 1
                XCTAssertEqual(versions, 1, a)
                XCTAssertFalse(drafts.contains("atoms-tui push"), drafts)
                XCTAssertEqual(file, edited[i])
            }
        }
        XCTAssertEqual(applied, 1)
        XCTAssertEqual(untouched, 2)
        try assertNoKey(in: dir)
    }
}
