import Foundation

/// Compact relative ages for tables: `now`, `45s`, `3m`, `2h`, `5d`, `7w`, `2y`.
public enum RelativeAge {
    /// The age of `date` at `now`. Future dates (clock skew) read `now`.
    public static func format(_ date: Date, now: Date) -> String {
        let s = Int(now.timeIntervalSince(date))
        if s < 1 { return "now" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        if s < 86400 * 60 { return "\(s / 86400)d" }
        if s < 86400 * 365 { return "\(s / (86400 * 7))w" }
        return "\(s / (86400 * 365))y"
    }

    /// The age of an ISO 8601 timestamp; `-` when it is missing or unreadable.
    public static func format(iso: String?, now: Date) -> String {
        guard let iso, let d = ISODate.parse(iso) else { return "-" }
        return format(d, now: now)
    }

    /// The age as a phrase for sentences: `just now`, `3m ago`; `-` when missing or unreadable.
    public static func phrase(iso: String?, now: Date) -> String {
        guard let iso, let d = ISODate.parse(iso) else { return "-" }
        let age = format(d, now: now)
        return age == "now" ? "just now" : age + " ago"
    }
}
