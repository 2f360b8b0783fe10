import Foundation
import AtomsModels

extension AtomsClient {
    /// The largest page `GET /agent/{id}/call-logs` serves (`offset` = records per page, 1–100).
    public static let callLogsMaxPageSize = 100

    /// `GET /agent/{id}/call-logs`: one page of an agent's calls, newest first.
    public func callLogs(_ agentId: String, page: Int = 1, pageSize: Int = 10) async throws -> CallLogPage {
        guard page >= 1, (1...Self.callLogsMaxPageSize).contains(pageSize) else {
            throw AtomsError(kind: .invalidInput, path: "/agent/\(agentId)/call-logs",
                             serverErrors: ["page must be 1 or more and the page size 1–\(Self.callLogsMaxPageSize)"])
        }
        return try await call("GET", "/agent/\(Self.enc(agentId))/call-logs",
                              query: [URLQueryItem(name: "page", value: String(page)), URLQueryItem(name: "offset", value: String(pageSize))])
    }
}
