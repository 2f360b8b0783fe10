/// Server text built to attack a terminal, shared by the TUI goldens (TUICoreTests) and the CLI goldens
/// (ReliabilityTests): CSI and OSC sequences (ESC[2J, OSC 52 clipboard writes, OSC 0 titles), C0/C1
/// controls, bidi overrides, zero-width characters, a 100,000-character line, and what invalid UTF-8
/// leaves behind. The order of `attacks` is part of the goldens.
public enum HostileText {
    public static let clear = "Wipe\u{1B}[2J\u{1B}[H\u{1B}[31mRED\u{1B}[0m"
    public static let osc52 = "Clip\u{1B}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{07}board"
    public static let title = "Title\u{1B}]0;pwned\u{1B}\\ bar"
    public static let c0 = "bell\u{07}bs\u{08}cr\rnl\nnul\u{00}del\u{7F}"
    public static let c1 = "c1\u{9B}31mcsi\u{9D}osc\u{85}nel"
    public static let bidi = "admin\u{202E}txt.exe\u{202C} \u{2066}iso\u{2069}"
    public static let zeroWidth = "zero\u{200B}wid\u{200C}th\u{2060}jo\u{FEFF}in"
    public static let long = "L" + String(repeating: "o", count: 99_998) + "ng"
    public static let badUTF8 = String(decoding: [0x62, 0x61, 0x64, 0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x21], as: UTF8.self)
    /// Wide characters (CJK, emoji): not an attack, but they must stay aligned beside the attacks.
    public static let wide = "日本語 🤖 アシスタント"
    /// Every attack, in golden order.
    public static let attacks = [clear, osc52, title, c0, c1, bidi, zeroWidth, long, badUTF8]
    /// The attacks followed by the wide text.
    public static let attacksAndWide = attacks + [wide]
}
