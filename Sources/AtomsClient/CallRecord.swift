import Foundation
import AtomsModels

/// A call as the health figures need it: compact, with the time as seconds since 1970 (what the
/// call-log cache stores and the statistics read).
public struct CallRecord: Sendable, Hashable {
    public var callId: String
    /// Seconds since 1970 of `createdAt` (0 when the call had no readable time).
    public var time: Double
    /// nil: unattributed.
    public var versionId: String?
    public var versionNumber: Int?
    public var failed: Bool
    public var failureReason: String?
    public var disconnectionReason: String?
    public var cost: Double?
    /// The call's median turn latency (ms); nil when it reported none.
    public var latency: Double?
    public var isTest: Bool
    /// Disposition metric → outcome.
    public var dispositions: [String: String]

    /// Builds a record.
    public init(callId: String, time: Double, versionId: String?, versionNumber: Int? = nil, failed: Bool,
                failureReason: String? = nil, disconnectionReason: String? = nil, cost: Double? = nil,
                latency: Double? = nil, isTest: Bool = false, dispositions: [String: String] = [:]) {
        self.callId = callId
        self.time = time
        self.versionId = versionId
        self.versionNumber = versionNumber
        self.failed = failed
        self.failureReason = failureReason
        self.disconnectionReason = disconnectionReason
        self.cost = cost
        self.latency = latency
        self.isTest = isTest
        self.dispositions = dispositions
    }

    /// The record of a call-log item. An empty `versionId` counts as unattributed.
    public init(_ c: CallLog) {
        let version = c.versionId.flatMap { $0.isEmpty ? nil : $0 }
        self.init(callId: c.callId, time: c.createdAt.flatMap(Self.parseTime) ?? 0, versionId: version,
                  versionNumber: version == nil ? nil : c.versionNumber, failed: c.failed,
                  failureReason: c.callFailureReason.flatMap { $0.isEmpty ? nil : $0 },
                  disconnectionReason: c.disconnectionReason.flatMap { $0.isEmpty ? nil : $0 },
                  cost: c.callCost.flatMap { $0.isFinite ? $0 : nil },
                  latency: (c.turnLatencyMetrics?.medianLatency ?? c.turnLatencyMetrics?.avgLatency).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil },
                  isTest: c.isTest ?? false, dispositions: c.dispositions)
    }

    /// Seconds since 1970 of an ISO-8601 time (`2026-08-21T10:00:00.123Z`, fractional seconds and a
    /// `±HH:MM` offset optional); nil when it is not one.
    public static func parseTime(_ s: String) -> Double? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= b.count else { return nil }
            var v = 0
            for i in from..<(from + n) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 19, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116 || b[10] == 32, b[13] == 58, b[16] == 58,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var i = 19
        var frac = 0.0
        if i < b.count && b[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count && b[i] >= 48 && b[i] <= 57 { frac += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            if i == start { return nil }
        }
        var offset = 0
        if i < b.count && (b[i] == 90 || b[i] == 122) {
            i += 1
        } else if i < b.count && (b[i] == 43 || b[i] == 45) {
            guard let oh = num(i + 1, 2), i + 3 < b.count else { return nil }
            let hasColon = b[i + 3] == 58
            guard let om = num(i + (hasColon ? 4 : 3), 2) else { return nil }
            offset = (b[i] == 43 ? 1 : -1) * (oh * 3600 + om * 60)
            i += hasColon ? 6 : 5
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + h * 3600 + mi * 60 + se - offset) + frac
    }

    /// ISO-8601 in UTC with milliseconds (`2026-12-01T18:09:00.123Z`). Written by hand, the inverse of the
    /// parser above: Foundation's `ISO8601DateFormatter` goes through ICU, whose data then sits in the
    /// TUI's memory for good (BENCHMARKS.md, RSS).
    public static func isoTime(_ t: Double) -> String {
        var ms = Int64((t * 1000).rounded())
        var secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        ms -= secs * 1000
        var days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        secs -= days * 86_400
        // Civil date from days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ n: Int64, _ width: Int) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(secs / 3600, 2) + ":" + pad(secs % 3600 / 60, 2) + ":"
            + pad(secs % 60, 2) + "." + pad(ms, 3) + "Z"
    }
}
