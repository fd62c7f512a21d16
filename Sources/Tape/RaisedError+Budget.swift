extension RaisedError {
    /// The error type tapedeck's engine records when it stops a program whose step or memory
    /// budget ran out (`--max-steps`, `--max-memory`); the message says which and how to raise it.
    public static let budgetExceededType = "tapedeck.BudgetExceeded"

    /// Whether this error is tapedeck stopping the program, not the program failing.
    public var isBudgetStop: Bool { type == Self.budgetExceededType }
}
