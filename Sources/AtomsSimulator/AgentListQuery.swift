import Foundation

/// The query of `GET /agent`.
public struct AgentListQuery: Sendable, Equatable {
    /// 1-based page number.
    public var page: Int = 1
    /// Page size (the spec's `offset`), capped at 100.
    public var offset: Int = 10
    /// Case-insensitive substring of the name.
    public var search: String? = nil
    /// `single_prompt` or `workflow_graph`.
    public var type: String? = nil
    /// `createdAt`, `updatedAt`, `totalCalls`, `name` or `workflowType`.
    public var sortField: String = "createdAt"
    /// `asc` or `desc`.
    public var sortOrder: String = "desc"
    /// true: only archived agents; false: only active ones.
    public var archived: Bool = false

    /// The defaults of the spec.
    public init() {}
}
