import Foundation

/// The durations of the last security checks seen for one account, kept in the state directory,
/// so the progress bar's expected duration is the median of what this account really sees.
public struct CheckDurationHistory: Sendable {
    /// The default before any check was seen.
    public static let defaultExpected: TimeInterval = 6
    /// How many recent durations are kept.
    public static let keep = 20

    let file: URL

    /// A history for one account; `accountKey` is a fingerprint, never the API key itself.
    public init(stateDirectory: URL, accountKey: String) {
        let safe = accountKey.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        file = stateDirectory.appendingPathComponent("check-durations-\(safe.prefix(40)).json")
    }

    /// The recorded durations, oldest first.
    public func load() -> [TimeInterval] {
        guard let data = try? Data(contentsOf: file), let list = try? JSONDecoder().decode([TimeInterval].self, from: data) else { return [] }
        return list.filter { $0.isFinite && $0 > 0 }
    }

    /// The median of the recorded durations, or 6 s when there are none.
    public func expected() -> TimeInterval {
        let list = load().sorted()
        guard !list.isEmpty else { return Self.defaultExpected }
        let mid = list.count / 2
        return list.count % 2 == 1 ? list[mid] : (list[mid - 1] + list[mid]) / 2
    }

    /// Records one observed duration.
    public func record(_ seconds: TimeInterval) {
        guard seconds.isFinite, seconds > 0 else { return }
        var list = load()
        list.append(seconds)
        if list.count > Self.keep { list.removeFirst(list.count - Self.keep) }
        if let data = try? JSONEncoder().encode(list) { try? AppPaths.writePrivate(data, to: file) }
    }

    /// A stable, non-reversible fingerprint of base URL + key (FNV-1a 64), for file names.
    public static func accountFingerprint(baseURL: URL, apiKey: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in (baseURL.absoluteString + "\u{0}" + apiKey).utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }
}
