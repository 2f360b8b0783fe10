import ArgumentParser
import AtomsClient
import AtomsModels

/// Runs a check of the shared client inside a command's `validate()` and reports its refusal as a usage
/// error: ArgumentParser exits 1 for any error from `validate()` but a `ValidationError`, and the README
/// promises exit 2 for input judged before anything is sent.
enum UsageRule {
    /// Runs `check`; an `AtomsError(.invalidInput)` becomes a `ValidationError` with the same words, plus
    /// `advice` (what to do) and "nothing was sent".
    static func check(advice: String? = nil, _ check: () throws -> Void) throws {
        do {
            try check()
        } catch let e as AtomsError where e.kind == .invalidInput {
            let words = e.serverErrors.isEmpty ? e.description : e.serverErrors.joined(separator: "; ")
            throw ValidationError(MessageText.sentence(words + (advice.map { " — \($0)" } ?? "") + "; nothing was sent"))
        }
    }

    /// Label ≤ 200 characters and description ≤ 2000 (`Lifecycle.validatePublish`), as a usage error.
    static func publishText(label: String?, description: String?) throws {
        try check(advice: "shorten it") { try Lifecycle.validatePublish(label: label, description: description) }
    }
}
