/// The error every Python-level failure travels as, caught by `try/except` in the program.
///
/// `@unchecked Sendable` because `Error` requires it: exceptions never leave the interpreter's thread.
struct PyException: Error, @unchecked Sendable {
    let object: PyExceptionObject
}
