/// The ASCII fallback for terminals without a UTF-8 locale: every cell that is not ASCII becomes an
/// ASCII stand-in of the same width (box drawing → `+-|`, marks → `*o^v`, wide characters → `??`).
extension Screen {
    /// ASCII stand-ins for the characters the TUI itself draws.
    static let asciiStandIns: [Character: Character] = [
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "─": "-", "│": "|", "━": "-", "┃": "|", "═": "=", "║": "|",
        "●": "*", "○": "o", "◆": "#", "★": "*", "↑": "^", "↓": "v", "←": "<", "→": ">", "⇠": "<", "⇥": ">", "↺": "@",
        "…": "~", "·": ".", "—": "-", "–": "-", "−": "-", "✓": "v", "✗": "x", "⚠": "!", "▏": "|", "█": "#", "░": ".",
        "▓": "#", "▒": ":", "⠋": "-", "⠙": "\\", "⠹": "|", "⠸": "/", "⠼": "-", "⠴": "\\", "⠦": "|", "⠧": "/", "⠇": "-", "⠏": "\\",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "×": "x", "⏎": "$", "␤": "$",
    ]

    /// Replaces every non-ASCII cell by its stand-in (`?` for characters without one; a wide
    /// character's two cells become `??`).
    public mutating func makeASCII() {
        for y in 0..<height {
            for x in 0..<width {
                let c = self[x, y]
                if c.character.isASCII && c.width == 1 { continue }
                let replacement: Character
                if c.isContinuation {
                    replacement = "?"
                } else if c.width == 1, let s = Screen.asciiStandIns[c.character] {
                    replacement = s
                } else {
                    replacement = "?"
                }
                setCell(x, y, Cell(character: replacement, width: 1, style: c.style))
            }
        }
    }
}
