import Foundation
import AtomsModels

/// Routing of the documented agent operations outside drafts/versions/branches: duplicate, call logs,
/// widget configuration, and the v1 test calls (which the v1 write block exempts).
extension SimulatorAPI {
    /// The answer, or nil when the path is none of these operations.
    func routeAgentExtras(method: String, segments s: [String], query q: [String: String], body: Data) throws -> SimResponse? {
        guard s.count >= 2 else { return nil }
        let agentId = s[0]
        switch (method, Array(s.dropFirst())) {
        case ("POST", ["duplicate"]):
            try store.requireNotFrozen()
            let o = try Self.object(body)
            guard let target = o["targetOrganizationId"] else { throw SimulatorError.badRequest("targetOrganizationId: Required") }
            try Self.checkTypes(o, ["targetOrganizationId": .string(pattern: "^[a-fA-F0-9]{24}$")])
            guard ObjectID.isValid(agentId) else { throw SimulatorError.agentNotFound }
            let id = try store.duplicateAgent(id: agentId, targetOrganizationId: target.stringValue ?? "")
            return Self.ok(["_id": JSONValue.string(id)] as JSONValue, status: 201)
        case ("GET", ["call-logs"]):
            let page = try Self.int(q, "page") ?? 1
            let offset = try Self.int(q, "offset") ?? 10
            return Self.okSuccess(try store.callLogs(agentId: agentId, page: page, offset: offset))
        case ("GET", ["widget-config"]):
            return Self.okSuccess(try store.widgetConfig(agentId: agentId))
        case ("PATCH", ["widget-config"]):
            return Self.okSuccess(try store.updateWidgetConfig(agentId: agentId, try Self.object(body)))
        case ("POST", let r) where r.count == 3 && r[0] == "drafts" && r[2] == "test-call":
            return Self.ok(try store.draftTestCall(agentId: agentId, draftId: r[1], try Self.object(body)))
        case ("POST", let r) where r.count == 3 && r[0] == "versions" && r[2] == "test-call":
            return Self.ok(try store.versionTestCall(agentId: agentId, versionId: r[1], try Self.object(body)))
        default:
            return nil
        }
    }

    /// The envelope of the operations whose spec declares `{success: true, data}` (call logs, widget
    /// config): `success` as declared, plus the `status: true` every other answer carries.
    static func okSuccess(_ data: JSONValue, status: Int = 200) -> SimResponse {
        let body: JSONValue = ["status": true, "success": true, "data": data]
        guard let bytes = try? encoder().encode(body) else {
            return error(SimulatorError(status: 500, errors: ["Internal server error"]))
        }
        return SimResponse(status: status, headers: [("Content-Type", jsonType)], body: bytes)
    }
}
