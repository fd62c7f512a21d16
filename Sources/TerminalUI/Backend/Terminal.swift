import CTerminal
import Glibc

/// The ncurses session: takes the terminal over, reads keys, writes frames as diffs, and gives
/// the terminal back exactly once on every way out (`close`, deinit, `atexit`, fatal signals).
///
/// The only type that calls curses; everything it draws comes from a `Buffer`.
final class Terminal {
    /// Whether the locale can show UTF-8 (box drawing, `▶`, `✗`); otherwise frames use ASCII glyphs.
    let isUTF8: Bool
    private let window: UnsafeMutablePointer<WINDOW>
    private let useColor: Bool
    private var pairs: [Theme.Appearance: Int16] = [:]
    private var shown: Buffer?
    private var isClosed = false

    /// Throws `notATerminal` unless both stdin and stdout are TTYs.
    static func requireTTY() throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw .notATerminal
        }
    }

    /// Takes over the terminal; `color` false forces the monochrome theme (`NO_COLOR`).
    init(color: Bool) throws(TerminalError) {
        try Self.requireTTY()
        setlocale(LC_ALL, "")
        isUTF8 = ct_locale_is_utf8() != 0
        ct_save_terminal_modes()
        ct_install_signal_handlers()
        guard ct_newterm() != nil, let window = ct_stdscr() else {
            throw .unknownTerminal(getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.window = window
        atexit {
            if !isendwin() {
                endwin()
            }
        }
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        set_escdelay(25)
        wtimeout(window, 100)
        ct_enable_mouse()
        if color, has_colors() {
            start_color()
            use_default_colors()
            useColor = true
        } else {
            useColor = false
        }
    }

    deinit {
        close()
    }

    /// Gives the terminal back: leaves the alternate screen and restores the modes. Idempotent.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        if !isendwin() {
            endwin()
        }
    }

    /// The terminal's size in cells.
    var size: (width: Int, height: Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        ct_getmaxyx(window, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// The signal (SIGINT, SIGTERM, SIGHUP) that asked the program to stop, if any.
    var pendingSignal: Int32? {
        let signal = ct_pending_signal()
        return signal == 0 ? nil : signal
    }

    /// Waits up to 100 ms for a key; nil on timeout, on an interrupted read, or for an ignored key.
    func readKey() -> Key? {
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == KEY_CODE_YES, Int32(bitPattern: code) == KEY_MOUSE {
            var row: Int32 = 0
            var column: Int32 = 0
            return ct_read_click(&row, &column) != 0 ? .click(column: Int(column), row: Int(row)) : nil
        }
        let key = KeyDecoder.decode(status: status, code: code)
        if key == .resize {
            shown = nil
        }
        return key
    }

    /// Writes the cells of `frame` that differ from what the terminal shows, then updates the screen.
    func draw(_ frame: Buffer) {
        if shown.map({ $0.width != frame.width || $0.height != frame.height }) ?? true {
            werase(window)
            shown = nil
        }
        for run in Presenter.runs(from: shown, to: frame) {
            let (attributes, pair) = look(of: run.role)
            wattr_set(window, attributes, pair, nil)
            mvwaddstr(window, Int32(run.row), Int32(run.column), run.text)
        }
        wattr_set(window, 0, 0, nil)
        wnoutrefresh(window)
        doupdate()
        shown = frame
    }

    private func look(of role: Role) -> (attr_t, Int16) {
        let appearance = Theme.appearance(of: role, color: useColor)
        var attributes: attr_t = 0
        if appearance.bold { attributes |= ct_a_bold() }
        if appearance.reverse { attributes |= ct_a_reverse() }
        if appearance.underline { attributes |= ct_a_underline() }
        if appearance.dim { attributes |= ct_a_dim() }
        return (attributes, pair(for: appearance))
    }

    private func pair(for appearance: Theme.Appearance) -> Int16 {
        guard useColor, appearance.foreground != nil || appearance.background != nil else { return 0 }
        let colors = Theme.Appearance(foreground: appearance.foreground, background: appearance.background)
        if let pair = pairs[colors] {
            return pair
        }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < ct_color_pairs() else { return 0 }
        init_pair(number, colors.foreground?.rawValue ?? -1, colors.background?.rawValue ?? -1)
        pairs[colors] = number
        return number
    }
}
