/// A raised or raisable exception: its class, arguments and the traceback captured where it was raised.
final class PyExceptionObject {
    let cls: PyClass
    let args: [Value]
    var traceback: [TracebackFrame] = []
    /// The backward call the engine was running when it raised, if any.
    var backward: Int?

    init(cls: PyClass, args: [Value]) {
        self.cls = cls
        self.args = args
    }
}
