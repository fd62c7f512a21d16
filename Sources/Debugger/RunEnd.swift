import Tape

/// How a recorded run ended, read from its tape: the `exit` event and the exception that preceded it.
///
/// Both producers end a run the same way: an uncaught exception is the last `error` event, followed
/// by `exit` with code 1; `exit()`/`sys.exit()` leaves its code (tapedeck's engine also records
/// the `SystemExit`); a tape without `exit` was cut short.
public enum RunEnd: Hashable, Sendable {
    /// The program ran to its end (or called `exit()` with status 0).
    case completed
    /// The program called `exit()` with a non-zero status.
    case exited(code: Int)
    /// An uncaught exception stopped the program: an unsupported construct, a bug, an autograd error.
    case raised(RaisedError, exitCode: Int)
    /// The tape has no `exit` event: the recording stopped before the program did.
    case unfinished

    /// Reads the end from the exit code the tape records and the last exception raised before it.
    public init(exitCode: Int?, lastError: RaisedError?) {
        guard let exitCode else {
            self = .unfinished
            return
        }
        if exitCode == 0 {
            self = .completed
        } else if let lastError, lastError.type != "SystemExit" {
            self = .raised(lastError, exitCode: exitCode)
        } else {
            self = .exited(code: exitCode)
        }
    }

    /// Whether every line the program meant to run ran.
    public var isCompleted: Bool { self == .completed }

    /// The process exit status the run ended with, nil when the tape does not say.
    public var exitCode: Int? {
        switch self {
        case .completed: 0
        case let .exited(code), let .raised(_, code): code
        case .unfinished: nil
        }
    }

    /// The exception that stopped the run, if one did.
    public var exception: RaisedError? {
        if case let .raised(error, _) = self { return error }
        return nil
    }

    /// Whether the exception that stopped the run is an autograd error (and so one of the diagnoses).
    public var stoppedByAutogradError: Bool {
        exception.map { Diagnosis.Kind(classifying: $0) != nil } ?? false
    }

    /// Whether the user stopped the run: Ctrl-C, an uncaught `KeyboardInterrupt` (exit 130). The
    /// program did nothing wrong there, and nothing can be said about what it would have done next.
    public var wasInterrupted: Bool { exception?.type == "KeyboardInterrupt" }

    /// The name written in `explain --json` (`run.end`).
    public var name: String {
        switch self {
        case .completed: "completed"
        case .exited: "exit"
        case .raised: "exception"
        case .unfinished: "unfinished"
        }
    }

    /// Why the run says nothing about the program's later lines, nil when it completed.
    public var reason: String? {
        switch self {
        case .completed: nil
        case let .exited(code): "the program called exit(\(code)) before its end"
        case let .raised(error, _) where error.isBudgetStop: error.message
        case .raised where wasInterrupted: "the user interrupted the run (Ctrl-C, KeyboardInterrupt)"
        case let .raised(error, _):
            error.message.hasPrefix("tapedeck does not support")
                ? "the program uses something outside tapedeck's Python subset"
                : "the program stopped with an uncaught \(error.type)"
        case .unfinished: "the trace ends before the program did (no `exit` event): the recording was cut short"
        }
    }

    /// The run's end in one line for a screen's status bar, nil when it completed: a run the user
    /// interrupted gets no verdict about its later steps, any other stop names the exception and its
    /// line, so the debugger never passes for a clean run and says what `explain` says.
    public var statusLine: String? {
        switch self {
        case .completed: nil
        case let .raised(error, _) where wasInterrupted:
            "INTERRUPTED by the user at line \(error.site.line): no verdict about later steps"
        case let .raised(error, _): "STOPPED: \(error.type) at line \(error.site.line)"
        case .exited, .unfinished: reason.map { "STOPPED: \($0)" }
        }
    }

    /// What to do about an incomplete run, nil when there is nothing to suggest.
    public var hint: String? {
        guard case let .raised(error, _) = self else {
            return self == .unfinished ? "record the program again and let it finish" : nil
        }
        if wasInterrupted {
            return "run the program again and let it finish to have its later steps checked"
        }
        if error.isBudgetStop {
            return "if the program is meant to run that long, raise the budget (--max-steps, --max-memory); else find the loop that does not end"
        }
        if error.message.hasPrefix("tapedeck does not support") {
            return "record it with real PyTorch: `tapedeck explain --engine torch PROGRAM.py` (or `python3 -m tapedeck_torch -o RUN.tdt PROGRAM.py`)"
        }
        if error.type == "SyntaxError" || error.type == "IndentationError" {
            return "fix the syntax error, then run it again"
        }
        return "fix the exception (or catch it), then run it again"
    }
}
