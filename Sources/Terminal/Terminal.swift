#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import Foundation
import TUICore

/// The real terminal, through ncurses: start and restore, keys in, `Screen`s out.
/// The only code that talks to curses. Use it from one thread (the Runtime's loop).
public final class Terminal {
    /// Counters for benchmarks and tests of drawing efficiency.
    public struct Stats: Hashable, Sendable {
        /// Frames presented.
        public var frames = 0
        /// Frames that rewrote every cell (first frame, resize, resume).
        public var fullRedraws = 0
        /// Cells written to curses.
        public var cellsWritten = 0
        /// UTF-8 bytes of text handed to curses.
        public var bytesWritten = 0
        /// Runs (move + write) issued.
        public var runs = 0
        /// Rows repainted whole because they hold multi-code-point clusters.
        public var rowsRepainted = 0
    }

    /// Colours are off (`NO_COLOR` set, or the terminal has none): styles use attributes only.
    public private(set) var monochrome: Bool
    /// Drawing counters.
    public private(set) var stats = Stats()
    /// The user's locale is UTF-8 (known after `start()`); without it the TUI draws in ASCII.
    /// `ATOMS_ASCII=1` asks for ASCII anyway.
    public private(set) var unicode = true
    private var previous: Screen?
    private var started = false
    private var suspended = false

    /// Clicks and the wheel are reported (`--no-mouse` turns it off; Shift+drag still selects text in
    /// common terminals while it is on).
    public let mouse: Bool

    /// A terminal that is not started yet. `noColor` defaults to whether `NO_COLOR` is set (and non-empty).
    public init(noColor: Bool? = nil, mouse: Bool = false) {
        self.mouse = mouse
        if let noColor {
            monochrome = noColor
        } else if let v = getenv("NO_COLOR") {
            monochrome = v.pointee != 0
        } else {
            monochrome = false
        }
    }

    deinit { if started { TerminalSignals.restore() } }

    /// Takes over the terminal: UTF-8 locale (falling back to C.UTF-8), curses in cbreak/noecho/keypad
    /// mode, short Esc delay, hidden cursor, colours (unless monochrome), and the signal/exit handlers
    /// that restore the terminal on every way out.
    public func start() {
        guard !started else { return }
        setlocale(LC_ALL, "")
        unicode = String(cString: tui_codeset()) == "UTF-8" && ProcessInfo.processInfo.environment["ATOMS_ASCII"] != "1"
        if String(cString: tui_codeset()) != "UTF-8" {
            // Curses still needs a UTF-8 locale to read keys and width text; what is drawn is ASCII (`unicode`).
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        initscr()
        TerminalSignals.cursesActive.store(true, ordering: .sequentiallyConsistent)
        TerminalSignals.install()
        cbreak()
        noecho()
        nonl()
        keypad(tui_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if mouse { tui_mouse(1) }
        if !monochrome && has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_GREEN), -1)
            init_pair(2, Int16(COLOR_YELLOW), -1)
            init_pair(3, Int16(COLOR_RED), -1)
            init_pair(4, Int16(COLOR_CYAN), -1)
            init_pair(5, Int16(COLOR_WHITE), Int16(COLOR_RED))
            init_pair(6, Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
            init_pair(7, Int16(COLOR_WHITE), Int16(COLOR_BLUE))
        } else {
            monochrome = true
        }
        started = true
        previous = nil
    }

    /// Gives the terminal back (idempotent). Every exit path ends here or in the signal/atexit handlers.
    public func restore() {
        guard started else { return }
        started = false
        curs_set(1)
        TerminalSignals.restore()
    }

    /// The terminal size now.
    public var size: Size {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        return unlockedSize()
    }

    private func unlockedSize() -> Size {
        guard started else { return Size(width: 80, height: 24) }
        var y: Int32 = 0, x: Int32 = 0
        tui_getmaxyx(tui_stdscr(), &y, &x)
        return Size(width: Int(x), height: Int(y))
    }

    /// Serialises curses between the key reader thread and the loop (curses is not thread-safe).
    let cursesLock = NSLock()

