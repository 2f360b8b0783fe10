import Foundation
import AtomsModels

/// How release-health figures are written, in the TUI and the CLI alike.
public enum HealthFormat {
    /// "18.3%" (one decimal).
    public static func percent(_ rate: Double) -> String {
        String(format: "%.1f%%", rate * 100)
    }

    /// "14.4–23.0%".
    public static func interval(_ i: Interval) -> String {
        String(format: "%.1f–%.1f%%", i.low * 100, i.high * 100)
    }

    /// "820 ms" below 10 s, else "12.3 s"; "-" when unknown.
    public static func milliseconds(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "-" }
        return ms < 10_000 ? "\(Int(ms.rounded())) ms" : String(format: "%.1f s", ms / 1000)
    }

    /// "$0.1200"; "-" when unknown.
    public static func cost(_ c: Double?) -> String {
        guard let c, c.isFinite else { return "-" }
        return String(format: "$%.4f", c)
    }

    /// "v13" (v1) or "r13" (v2); the id's last 6 characters when the number is unknown; "unattributed" for nil.
    public static func versionName(_ h: VersionHealth, generation: APIGeneration) -> String {
        guard let id = h.versionId else { return "unattributed" }
        if let n = h.versionNumber { return (generation == .v2 ? "r" : "v") + String(n) }
        return "…" + String(id.suffix(6))
    }

    /// "llm_timeout 20 · tts_error 18" (sanitized: reasons are server text).
    public static func reasons(_ r: [ReasonCount]) -> String {
        r.isEmpty ? "none" : r.map { "\(Sanitizer.sanitize($0.reason, maxCharacters: 60)) \($0.count)" }.joined(separator: " · ")
    }

    /// "resolved: yes 62% · no 38%".
    public static func dispositions(_ d: DispositionShares) -> String {
        let shares = d.outcomes.map { o in
            "\(Sanitizer.sanitize(o.reason, maxCharacters: 40)) \(d.total == 0 ? 0 : Int((Double(o.count) / Double(d.total) * 100).rounded()))%"
        }
        return "\(Sanitizer.sanitize(d.metric, maxCharacters: 40)): " + shares.joined(separator: " · ")
    }

    /// A sparkline of counts, one block per value, scaled to the largest ("▁▃█"; " " for 0) — or to
    /// the largest of `scaleTo` (failures drawn on the scale of calls); at most `width` blocks
    /// (neighbouring values are summed to fit).
    public static func sparkline(_ values: [Int], width: Int, scaleTo: [Int]? = nil) -> String {
        guard !values.isEmpty, width > 0 else { return "" }
        func fit(_ xs: [Int]) -> [Int] {
            guard xs.count > width else { return xs }
            let per = (xs.count + width - 1) / width
            return stride(from: 0, to: xs.count, by: per).map { xs[$0..<min(xs.count, $0 + per)].reduce(0, +) }
        }
        let v = fit(values)
        let top = max(v.max() ?? 0, scaleTo.map { fit($0).max() ?? 0 } ?? 0)
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return String(v.map { x -> Character in
            guard x > 0, top > 0 else { return " " }
            return blocks[min(7, max(0, Int((Double(x) / Double(top) * 7).rounded())))]
        })
    }
}
