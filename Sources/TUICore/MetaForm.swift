/// A version's label (required, ≤ 200) and description (≤ 2000) being typed: the publish review
/// and `L` use it. Tab moves between the two fields.
public struct MetaForm: Hashable, Sendable {
    /// The field with the cursor.
    public enum Field: Hashable, Sendable { case label, description }

    /// Longest label the API accepts.
    public static let labelLimit = 200
    /// Longest description the API accepts.
    public static let descriptionLimit = 2000

    /// The label.
    public var label: LineEditor
    /// The description.
    public var description: TextArea
    /// The field with the cursor.
    public var field: Field = .label

    /// A form holding the given values, the cursor in the label.
    public init(label: String = "", description: String = "") {
        self.label = LineEditor(label, maxLength: MetaForm.labelLimit)
        self.description = TextArea(description, maxLength: MetaForm.descriptionLimit)
    }

    /// The label without surrounding spaces.
    public var trimmedLabel: String { label.string.trimmingSpaces }

    /// Why the form cannot be sent, or nil. `labelOnly`: the form shows no description field (v2), so
    /// there is no other field to Tab to.
    public func problem(labelOnly: Bool = false) -> String? {
        if trimmedLabel.isEmpty { return labelOnly ? "a label is required" : "a label is required (Tab moves between the fields)" }
        if label.text.count > MetaForm.labelLimit { return "the label is longer than \(MetaForm.labelLimit) characters" }
        if description.count > MetaForm.descriptionLimit { return "the description is longer than \(MetaForm.descriptionLimit) characters" }
        return nil
    }

    /// Applies a key: Tab/S-Tab switch fields, the rest edits the focused field. False when unused.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if key == .tab || key == .backTab {
            field = field == .label ? .description : .label
            return true
        }
        switch field {
        case .label: return label.handle(key)
        case .description: return description.handle(key)
        }
    }
}
