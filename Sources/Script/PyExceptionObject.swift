/// A raised or raisable exception: its class, arguments and the traceback captured where it was raised.
final class PyExceptionObject {
    let cls: PyClass
    let args: [Value]
    var traceback: [TracebackFrame] = []
    /// The backward call the engine was running when it raised, if any.
    var backward: Int?
    /// The exception being handled when this one was raised (`__context__`).
    var context: PyExceptionObject?
    /// The exception named by `raise ... from cause` (`__cause__`); it replaces the context in tracebacks.
    var cause: PyExceptionObject?
    var suppressContext = false

    init(cls: PyClass, args: [Value]) {
        self.cls = cls
        self.args = args
    }
}
