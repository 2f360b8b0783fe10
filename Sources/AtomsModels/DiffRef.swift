import Foundation

/// One side of `GET /agent/{id}/diff?a=&b=`: a revision id or a branch's open draft (`<branchId>:draft`).
public enum DiffRef: Sendable, Hashable, CustomStringConvertible {
    case revision(String)
    case draft(branchId: String)

    /// The query value.
    public var wireValue: String {
        switch self {
        case .revision(let id): return id
        case .draft(let b): return "\(b):draft"
        }
    }

    /// Parses a query value; nil unless it is a 24-hex id or `<24-hex>:draft`.
    public init?(wireValue: String) {
        if wireValue.hasSuffix(":draft") {
            let id = String(wireValue.dropLast(6))
            guard ObjectID.isValid(id) else { return nil }
            self = .draft(branchId: id)
        } else {
            guard ObjectID.isValid(wireValue) else { return nil }
            self = .revision(wireValue)
        }
    }

    public var description: String { wireValue }
}
