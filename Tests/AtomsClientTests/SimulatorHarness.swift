import AtomsModels
import AtomsSimulator
import Foundation
@testable import AtomsClient

/// Starts an in-process simulator on port 0 and a client pointed at it.
struct SimulatorHarness {
    let sim: EmbeddedSimulator
    let client: AtomsClient
    var lifecycle: Lifecycle { Lifecycle(client: client) }

    static let key = "test-key-\(UUID().uuidString.prefix(8))"

    static func start(_ configure: (inout SimulatorOptions) -> Void = { _ in }, clientKey: String? = nil,
                      sleeper: (@Sendable (TimeInterval) async throws -> Void)? = nil) async throws -> SimulatorHarness {
        var options = SimulatorOptions()
        options.apiKey = key
        options.scanSeconds = 0
        configure(&options)
        let sim = try await EmbeddedSimulator.start(options)
        let config = ClientConfiguration(baseURL: sim.baseURL, apiKey: clientKey ?? key, requestTimeout: 10, maxRetries: 3, baseBackoff: 0.01)
        let client = AtomsClient(configuration: config, sleeper: sleeper ?? { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) })
        return SimulatorHarness(sim: sim, client: client)
    }

    /// Creates an agent with a prompt and returns its id and active version id.
    func makeAgent(name: String = "Lifecycle Test Agent", prompt: String = "You are a helpful receptionist.\n\nBe brief.") async throws -> (agentId: String, activeVersionId: String) {
        let id = try await client.createAgent([
            "name": .string(name),
            "singlePromptConfig": ["prompt": .string(prompt), "tools": []],
            "firstMessage": "Hello!",
            "language": ["default": "en", "supported": ["en"], "switching": ["isEnabled": false]],
        ])
        let agent = try await client.getAgent(id)
        guard let active = agent.activeVersionId else { throw AtomsError(kind: .refused, serverErrors: ["new agent has no active version"]) }
        return (id, active)
    }
}
