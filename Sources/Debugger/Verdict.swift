/// The one-line answer of `tapedeck explain`, `open` and `record` about a run, and their exit status.
///
/// A program that did not run to its end is never called clean: what it would have done after the
/// exception that stopped it is unknown.
public enum Verdict: Hashable, Sendable {
    /// The run ended normally and raised no autograd error (warnings allowed). Exit status 0.
    case clean
    /// At least one autograd error was diagnosed (whether or not the run went on). Exit status 1.
    case autogradErrors(count: Int)
    /// The run stopped early, or could not run, without an autograd error to show for it. Exit status 3.
    case incomplete(RunEnd)

    public init(errorCount: Int, end: RunEnd) {
        if errorCount > 0 {
            self = .autogradErrors(count: errorCount)
        } else if end.isCompleted {
            self = .clean
        } else {
            self = .incomplete(end)
        }
    }

    /// The process exit status: 0 clean, 1 autograd errors, 3 incomplete (2 is for unusable input,
    /// which never gets a verdict).
    public var exitStatus: Int32 {
        switch self {
        case .clean: 0
        case .autogradErrors: 1
        case .incomplete: 3
        }
    }

    /// The name written in `explain --json` (`verdict`).
    public var name: String {
        switch self {
        case .clean: "clean"
        case .autogradErrors: "autograd_errors"
        case .incomplete: "incomplete"
        }
    }
}
