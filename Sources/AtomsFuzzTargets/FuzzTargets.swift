import AtomsClient
import AtomsModels
import Foundation

/// The fuzz targets: each takes arbitrary bytes and must return without crashing, hanging or
/// growing without bound, whatever the bytes are. `scripts/fuzz.sh` drives them with libFuzzer
/// (`swiftc -sanitize=fuzzer`); `ReliabilityTests.FuzzRegressionTests` replays the corpus under
/// `Tests/FuzzCorpus/` and runs a bounded random campaign in `swift test`.
public enum FuzzTargets {
    /// The targets by name.
    public static let all: [String: @Sendable (Data) -> Void] = [
        "config": config,
        "responses": responses,
    ]

    /// The config parser and validator: YAML and JSON documents as a person saves them from the
    /// editor (comment header, any text), then the validator, the minimal patch and the YAML renderer.
    public static func config(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let original: ConfigDocument = ["firstMessage": "Hello!", "slmModel": "electron",
                                        "singlePromptConfig": ["prompt": "You are helpful.", "tools": []]]
        for format in DocumentFormat.allCases {
            if let doc = try? ConfigDocumentCodec.parse(text, format: format) {
                _ = ConfigValidator.validate(doc)
                _ = ConfigDocumentCodec.render(doc, format: .yaml)
                _ = ConfigMapping.diff(from: original, to: doc)
            }
            _ = EditRules.evaluate(text: text, original: original, format: format)
        }
    }

    /// The response decoders: the bytes as the body of every read the client makes, with the status
    /// taken from the first byte (2xx, 4xx or 5xx), through the real client over a stub transport —
    /// envelope decoding, error mapping (JSON and HTML), the models' open enums — and the config mapping.
    public static func responses(_ data: Data) {
        let status = [200, 201, 400, 404, 409, 429, 500, 503][Int(data.first ?? 0) % 8]
        let body = data.count > 1 ? data.dropFirst() : data
        let client = AtomsClient(configuration: ClientConfiguration(baseURL: URL(string: "https://fuzz.invalid/atoms/v1")!, apiKey: "fuzz",
                                                                    maxRetries: 0),
                                 transport: FixedTransport(status: status, body: Data(body)), sleeper: { _ in })
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let id = "65f0a1b2c3d4e5f6a7b8c9d0"
            if let a = try? await client.listAgents() { _ = a.agents.count }
            if let a = try? await client.getAgent(id) { _ = ConfigMapping.requestDocument(fromResolved: a.resolvedConfig ?? [:]) }
            if let v = try? await client.getVersion(id, id) { _ = ConfigMapping.requestDocument(fromSectioned: v.resolvedConfig) }
            _ = try? await client.listVersions(id)
            _ = try? await client.listDrafts(id)
            _ = try? await client.getDraft(id, id)
            do { _ = try await client.publishDraft(id, id, label: "l", description: nil) } catch let e as AtomsError { _ = e.description } catch {}
            done.signal()
        }
        done.wait()
        for type in decodables { _ = try? JSONDecoder().decode(type, from: Data(body)) }
    }

    static let decodables: [any Decodable.Type] = [
        ErrorEnvelope.self, JSONValue.self, Agent.self, AgentVersion.self, VersionList.self, VersionDetail.self, DraftDetail.self,
        AgentVersionDiff.self, DraftDiff.self, PublishResult.self, RevisionList.self, Branch.self, APIEnvelope<AgentList>.self,
    ]
}

/// Answers every request with the same status and body.
struct FixedTransport: HTTPTransport {
    let status: Int
    let body: Data
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }
}
