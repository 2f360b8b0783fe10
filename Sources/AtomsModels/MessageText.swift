import Foundation

/// Wording helpers for messages shown to people (the CLI's stderr lines).
public enum MessageText {
    /// `s` as a sentence: its first letter upper-cased — unless that would change a name. The message is
    /// left alone when its first word (up to a space, colon or comma) holds anything but letters and
    /// apostrophes (a file name `bad.yaml`, a version `v3's`, a path, a flag, a quote) or an upper-case
    /// letter (a camelCase key such as `firstMessage`).
    public static func sentence(_ s: String) -> String {
        guard let first = s.first, first.isLowercase else { return s }
        let word = s.prefix { $0 != " " && $0 != ":" && $0 != "," }
        let plain = word.allSatisfy { ($0.isLetter && !$0.isUppercase) || $0 == "'" || $0 == "’" }
        guard plain else { return s }
        return first.uppercased() + s.dropFirst()
    }
}
