import AtomsModels
import Foundation
import XCTest

/// Every example response the official spec documents for the v2 branch, revision and diff
/// operations decodes with the AtomsModels types the client reads them into: success bodies as
/// `{status, data: T}`, error bodies as `ErrorEnvelope` (with the draft-conflict body parsed by
/// `DraftConflict`). Each example is tried as documented and with every nullable member `null`.
final class SpecV2ExampleDecodingTests: XCTestCase {
    private struct Envelope<T: Decodable>: Decodable { let status: Bool; let data: T }

    /// Operation → how its success `data` is decoded.
    static let decoders: [String: @Sendable (Data) throws -> Void] = [
        "POST /agent/{id}/branches": { _ = try JSONDecoder().decode(Envelope<Branch>.self, from: $0) },
        "GET /agent/{id}/branches": { _ = try JSONDecoder().decode(Envelope<BranchList>.self, from: $0) },
        "GET /agent/{id}/branches/{branchId}": { _ = try JSONDecoder().decode(Envelope<BranchSummary>.self, from: $0) },
        "PATCH /agent/{id}/branches/{branchId}": { _ = try JSONDecoder().decode(Envelope<Branch>.self, from: $0) },
        "POST /agent/{id}/branches/{branchId}/archive": { _ = try JSONDecoder().decode(Envelope<ArchiveBranchResult>.self, from: $0) },
        "POST /agent/{id}/branches/{branchId}/live": { _ = try JSONDecoder().decode(Envelope<BranchSummary>.self, from: $0) },
        "PUT /agent/{id}/branches/{branchId}/draft": { _ = try JSONDecoder().decode(Envelope<Revision>.self, from: $0) },
        "GET /agent/{id}/branches/{branchId}/draft": { _ = try JSONDecoder().decode(Envelope<BranchDraftDetail>.self, from: $0) },
        "DELETE /agent/{id}/branches/{branchId}/draft": { _ = try JSONDecoder().decode(Envelope<DiscardDraftResult>.self, from: $0) },
        "POST /agent/{id}/branches/{branchId}/draft/publish": { _ = try JSONDecoder().decode(Envelope<PublishResult>.self, from: $0) },
        "POST /agent/{id}/branches/{branchId}/draft/publish/cancel": { _ = try JSONDecoder().decode(Envelope<CancelPublishResult>.self, from: $0) },
        "GET /agent/{id}/branches/{branchId}/revisions": { _ = try JSONDecoder().decode(Envelope<RevisionList>.self, from: $0) },
        "GET /agent/{id}/branches/{branchId}/revisions/{revisionId}": { _ = try JSONDecoder().decode(Envelope<RevisionDetail>.self, from: $0) },
        "GET /agent/{id}/branches/{branchId}/revisions/{revisionId}/history": { _ = try JSONDecoder().decode(Envelope<RevisionHistory>.self, from: $0) },
        "POST /agent/{id}/branches/{branchId}/revisions/{revisionId}/restore": { _ = try JSONDecoder().decode(Envelope<PublishResult>.self, from: $0) },
        "GET /agent/{id}/diff": { _ = try JSONDecoder().decode(Envelope<AgentVersionDiff>.self, from: $0) },
    ]

    func testEveryV2ExampleResponseDecodes() throws {
        let spec = try SpecDocument()
        let ops = spec.operations { $0.hasPrefix("/agent/{id}/branches") || $0 == "/agent/{id}/diff" }
            .map { "\($0.method) \($0.path)" }
            .filter { !$0.hasSuffix("/test-call") }  // not used by the product (and not simulated)
        XCTAssertEqual(Set(ops), Set(Self.decoders.keys), "the v2 operations in the spec and in this table differ")
        var tried = 0
        var failures: [String] = []
        for op in ops.sorted() {
            let parts = op.split(separator: " ", maxSplits: 1).map(String.init)
            for (status, schema) in spec.jsonResponses(parts[0], parts[1]) {
                for policy in [SpecDocument.NullPolicy.values, .nulls] {
                    let example = spec.example(schema, nulls: policy)
                    let body = try JSONSerialization.data(withJSONObject: example, options: [.fragmentsAllowed, .sortedKeys])
                    let label = "\(op) → \(status) (\(policy == .nulls ? "nullable members null" : "documented values"))"
                    tried += 1
                    do {
                        if (200..<300).contains(status) {
                            try Self.decoders[op]?(body)
                        } else {
                            let e = try JSONDecoder().decode(ErrorEnvelope.self, from: body)
                            XCTAssertFalse(e.status && !(e.errors.isEmpty), label)
                            if status == 409 {
                                _ = DraftConflict.parse(errors: e.errors, errorType: e.errorType, data: e.data)
                            }
                        }
                    } catch {
                        failures.append("\(label): \(error)\n    body: \(String(decoding: body, as: UTF8.self).prefix(400))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(tried, ops.count * 2)
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(tried) v2 spec examples failed:\n" + failures.joined(separator: "\n"))
    }

    /// The documented 202 publish carries only `state`; the documented rich conflict body parses.
    func testScanningPublishAndRichConflictExamples() throws {
        let scanning = #"{"status":true,"data":{"state":"scanning"}}"#
        let r = try JSONDecoder().decode(Envelope<PublishResult>.self, from: Data(scanning.utf8))
        XCTAssertEqual(r.data.state, .scanning)
        XCTAssertNil(r.data.revision)
        let rich = #"{"status":false,"errors":["workflow_prompt.globalPrompt"],"data":{"conflict":{"expectedRevision":3,"latestRevision":4,"diffs":[{"section":"workflow_prompt"}]}}}"#
        let e = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(rich.utf8))
        let c = try XCTUnwrap(DraftConflict.parse(errors: e.errors, errorType: e.errorType, data: e.data))
        XCTAssertEqual(c.expectedRevision, 3)
        XCTAssertEqual(c.latestRevision, 4)
        XCTAssertEqual(c.paths, ["workflow_prompt.globalPrompt"])
    }
}
