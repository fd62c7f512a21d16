/// The error every Python-level failure travels as, caught by `try/except` in the program.
struct PyException: Error {
    let object: PyExceptionObject
}
