import Foundation

/// How names people type are compared, by the CLI (`AtomsClient.NameMatching`) and the TUI's filters
/// alike: case, accents and width ignored, surrounding space trimmed (`Zoë ` ≡ `zoe`, `CAFÉ` ≡ `cafe`).
/// The one implementation; `NameMatching.fold` is this.
public enum NameFolding {
    /// The comparison key of `s`.
    public static func fold(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        // ASCII has no accents or wide forms: lowercasing is the whole fold (and far cheaper, for lists
        // filtered on every keystroke).
        if t.utf8.allSatisfy({ $0 < 0x80 }) { return t.lowercased() }
        return t.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
