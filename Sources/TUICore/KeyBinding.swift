import AtomsModels

/// One row of the keymap: the keys, the action, the help text, and why the action is unavailable
/// in a given state (nil when it is available). The footer legend and the `?` overlay are generated
/// from these rows.
public struct KeyBinding: Sendable {
    /// The keys that trigger the action.
    public var keys: [Key]
    /// How the keys are written in the legend and help (`↑/k`).
    public var label: String
    /// The action.
    public var action: Action
    /// A short verb for the legend (`fork`).
    public var short: String
    /// The help overlay's sentence.
    public var help: String
    /// Shown in the footer legend (space permitting, in table order).
    public var inLegend: Bool
    /// Why the action cannot run now, or nil.
    public var whyDisabled: @Sendable (AppState) -> String?
    /// The API generation the binding belongs to, nil for both.
    public var generation: APIGeneration?

    /// Builds a binding.
    public init(keys: [Key], label: String, action: Action, short: String, help: String, inLegend: Bool = false,
                generation: APIGeneration? = nil, whyDisabled: @escaping @Sendable (AppState) -> String? = { _ in nil }) {
        self.generation = generation
        self.keys = keys
        self.label = label
        self.action = action
        self.short = short
        self.help = help
        self.inLegend = inLegend
        self.whyDisabled = whyDisabled
    }

    /// True when the binding is in effect on an account of `generation`.
    public func applies(to generation: APIGeneration) -> Bool { self.generation == nil || self.generation == generation }
}
