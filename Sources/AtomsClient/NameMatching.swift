import AtomsModels
import Foundation

/// How the CLI (and the resolver behind it) matches names people type: case- and accent-insensitively,
/// and, when nothing matches, which names are close enough to suggest ("did you mean …").
public enum NameMatching {
    /// The comparison key: case, accents and surrounding space ignored (`Zoë ` ≡ `zoe`). Shared with the
    /// TUI's filters: `AtomsModels.NameFolding`.
    public static func fold(_ s: String) -> String { NameFolding.fold(s) }

    /// Candidates whose folded name equals the folded `ref`. Two of them ("Dup" and "dup") make the
    /// name ambiguous even when one matches exactly: a name that differs only in case or accents is too
    /// easy to mistype to act on.
    public static func matches<T>(_ ref: String, in candidates: [T], name: (T) -> String) -> [T] {
        let key = fold(ref)
        return candidates.filter { fold(name($0)) == key }
    }

    /// Up to `limit` names closest to `ref` (edit distance of the folded forms, or containing it), best first.
    public static func suggestions(for ref: String, among names: [String], limit: Int = 3) -> [String] {
        let key = fold(ref)
        guard !key.isEmpty else { return [] }
        var scored: [(name: String, score: Int)] = []
        var seen: Set<String> = []
        for n in names where !seen.contains(n) {
            seen.insert(n)
            let f = fold(n)
            let d = distance(key, f)
            let budget = max(2, key.count / 3)
            if d <= budget {
                scored.append((n, d))
            } else if f.contains(key) || (f.count >= 3 && key.contains(f)) {
                scored.append((n, budget + 1))
            }
        }
        return scored.sorted { $0.score != $1.score ? $0.score < $1.score : $0.name < $1.name }.prefix(limit).map(\.name)
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
