import Foundation

/// A small, allocation-free ISO 8601 parser for the API's timestamps
/// (`2026-08-21T10:00:00Z`, `2026-08-21T10:00:00.123Z`, `…+05:30`). Pure; no formatter objects.
public enum ISODate {
    /// The instant `text` names, or nil when it is not an ISO 8601 date-time (a bare date counts as midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= u.count else { return nil }
            var n = 0
            for i in from..<(from + len) {
                let c = u[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard let y = num(0, 4), u.count >= 10, u[4] == 0x2D, let mo = num(5, 2), u[7] == 0x2D, let d = num(8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var secs = 0.0
        var offset = 0
        if u.count > 10 {
            guard u[10] == 0x54 || u[10] == 0x20, let h = num(11, 2), u.count > 13, u[13] == 0x3A, let mi = num(14, 2) else { return nil }
            var i = 16
            var s = 0
            if i < u.count, u[i] == 0x3A { guard let ss = num(17, 2) else { return nil }; s = ss; i = 19 }
            var frac = 0.0
            if i < u.count, u[i] == 0x2E || u[i] == 0x2C {
                i += 1
                var scale = 0.1
                while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { frac += Double(u[i] - 0x30) * scale; scale /= 10; i += 1 }
            }
            if i < u.count {
                if u[i] == 0x5A || u[i] == 0x7A { i += 1 } else if u[i] == 0x2B || u[i] == 0x2D {
                    let sign = u[i] == 0x2D ? -1 : 1
                    guard let oh = num(i + 1, 2) else { return nil }
                    var om = 0
                    if i + 3 < u.count, u[i + 3] == 0x3A { om = num(i + 4, 2) ?? 0; i += 6 } else if let m = num(i + 3, 2) { om = m; i += 5 } else { i += 3 }
                    offset = sign * (oh * 3600 + om * 60)
                } else { return nil }
            }
            guard i == u.count else { return nil }
            secs = Double(h * 3600 + mi * 60 + s) + frac
        }
        let days = daysFromCivil(y, mo, d)
        return Date(timeIntervalSince1970: Double(days) * 86400 + secs - Double(offset))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
