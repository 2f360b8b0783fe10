/// Runs work over items with at most `limit` at a time; results in item order. Bulk commands keep the
/// number of requests in flight small (the client's rate limiting and 429 handling do the rest).
public enum Bounded {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            while next < min(max(1, limit), items.count) {
                let i = next
                group.addTask { (i, await body(items[i])) }
                next += 1
            }
            for await (i, r) in group {
                results[i] = r
                if next < items.count {
                    let j = next
                    group.addTask { (j, await body(items[j])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
