import Tape

/// Why tapedeck stopped a program before its end: a budget of `RunLimits` ran out.
///
/// Not a Python exception: the program cannot catch it (`except BaseException` would otherwise
/// turn `while True` into a hang again) and its `finally` blocks do not run. It is recorded on the
/// tape as an error of type `RaisedError.budgetExceededType`, so reports call the run incomplete.
public enum BudgetStop: Sendable, Equatable {
    /// The run executed `limit` steps.
    case steps(limit: Int)
    /// The process held more than `limit` bytes (`requested` when one allocation alone would exceed it).
    case memory(limit: Int, requested: Int?)

    /// The one-line report, naming the flag that changes the budget.
    public var message: String {
        switch self {
        case .steps(let limit):
            "the program was stopped after \(limit) steps (statements executed); raise the budget with --max-steps"
        case .memory(let limit, nil):
            "the program was stopped after using more than \(Self.mebibytes(limit)) MiB of memory; raise the budget with --max-memory"
        case .memory(let limit, let requested?):
            "the program was stopped before allocating \(Self.mebibytes(requested)) MiB, over the \(Self.mebibytes(limit)) MiB memory budget; raise it with --max-memory"
        }
    }

    private static func mebibytes(_ bytes: Int) -> Int {
        (bytes + (1 << 20) - 1) >> 20
    }
}
