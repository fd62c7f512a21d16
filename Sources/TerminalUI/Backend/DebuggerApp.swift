import Debugger
import Glibc

/// The full-screen debugger: runs the key → state → frame loop on the terminal until `q`, Ctrl-C
/// or SIGTERM, and always gives the terminal back.
public struct DebuggerApp {
    public var state: DebuggerState

    public init(state: DebuggerState) {
        self.state = state
    }

    /// The debugger over a run: a program's tape or a trace file, indexed and replayed by `debugger`.
    public init(debugger: Debugger) {
        state = DebuggerState(debugger: debugger)
    }

    /// Throws `TerminalError.notATerminal` when the debugger could not start here, so a caller can
    /// refuse before running (or recording) a program whose run nobody could look at.
    public static func requireTerminal() throws(TerminalError) {
        try Terminal.requireTTY()
    }

    /// Runs until the user quits; returns the exit status: the run's verdict after `q` (0 clean,
    /// 1 autograd errors, 3 incomplete, as `tapedeck explain`), 128 + the signal number
    /// after SIGINT (130), SIGTERM (143) or SIGHUP (129).
    ///
    /// Throws `TerminalError.notATerminal` when stdin or stdout is not a TTY, before touching it.
    public func run() throws(TerminalError) -> Int32 {
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        let terminal = try Terminal(color: !noColor)
        defer { terminal.close() }
        var state = self.state
        state.glyphs = terminal.isUTF8 ? .unicode : .ascii
        var needsFrame = true
        while !state.isFinished {
            if let signal = terminal.pendingSignal {
                return 128 + signal
            }
            if needsFrame {
                let size = terminal.size
                state.resize(width: size.width, height: size.height)
                terminal.draw(state.render(width: size.width, height: size.height))
                needsFrame = false
            }
            if let key = terminal.readKey() {
                state.reduce(key)
                needsFrame = true
            }
        }
        return state.verdict.exitStatus
    }
}
