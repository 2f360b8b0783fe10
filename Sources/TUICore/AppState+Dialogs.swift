extension AppState {
    /// A dialog of wrapped lines (each with its style) and a footer line of keys.
    func drawMessage(_ screen: inout Screen, title: String, lines: [(String, Style)], footer: String, width: Int = 76) {
        let textW = max(1, min(screen.width - 6, width - 4))
        var body: [(String, Style)] = []
        for (text, style) in lines {
            for piece in wordWrap(text, width: textW) { body.append((piece, style)) }
        }
        let footerLines = wordWrap(footer, width: textW)
        let r = dialogRect(screen, width: textW + 4, height: body.count + footerLines.count + 3)
        drawDialog(&screen, r, title: title)
        let bottom = r.y + r.height - 1 - footerLines.count
        for (i, l) in body.enumerated() where r.y + 1 + i < bottom - 1 {
            screen.put(l.0, x: r.x + 2, y: r.y + 1 + i, maxWidth: r.width - 4, style: l.1)
        }
        for (i, l) in footerLines.enumerated() {
            screen.putKeys(l, x: r.x + 2, y: bottom + i, maxWidth: r.width - 4, style: .warning,
                           continuation: i > 0 && !footerLines[i - 1].hasSuffix("·"))
        }
    }
}

extension AppState {
    /// Closes a name dialog that waited for the server (its write went through).
    mutating func closePendingInput() {
        if case .input(let p)? = overlay, p.pending { overlay = nil }
    }
}
