import Foundation

/// One call of `GET /agent/{id}/call-logs`: the spec's item plus the conversation-log fields the
/// release-health figures read (`versionId`, `callFailureReason`, `turnLatencyMetrics`, …). Every
/// field but `callId` is optional: an answer missing one is read, not refused.
public struct CallLog: Codable, Sendable, Hashable {
    public var callId: String
    public var callStatus: String?
    public var callType: String?
    /// ISO-8601 time the call started.
    public var createdAt: String?
    /// Call duration in milliseconds.
    public var callDuration: Double?
    /// The version (v1) or revision (v2) that handled the call; nil: unattributed.
    public var versionId: String?
    public var versionNumber: Int?
    public var callFailureReason: String?
    public var disconnectionReason: String?
    public var callCost: Double?
    public var turnLatencyMetrics: TurnLatencyMetrics?
    /// Disposition metric → outcome (`{"resolved": "yes"}`).
    public var dispositionMetrics: [String: String]?
    public var postCallAnalytics: PostCallAnalytics?
    public var isTest: Bool?

    /// Builds a call.
    public init(callId: String, callStatus: String? = nil, createdAt: String? = nil, versionId: String? = nil,
                versionNumber: Int? = nil, callFailureReason: String? = nil, disconnectionReason: String? = nil,
                callCost: Double? = nil, turnLatencyMetrics: TurnLatencyMetrics? = nil,
                dispositionMetrics: [String: String]? = nil, isTest: Bool? = nil) {
        self.callId = callId
        self.callStatus = callStatus
        self.createdAt = createdAt
        self.versionId = versionId
        self.versionNumber = versionNumber
        self.callFailureReason = callFailureReason
        self.disconnectionReason = disconnectionReason
        self.callCost = callCost
        self.turnLatencyMetrics = turnLatencyMetrics
        self.dispositionMetrics = dispositionMetrics
        self.isTest = isTest
    }

    enum CodingKeys: String, CodingKey {
        case callId, callStatus, callType, createdAt, callDuration, versionId, versionNumber, callFailureReason
        case disconnectionReason, callCost, turnLatencyMetrics, dispositionMetrics, postCallAnalytics, isTest
    }

    /// Lenient decoding: a field of an unexpected type is treated as missing (one odd call must not
    /// make a page of 100 unreadable); only `callId` is required.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        callId = try c.decode(String.self, forKey: .callId)
        callStatus = try? c.decodeIfPresent(String.self, forKey: .callStatus)
        callType = try? c.decodeIfPresent(String.self, forKey: .callType)
        createdAt = try? c.decodeIfPresent(String.self, forKey: .createdAt)
        callDuration = try? c.decodeIfPresent(Double.self, forKey: .callDuration)
        versionId = try? c.decodeIfPresent(String.self, forKey: .versionId)
        versionNumber = (try? c.decodeIfPresent(Double.self, forKey: .versionNumber)).flatMap { $0.map { Int(exactly: $0.rounded()) } } ?? nil
        callFailureReason = try? c.decodeIfPresent(String.self, forKey: .callFailureReason)
        disconnectionReason = try? c.decodeIfPresent(String.self, forKey: .disconnectionReason)
        callCost = try? c.decodeIfPresent(Double.self, forKey: .callCost)
        turnLatencyMetrics = try? c.decodeIfPresent(TurnLatencyMetrics.self, forKey: .turnLatencyMetrics)
        if let raw = try? c.decodeIfPresent([String: JSONValue].self, forKey: .dispositionMetrics) {
            var m: [String: String] = [:]
            for (k, v) in raw { if let s = v.stringValue ?? v.boolValue.map({ $0 ? "true" : "false" }) { m[k] = s } }
            dispositionMetrics = m
        }
        postCallAnalytics = try? c.decodeIfPresent(PostCallAnalytics.self, forKey: .postCallAnalytics)
        isTest = try? c.decodeIfPresent(Bool.self, forKey: .isTest)
    }

    /// The call failed: `callStatus` "failed" or a failure reason given.
    public var failed: Bool { callStatus == "failed" || (callFailureReason.map { !$0.isEmpty } ?? false) }

    /// Disposition outcomes: the top-level map, else `postCallAnalytics.dispositionMetrics`.
    public var dispositions: [String: String] {
        if let d = dispositionMetrics, !d.isEmpty { return d }
        var out: [String: String] = [:]
        for m in postCallAnalytics?.dispositionMetrics ?? [] {
            if let id = m.identifier, let v = m.value { out[id] = v }
        }
        return out
    }
}

/// `turnLatencyMetrics` of a call (milliseconds).
public struct TurnLatencyMetrics: Codable, Sendable, Hashable {
    public var avgLatency: Double?
    public var medianLatency: Double?
    public var minLatency: Double?
    public var maxLatency: Double?
    public var turns: Double?
    /// Builds metrics.
    public init(avgLatency: Double? = nil, medianLatency: Double? = nil, minLatency: Double? = nil,
                maxLatency: Double? = nil, turns: Double? = nil) {
        self.avgLatency = avgLatency
        self.medianLatency = medianLatency
        self.minLatency = minLatency
        self.maxLatency = maxLatency
        self.turns = turns
    }
}

/// `postCallAnalytics` of a call (only what the health figures read).
public struct PostCallAnalytics: Codable, Sendable, Hashable {
    /// One disposition metric's outcome.
    public struct Disposition: Codable, Sendable, Hashable {
        public var identifier: String?
        public var value: String?
        public init(identifier: String?, value: String?) {
            self.identifier = identifier
            self.value = value
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            identifier = try? c.decodeIfPresent(String.self, forKey: .identifier)
            value = try? c.decodeIfPresent(String.self, forKey: .value)
        }
    }
    public var summary: String?
    public var dispositionMetrics: [Disposition]?
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        summary = try? c.decodeIfPresent(String.self, forKey: .summary)
        dispositionMetrics = try? c.decodeIfPresent([Disposition].self, forKey: .dispositionMetrics)
    }
}

/// `GET /agent/{id}/call-logs` data: one page, newest first.
public struct CallLogPage: Codable, Sendable {
    public var callLogs: [CallLog]
    public var totalCount: Int?
    public var page: Int?
    public var offset: Int?
    /// Builds a page.
    public init(callLogs: [CallLog], totalCount: Int?, page: Int?, offset: Int?) {
        self.callLogs = callLogs
        self.totalCount = totalCount
        self.page = page
        self.offset = offset
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        callLogs = try c.decode([CallLog].self, forKey: .callLogs)
        totalCount = (try? c.decodeIfPresent(Double.self, forKey: .totalCount)).flatMap { $0.map { Int($0) } }
        page = (try? c.decodeIfPresent(Double.self, forKey: .page)).flatMap { $0.map { Int($0) } }
        offset = (try? c.decodeIfPresent(Double.self, forKey: .offset)).flatMap { $0.map { Int($0) } }
    }
}
