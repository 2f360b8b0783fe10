import Foundation

/// The reason a security check failed, as put after "… failed its security check: ". Servers (and the
/// simulator) often start the reason with "Security check failed: " themselves; that lead is dropped so
/// messages never say "security check failed: Security check failed: …".
public enum CheckReason {
    /// The reason without a leading "Security check failed" (any case, with its `:`/`-`), or
    /// "no reason given" when there is none.
    public static func text(_ reason: String?) -> String {
        guard var r = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !r.isEmpty else { return "no reason given" }
        let lead = "security check failed"
        while r.lowercased().hasPrefix(lead) {
            r = String(r.dropFirst(lead.count)).trimmingCharacters(in: CharacterSet(charactersIn: " :-—.").union(.whitespaces))
        }
        return r.isEmpty ? "no reason given" : r
    }
}
