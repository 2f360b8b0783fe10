import Foundation

/// Mongo-style 24-hex ids, as the Atoms API uses for agents, versions, drafts, branches, revisions.
public enum ObjectID {
    /// True when `s` matches `^[a-f\d]{24}$`.
    public static func isValid(_ s: String) -> Bool {
        s.utf8.count == 24 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Builds an id from a timestamp (seconds) and a counter, like Mongo: 8 hex of time, 16 of counter.
    public static func make(seconds: Int, counter: UInt64) -> String {
        let t = String(UInt32(truncatingIfNeeded: max(0, seconds)), radix: 16)
        let c = String(counter, radix: 16)
        return String(repeating: "0", count: 8 - t.count) + t + String(repeating: "0", count: 16 - c.count) + c
    }
}
