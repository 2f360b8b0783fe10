import AtomsModels
import Foundation
import TUICore

/// Printing helpers for the CLI: tables of sanitized server text, JSON, stderr.
enum CLIOutput {
    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func stdout(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Pretty JSON of any Encodable (server text stays raw here, correctly escaped).
    static func json<T: Encodable>(_ value: T) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? enc.encode(value) { stdout(String(decoding: data, as: UTF8.self) + "\n") }
    }

    /// An aligned table; every cell is sanitized and measured in display cells.
    static func table(_ header: [String], _ rows: [[String]]) {
        let lines = TextTable(headers: header, rows: rows).lines()
        stdout(lines.joined(separator: "\n") + "\n")
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}
