/// A value the Runtime hands the core with a message, for the core to hand back in a later effect:
/// the client-side state of an edit or a rebase between its steps (AtomsClient's `DraftEditSession`,
/// `RebasePlan`, …), which TUICore cannot name and never looks into. The core keeps it in its state
/// (`AppState.editSession`) or puts it straight into the next effect (a rebase's phases), so the
/// effect carries everything it needs and the runner keeps no per-edit store.
///
/// Opaque on purpose: equality and hashing are by identity (each `Carried` made is a new token), so
/// `Effect`, `Msg` and `EditEvent` stay `Hashable` and tests can assert that the very value a message
/// brought is the one an effect carries back. Its description names the payload's type only — the
/// payload holds the person's config text, which is never logged.
public struct Carried: Hashable, Sendable, CustomStringConvertible {
    /// The token: one reference per value made.
    private final class Token: Sendable {
        let payload: any Sendable
        init(_ payload: any Sendable) { self.payload = payload }
    }

    private let token: Token

    /// Wraps a payload in a new token (unequal to every other `Carried`).
    public init(_ payload: any Sendable) {
        token = Token(payload)
    }

    /// The payload, if it is a `T` (the Runtime reads its own values back; nil otherwise).
    public func payload<T>(as type: T.Type = T.self) -> T? {
        token.payload as? T
    }

    public static func == (a: Carried, b: Carried) -> Bool { a.token === b.token }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(token)) }

    /// `Carried(EditInProgress)`: the payload's type, never its contents.
    public var description: String { "Carried(\(type(of: token.payload)))" }
}
