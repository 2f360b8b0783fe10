import XCTest
@testable import AtomsSimulator
import AtomsModels

/// A store on a manual clock with one fresh agent (version 1 active) and helpers around it.
struct Fixture {
    let clock = ManualClock()
    let store: SimulatorStore
    let agentId: String
    let v1: String

    init(_ configure: (inout SimulatorOptions) -> Void = { _ in }) throws {
        var o = SimulatorOptions()
        configure(&o)
        store = try SimulatorStore(options: o, clock: clock)
        agentId = try store.createAgent([
            "name": "Test Agent",
            "singlePromptConfig": ["prompt": "You are a helpful assistant.", "tools": []],
            "language": ["default": "en", "supported": ["en", "hi"], "switching": ["isEnabled": false]],
        ])
        v1 = try XCTUnwrap(store.agent(id: agentId).activeVersionId)
    }

    /// Forks a draft from v1.
    func draft(_ name: String? = nil) throws -> AgentVersion {
        try store.createDraft(agentId: agentId, CreateDraftRequest(sourceVersionId: v1, draftName: name))
    }

    /// Forks, edits and publishes; returns the new (inactive, pending) version.
    func publish(_ patch: ConfigDocument, label: String? = "test") throws -> AgentVersion {
        let d = try draft()
        _ = try store.updateDraftConfig(agentId: agentId, draftId: try XCTUnwrap(d.draftId), patch)
        return try store.publishDraft(agentId: agentId, draftId: try XCTUnwrap(d.draftId), PublishDraftRequest(label: label))
    }
}

/// Asserts that `body` throws a `SimulatorError` with this status (and message, when given).
@discardableResult
func assertSimError<T>(_ status: Int, _ message: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws -> T) -> SimulatorError? {
    do {
        _ = try body()
        XCTFail("expected \(status), got success", file: file, line: line)
        return nil
    } catch let e as SimulatorError {
        XCTAssertEqual(e.status, status, "\(e)", file: file, line: line)
        if let message { XCTAssertEqual(e.errors, [message], file: file, line: line) }
        return e
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return nil
    }
}

/// JSON text of a value (sorted keys).
func jsonText<T: Encodable>(_ v: T) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return String(decoding: try e.encode(v), as: UTF8.self)
}
