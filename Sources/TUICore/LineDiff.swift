/// A line diff (longest common subsequence) for showing prompts with `+`/`−` lines.
public enum LineDiff {
    /// One line of a diff.
    public enum Line: Hashable, Sendable {
        case same(String)
        case added(String)
        case removed(String)
    }

    /// The lines turning `old` into `new`. Common prefix and suffix are matched first; the middle
    /// uses an LCS table when it is small enough (≤ 4 million cells), else it is shown as removed then added.
    public static func diff(_ old: [String], _ new: [String]) -> [Line] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        var out: [Line] = old[0..<prefix].map { .same($0) }
        if a.count * b.count > 4_000_000 || a.isEmpty || b.isEmpty {
            out += a.map { .removed($0) } + b.map { .added($0) }
        } else {
            let n = a.count, m = b.count
            var t = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : max(t[i + 1][j], t[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, a[i] == b[j] { out.append(.same(a[i])); i += 1; j += 1 }
                else if i < n, j == m || t[i + 1][j] >= t[i][j + 1] { out.append(.removed(a[i])); i += 1 }
                else { out.append(.added(b[j])); j += 1 }
            }
        }
        out += old[(old.count - suffix)...].map { .same($0) }
        return out
    }
}
