/// The error every Python-level failure travels as, caught by `try/except` in the program.
///
/// `@unchecked Sendable` because `Error` requires it: exceptions never leave the interpreter's thread.
struct PyException: Error, @unchecked Sendable {
    let object: PyExceptionObject
    /// Set when tapedeck itself ends the run (a budget ran out): no `except` or `__exit__` sees it.
    var stop: BudgetStop? = nil
}