    /// Reads every key that is waiting, without blocking (the key reader calls this when `poll` says
    /// the terminal has input). Escape sequences still get curses' short Esc delay to complete.
    func readAvailableKeys() -> [Key] {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        guard started, !suspended else { return [] }
        wtimeout(tui_stdscr(), 0)
        var keys: [Key] = []
        while keys.count < 256 {
            var ch: wint_t = 0
            let rc = wget_wch(tui_stdscr(), &ch)
            if rc == ERR { break }
            var key = Terminal.decode(rc: rc, code: Int(ch))
            if rc == KEY_CODE_YES, Int32(ch) == KEY_MOUSE {
                var x: Int32 = 0, y: Int32 = 0
                switch tui_getmouse(&x, &y) {
                case 1: key = .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .click))
                case 4: key = .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .wheelUp))
                case 5: key = .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .wheelDown))
                default: continue
                }
            }
            if key == .resize { previous = nil }
            keys.append(key)
        }
        return mouse ? Terminal.mergeMouseReports(keys) : keys
    }

    /// Turns SGR mouse reports that curses handed over as plain characters (`Esc [ < b ; x ; y M`) into
    /// `.mouse` keys: a button-1 press is a click, buttons 64/65 the wheel; releases and motion are
    /// dropped. Anything else passes unchanged. Pure, for tests.
    public static func mergeMouseReports(_ keys: [Key]) -> [Key] {
        guard keys.contains(.escape) else { return keys }
        var out: [Key] = []
        var i = 0
        while i < keys.count {
            if keys[i] == .escape, i + 2 < keys.count, keys[i + 1] == .char("["), keys[i + 2] == .char("<") {
                var j = i + 3
                var numbers: [Int] = [0]
                var end: Character?
                while j < keys.count, case .char(let c) = keys[j] {
                    if let d = c.wholeNumberValue, c.isASCII { numbers[numbers.count - 1] = min(100_000, numbers[numbers.count - 1] * 10 + d) }
                    else if c == ";" { numbers.append(0) }
                    else if c == "M" || c == "m" { end = c; break }
                    else { break }
                    j += 1
                }
                if let end, numbers.count == 3 {
                    let (b, x, y) = (numbers[0], numbers[1] - 1, numbers[2] - 1)
                    if end == "M", x >= 0, y >= 0 {
                        switch b {
                        case 0: out.append(.mouse(MouseEvent(x: x, y: y, kind: .click)))
                        case 64: out.append(.mouse(MouseEvent(x: x, y: y, kind: .wheelUp)))
                        case 65: out.append(.mouse(MouseEvent(x: x, y: y, kind: .wheelDown)))
                        default: break
                        }
                    }
                    i = j + 1
                    continue
                }
            }
            out.append(keys[i])
            i += 1
        }
        return out
    }

    /// Tells curses the window's new size (after SIGWINCH); the next `present` redraws everything.
    func applyResize() {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        guard started, !suspended else { return }
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 {
            resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        previous = nil
    }

    /// Maps a `get_wch` result to a key: `rc == KEY_CODE_YES` means `code` is a curses key code,
    /// `rc == OK` a character. Public and pure so it can be tested without a terminal.
    public static func decode(rc: Int32, code: Int) -> Key {
        if rc == KEY_CODE_YES {
            switch Int32(code) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE: return .resize
            default: return .unknown(code)
            }
        }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code + 96))))
        case 0x20..<0x7F, 0xA0...0x10FFFF:
            guard let s = Unicode.Scalar(UInt32(code)) else { return .unknown(code) }
            return .char(Character(s))
        default: return .unknown(code)
        }
    }

    /// Forgets the last frame: the next `present` writes every cell and repaints the terminal.
    public func invalidate() {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        previous = nil
        if started { clearok(tui_curscr(), true) }
    }

    /// Shows a frame, writing only the cells that changed since the last one (all cells after a
    /// size change or `invalidate`).
    public func present(_ screen: Screen) {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        guard started, !suspended else { return }
        let current = unlockedSize()
        if current != screen.size || previous?.size != screen.size {
            previous = nil
            werase(tui_stdscr())
        }
        if previous == nil { stats.fullRedraws += 1 }
        let runs = screen.changes(from: previous)
        let win = tui_stdscr()
        var set = (tui_A_NORMAL(), Int16(0))
        for run in runs {
            var (attrs, pair) = attributes(run.style)
            if run.text.utf8.allSatisfy({ $0 == 0x20 }) {
                (attrs, pair) = Terminal.blankAttributes(cells: run.cells, style: (attrs, pair), current: set)
            }
            if attrs != set.0 || pair != set.1 {
                tui_wattr_set(win, attrs, pair)
                set = (attrs, pair)
            }
            // The bottom-right cell answers ERR (the cursor cannot advance) but is drawn; scrollok is off.
            mvwaddstr(win, Int32(run.y), Int32(run.x), run.text)
            stats.cellsWritten += run.cells
            stats.bytesWritten += run.text.utf8.count
            stats.runs += 1
        }
        tui_wattr_set(win, tui_A_NORMAL(), 0)
        // Rows holding clusters of several code points (Indic conjuncts and vowel signs, emoji
        // sequences) are where a terminal's idea of widths can differ from curses': when such a row
        // changes — or held such text before — it is repainted whole, so nothing stale stays behind.
        if let prev = previous {
            var done = Set<Int>()
            for run in runs where !done.contains(run.y) {
                done.insert(run.y)
                if Terminal.hasClusters(screen, row: run.y) || Terminal.hasClusters(prev, row: run.y) {
                    wredrawln(win, Int32(run.y), 1)
                    stats.rowsRepainted += 1
                }
            }
        }
        wnoutrefresh(win)
        doupdate()
        stats.frames += 1
        previous = screen
    }

    /// Leaves curses around a child process (the editor): saves the program mode and restores the shell mode.
    public func suspend() {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        guard started, !suspended else { return }
        suspended = true
        def_prog_mode()
        TerminalSignals.restore()
        TerminalSignals.childRunning.store(true, ordering: .sequentiallyConsistent)
    }

    /// The terminating signal (SIGINT, SIGTERM, SIGHUP) that asked the app to end, if any: the loop
    /// checks it whenever it wakes and leaves through its normal clean-up.
    public var terminationSignal: Int32? {
        let s = TerminalSignals.pendingSignal.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    /// The pending terminating signal, from any thread (the editor hand-off checks it).
    public static var pendingTerminationSignal: Int32? {
        let s = TerminalSignals.pendingSignal.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    /// True once after Ctrl-Z was pressed (the loop then calls `stopProcess`).
    public func takeStopRequest() -> Bool {
        TerminalSignals.stopRequested.exchange(false, ordering: .sequentiallyConsistent)
    }

    /// True once after the process was continued by someone else's SIGCONT (the loop repaints).
    public func takeContinued() -> Bool {
        TerminalSignals.continued.exchange(false, ordering: .sequentiallyConsistent)
    }

    /// Marks the editor child as owning the terminal (`pid`), or no longer (nil): terminating
    /// signals are forwarded to it, and Ctrl-Z stops the tool together with it.
    public static func editorChild(_ pid: Int32?) {
        TerminalSignals.childPid.store(pid ?? 0, ordering: .sequentiallyConsistent)
    }

    /// Comes back after `suspend()`: restores the program mode, drops keys typed meanwhile and
    /// repaints everything on the next `present`.
    public func resume() {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        guard started, suspended else { return }
        TerminalSignals.childRunning.store(false, ordering: .sequentiallyConsistent)
        suspended = false
        reset_prog_mode()
        TerminalSignals.cursesActive.store(true, ordering: .sequentiallyConsistent)
        curs_set(0)
        flushinp()
        previous = nil
        clearok(tui_curscr(), true)
        refresh()
    }

    /// Ctrl-Z, from the loop: give the terminal back, stop the process (SIGSTOP), and once continued
    /// (`fg`) take the terminal again; the next `present` repaints everything.
    public func stopProcess() {
        cursesLock.lock()
        defer { cursesLock.unlock() }
        let wasActive = started && !suspended && TerminalSignals.cursesActive.load(ordering: .sequentiallyConsistent)
        if wasActive {
            def_prog_mode()
            TerminalSignals.restore()
        }
        TerminalSignals.stopUntilContinued()
        if wasActive {
            reset_prog_mode()
            TerminalSignals.cursesActive.store(true, ordering: .sequentiallyConsistent)
            curs_set(0)
            previous = nil
            clearok(tui_curscr(), true)
            refresh()
        }
    }

    /// The longest text `copyToClipboard` sends (base64 grows it by a third; terminals cap OSC 52 near 100 KB).
    public static let clipboardLimit = 74_000

    /// Whether OSC 52 can reach a clipboard here, decided once from the environment: nil when it can,
    /// else why not. `ATOMS_CLIPBOARD=osc52` forces it on, `off` off; a dumb or Linux console has no
    /// clipboard; GNU screen does not pass OSC 52; tmux passes it only with `set-clipboard on`.
    public private(set) lazy var clipboardRefusal: String? = Terminal.clipboardRefusal(environment: ProcessInfo.processInfo.environment,
                                                                                       tmuxSetClipboard: Terminal.tmuxSetClipboard)

    /// Why OSC 52 cannot reach a clipboard in this environment, or nil. Pure, for tests.
    public static func clipboardRefusal(environment env: [String: String], tmuxSetClipboard: () -> String?) -> String? {
        switch env["ATOMS_CLIPBOARD"]?.lowercased() {
        case "osc52"?: return nil
        case "off"?: return "copying is off (ATOMS_CLIPBOARD=off)"
        default: break
        }
        let term = env["TERM"] ?? ""
        if term.isEmpty || term == "dumb" || term == "linux" {
            return "the terminal (TERM=\(term.isEmpty ? "unset" : term)) has no OSC 52 clipboard; ATOMS_CLIPBOARD=osc52 forces it"
        }
        if env["STY"] != nil { return "GNU screen does not pass OSC 52 on; ATOMS_CLIPBOARD=osc52 forces it" }
        if env["TMUX"] != nil {
            let value = tmuxSetClipboard()?.trimmingCharacters(in: .whitespacesAndNewlines)
            if value != "on" {
                return "tmux takes OSC 52 from programs only with set-clipboard on (it is \(value ?? "unknown")): tmux set -g set-clipboard on"
            }
        }
        return nil
    }

    /// `tmux show-options -gv set-clipboard`, or nil when tmux does not answer.
    static func tmuxSetClipboard() -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "show-options", "-gv", "set-clipboard"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// The OSC 52 sequence that puts `text` on the clipboard: the tool's own escape around the text's
    /// base64 (so nothing of the text can act as a control sequence).
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }

    /// Puts `text` on the terminal's clipboard with OSC 52; returns nil when sent, else why it was not.
    public func copyToClipboard(_ text: String) -> String? {
        if let refusal = clipboardRefusal { return refusal }
        if text.utf8.count > Terminal.clipboardLimit { return "\(text.utf8.count) bytes is more than terminals take through OSC 52" }
        cursesLock.lock()
        defer { cursesLock.unlock() }
        guard started, !suspended else { return "the terminal is not ours right now" }
        let bytes = Array(Terminal.osc52(text).utf8)
        fflush(nil)  // anything curses buffered goes first
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { return "writing to the terminal failed" }
            offset += n
        }
        return nil
    }

    /// True when a row holds a grapheme cluster of more than one code point.
    public static func hasClusters(_ screen: Screen, row y: Int) -> Bool {
        guard y >= 0, y < screen.height else { return false }
        for x in 0..<screen.width {
            let c = screen[x, y]
            if !c.isContinuation, c.character.unicodeScalars.count > 1 { return true }
        }
        return false
    }

    /// Blank runs of at least this many cells are written in plain attributes (see `blankAttributes`).
    static let longBlank = 8

    /// The attributes a run of blanks is written in. Blanks look the same in any foreground colour, bold
    /// or dim: a short gap between words is written in the attributes already set (`current`: no SGR
    /// switch); a long blank — a pane's empty area — in plain attributes, so that the blank rows a
    /// terminal scroll brings in already match it and curses does not erase them again (BENCHMARKS.md,
    /// bytes per move). Blanks with a background, reverse or underline keep their style.
    public static func blankAttributes(cells: Int, style: (attr_t, Int16), current: (attr_t, Int16)) -> (attr_t, Int16) {
        guard blankLooksPlain(style.0, style.1) else { return style }
        if cells >= longBlank { return (tui_A_NORMAL(), 0) }
        return blankLooksPlain(current.0, current.1) ? current : style
    }

    /// True when a blank in these attributes looks like a blank in any other foreground-only
    /// attributes: no reverse, no underline, no background colour (pairs 5–7 have one).
    public static func blankLooksPlain(_ attrs: attr_t, _ pair: Int16) -> Bool {
        attrs & (tui_A_REVERSE() | tui_A_UNDERLINE()) == 0 && pair < 5
    }

    /// The curses attributes and colour pair of a style (attributes only when monochrome).
    func attributes(_ style: Style) -> (attr_t, Int16) {
        let bold = tui_A_BOLD(), dim = tui_A_DIM(), rev = tui_A_REVERSE(), ul = tui_A_UNDERLINE(), none = tui_A_NORMAL()
        let green: Int16 = 1, yellow: Int16 = 2, red: Int16 = 3, cyan: Int16 = 4, onRed: Int16 = 5, onYellow: Int16 = 6, onBlue: Int16 = 7
        let colour: (attr_t, Int16)
        let mono: attr_t
        switch style {
        case .normal, .overlay, .legendText: return (none, 0)
        case .dim, .legendDisabled: return (dim, 0)
        case .bold, .overlayTitle, .legendKey, .title: return (bold, 0)
        case .border: return (dim, 0)
        case .borderFocused: colour = (bold, cyan); mono = bold
        case .titleFocused: colour = (bold, yellow); mono = bold | ul
        case .header: return (ul, 0)
        case .selected: colour = (bold, onBlue); mono = rev | bold
        case .selectedUnfocused: return (rev, 0)
        case .active: colour = (bold, green); mono = bold
        case .pinned, .pending: colour = (none, yellow); mono = none
        case .passed, .added: colour = (none, green); mono = none
        case .failed: colour = (bold, red); mono = bold
        case .removed: colour = (none, red); mono = dim
        case .hunk: colour = (bold, cyan); mono = bold | ul
        case .statusBar, .statusInfo: return (rev, 0)
        case .statusError: colour = (bold, onRed); mono = rev | bold
        case .demo: colour = (bold, onYellow); mono = bold
        case .input: return (ul, 0)
        case .inputCursor: return (rev, 0)
        case .warning: colour = (bold, yellow); mono = bold
        case .match: colour = (none, onYellow); mono = rev
        case .matchCurrent: colour = (bold, onRed); mono = rev | bold | ul
        }
        return monochrome ? (mono, 0) : colour
    }
}
