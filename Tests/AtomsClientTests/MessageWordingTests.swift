import AtomsModels
import XCTest
@testable import AtomsClient

/// The client's wording shared by the front ends: sentences that keep names, the branch rules' reasons,
/// HTTP error lines that say each thing once, and revision labels for v2 agents.
final class MessageWordingTests: XCTestCase {
    func testSentenceCapitalisesWordsButNotNames() {
        XCTAssertEqual(MessageText.sentence("label is 201 characters"), "Label is 201 characters")
        XCTAssertEqual(MessageText.sentence("refused: publishing would undo"), "Refused: publishing would undo")
        XCTAssertEqual(MessageText.sentence("branch \"main\" is the default branch"), "Branch \"main\" is the default branch")
        XCTAssertEqual(MessageText.sentence("agent's name, please"), "Agent's name, please")
        XCTAssertEqual(MessageText.sentence("can’t read it"), "Can’t read it")
        // File names, versions, keys, paths, flags and quotes stay as written.
        XCTAssertEqual(MessageText.sentence("bad.yaml: line 1, column 15: unclosed"), "bad.yaml: line 1, column 15: unclosed")
        XCTAssertEqual(MessageText.sentence("v3's check failed"), "v3's check failed")
        XCTAssertEqual(MessageText.sentence("r12 is the head"), "r12 is the head")
        XCTAssertEqual(MessageText.sentence("firstMessage: must be a string"), "firstMessage: must be a string")
        XCTAssertEqual(MessageText.sentence("agents/zoe.atoms.yaml, line 3"), "agents/zoe.atoms.yaml, line 3")
        XCTAssertEqual(MessageText.sentence("x-request-id missing"), "x-request-id missing")
        XCTAssertEqual(MessageText.sentence("--limit takes 1 to 100"), "--limit takes 1 to 100")
        XCTAssertEqual(MessageText.sentence("\"main\" is reserved"), "\"main\" is reserved")
        XCTAssertEqual(MessageText.sentence("Already a sentence"), "Already a sentence")
        XCTAssertEqual(MessageText.sentence(""), "")
        XCTAssertEqual(MessageText.sentence("ok"), "Ok")
    }

    func testBranchRulesRefuseTheDefaultAndLiveBranchesWithTheTUIsWords() {
        func summary(_ name: String, isDefault: Bool, live: Bool) -> BranchSummary {
            BranchSummary(branch: Branch(id: "b-\(name)", agent: "a", name: name, isDefault: isDefault), isLive: live,
                          hasOpenDraft: false, revisionsCount: 1, headRevisionNumber: 1)
        }
        let main = summary("main", isDefault: true, live: true)
        XCTAssertEqual(BranchRules.whyNotManageable(main, archive: false, name: "branch \"main\""),
                       "branch \"main\" is the default branch: it cannot be renamed")
        XCTAssertEqual(BranchRules.whyNotManageable(main, archive: true, name: "branch \"main\"", makeLiveHint: "m"),
                       "branch \"main\" is the default branch: it cannot be archived")
        let quietMain = summary("main", isDefault: true, live: false)
        XCTAssertNotNil(BranchRules.whyNotManageable(quietMain, archive: true, name: "main"), "the default branch is never archived")
        let live = summary("staging", isDefault: false, live: true)
        XCTAssertNil(BranchRules.whyNotManageable(live, archive: false, name: "branch \"staging\""), "a live branch may be renamed")
        XCTAssertEqual(BranchRules.whyNotManageable(live, archive: true, name: "branch \"staging\"", makeLiveHint: "m"),
                       "branch \"staging\" is live: make another branch live first (m)")
        XCTAssertEqual(BranchRules.whyNotManageable(live, archive: true, name: "branch \"staging\""),
                       "branch \"staging\" is live: make another branch live first")
        let other = summary("feature", isDefault: false, live: false)
        XCTAssertNil(BranchRules.whyNotManageable(other, archive: true, name: "x"))
        XCTAssertNil(BranchRules.whyNotManageable(other, archive: false, name: "x"))
    }

    func testHTTPErrorLinesSayEachThingOnce() {
        let unauthorized = AtomsError(kind: .http, method: "GET", path: "/agent", status: 401, serverErrors: ["Unauthorized: User not found"])
        XCTAssertTrue(unauthorized.description.contains("--api-key") && unauthorized.description.contains("SMALLEST_API_KEY")
                      && unauthorized.description.contains("profile"), unauthorized.description)
        let limited = AtomsError(kind: .http, method: "GET", path: "/agent", status: 429,
                                 serverErrors: ["Too many requests, please try again later."],
                                 hint: AtomsError.advice(status: 429, messages: ["Too many requests, please try again later."]))
        XCTAssertFalse(limited.description.contains(".:"), limited.description)
        XCTAssertTrue(limited.description.contains("please try again later: the account's request rate"), limited.description)
        let frozen = AtomsError(kind: .http, method: "POST", path: "/agent", status: 423,
                                serverErrors: ["Agent config changes are frozen for a maintenance window"], errorType: .configFreezeActive)
        XCTAssertEqual(frozen.description.components(separatedBy: "maintenance window").count - 1, 1, frozen.description)
        XCTAssertTrue(frozen.description.contains("reads still work; try again later"), frozen.description)
        let bare = AtomsError(kind: .http, method: "POST", path: "/agent", status: 423)
        XCTAssertTrue(bare.description.contains("writes are frozen for a maintenance window (reads still work); try again later"), bare.description)
        let two = AtomsError(kind: .http, method: "GET", path: "/x", status: 400, serverErrors: ["First.", "Second."])
        XCTAssertTrue(two.description.hasSuffix("First; Second."), two.description)
        let ellipsis = AtomsError(kind: .refused, serverErrors: ["wait..."], hint: "then retry")
        XCTAssertEqual(ellipsis.description, "wait...: then retry")
    }

    func testActiveVersionLabelsOnAV2AccountAreRevisionNumbers() async throws {
        let h = try await SimulatorHarness.start { $0.seedDemo = true; $0.branchModel = true }
        let agents = try await h.client.listAgents(AgentListQuery(page: 1, pageSize: 100)).agents
        let labels = await VersionLabels(client: h.client).activeVersions(of: agents)
        XCTAssertFalse(labels.isEmpty)
        for (agentId, label) in labels {
            XCTAssertTrue(label.hasPrefix("r"), "\(agentId): \(label)")
        }
        await h.sim.stop()
    }
}
