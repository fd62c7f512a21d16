import Debugger
import Glibc

/// The full-screen debugger: runs the key → state → frame loop on the terminal until `q`, Ctrl-C
/// or SIGTERM, and always gives the terminal back.
public struct DebuggerApp {
    public var state: DebuggerState
    /// The background load of the rest of the trace, when `state` shows its first events.
    public var opening: TraceOpening?

    public init(state: DebuggerState, opening: TraceOpening? = nil) {
        self.state = state
        self.opening = opening
    }

    /// The debugger over a run: a program's tape or a trace file, indexed and replayed by `debugger`.
    /// `note` (which engine ran the program and why) stands in the status bar until the first key,
    /// so the line printed on stderr before the screen was taken is seen on it too.
    public init(debugger: Debugger, note: String? = nil) {
        state = DebuggerState(debugger: debugger)
        state.message = note
    }

    /// Throws `TerminalError.notATerminal` when the debugger could not start here, so a caller can
    /// refuse before running (or recording) a program whose run nobody could look at.
    public static func requireTerminal() throws(TerminalError) {
        try Terminal.requireTTY()
    }

    /// Runs until the user quits; returns the exit status: the run's verdict after `q` (0 clean,
    /// 1 autograd errors, 3 incomplete, as `tapedeck explain`; a `q` while the trace loads waits
    /// for the verdict of the whole tape), 128 + the signal number after SIGINT (130), SIGTERM
    /// (143) or SIGHUP (129), 2 when the rest of the trace failed to load (the caller reports
    /// `opening`'s failure once the terminal is back).
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
            if let opening, state.loading != nil {
                switch opening.progress {
                case .loading(let events):
                    if events != state.loading {
                        state.noteLoading(events: events)
                        needsFrame = true
                    }
                case .loaded(.success(let complete)):
                    state.finishLoading(with: complete)
                    needsFrame = true
                case .loaded(.failure):
                    return 2
                }
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
        if let opening, state.loading != nil {
            guard case .success(let complete) = opening.wait() else { return 2 }
            state.finishLoading(with: complete)
        }
        return state.verdict.exitStatus
    }
}
