/// Why the debugger could not take over the terminal.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Standard input or output is not a TTY (piped, redirected, run from a script).
    case notATerminal
    /// curses has no description of `$TERM`.
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            "the debugger needs a terminal, but standard input or output is not a TTY; for a text or JSON diagnosis run `tapedeck explain FILE`"
        case .unknownTerminal(let term):
            "the terminal type '\(term)' is unknown to curses; set TERM (for example TERM=xterm-256color) or run `tapedeck explain FILE`"
        }
    }
}
