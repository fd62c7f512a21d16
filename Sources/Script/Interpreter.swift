import Foundation
import PythonLexer
import Tape

/// Runs a parsed program with Python's semantics for the supported subset, reporting to a tape.
final class Interpreter {
    /// The program's path as given on the command line (shown in tracebacks).
    let path: String
    let sourceLines: [String]
    let recorder: TapeRecorder
    let write: (String) -> Void
    let globals: Scope
    /// Names every scope can see (`print`, `len`, `RuntimeError`...).
    var builtins: [String: Value] = [:]
    var exceptionClasses: [ExceptionKind: PyClass] = [:]
    var types: [String: PyClass] = [:]
    /// The program's call stack, innermost last, for tracebacks and recursion depth.
    var frames: [TracebackFrame] = [TracebackFrame(scope: "<module>", line: 0)]
    /// The functions being executed, innermost last, for zero-argument `super()`.
    var functionStack: [(function: PyFunction, scope: Scope)] = []
    /// The caller's span for each frame above the module, restored when the frame returns.
    var savedSpans: [SourceSpan] = []
    /// Lists and dicts being printed, so a container that contains itself prints `[...]`.
    var reprInProgress: Set<ObjectIdentifier> = []
    /// How many tuples are being printed inside one another (lists and dicts count in `reprInProgress`).
    var reprDepth = 0
    /// The exceptions whose `except` blocks are running, innermost last, for a bare `raise`.
    var handling: [PyExceptionObject] = []
    /// The span of the innermost statement or expression being evaluated.
    var currentSpan = SourceSpan(line: 0, column: 0, endLine: 0, endColumn: 0)
    /// Python's default recursion limit: deeper calls raise `RecursionError`.
    let recursionLimit = 1000
    /// Importable modules by dotted name (`torch`, `torch.nn`, `torch.nn.functional`).
    var modules: [String: Value] = [:]
    /// State owned by the torch bindings (grad mode stack, the `nn.Module` class...).
    var torch: TorchBindings!
    /// The budgets this run stops at.
    let limits: RunLimits
    /// Steps executed so far, counted by `tick()`.
    var steps = 0

    init(path: String, source: String, recorder: TapeRecorder, limits: RunLimits = .standard, write: @escaping (String) -> Void) {
        self.path = path
        self.limits = limits
        sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        self.recorder = recorder
        self.write = write
        globals = Scope(parent: nil, globals: nil)
        globals.variables["__name__"] = .str("__main__")
        installBuiltins()
        torch = TorchBindings(interpreter: self)
        installMathModule()
    }

    // MARK: Sites

    /// Marks the span being evaluated, for the tape and for tracebacks.
    func enter(_ span: SourceSpan, call: String? = nil) {
        currentSpan = span
        frames[frames.count - 1].line = span.line
        frames[frames.count - 1].span = span
        frames[frames.count - 1].anchor = nil
        recorder.site = CallSite(line: span.line, column: span.column, endColumn: span.endLine == span.line ? span.endColumn : 0)
        recorder.call = call
    }

    // MARK: Exceptions

    func exceptionClass(_ kind: ExceptionKind) -> PyClass {
        exceptionClasses[kind]!
    }

    /// Creates an exception of a built-in kind, raised at the current position.
    func error(_ kind: ExceptionKind, _ message: String, backward: Int? = nil) -> PyException {
        let object = PyExceptionObject(cls: exceptionClass(kind), args: [.str(message)])
        object.backward = backward
        return raising(object)
    }

    /// Stamps an exception with the current traceback and records it on the tape.
    func raising(_ object: PyExceptionObject) -> PyException {
        object.traceback = frames
        if object.context == nil, let active = handling.last, active !== object { object.context = active }
        let message = (try? exceptionMessage(object)) ?? ""
        recorder.record(.error(RaisedError(
            type: object.cls.name, message: message,
            site: CallSite(line: currentSpan.line, column: currentSpan.column, endColumn: currentSpan.endLine == currentSpan.line ? currentSpan.endColumn : 0),
            backward: object.backward)))
        return PyException(object: object)
    }

    /// `str(e)`: the single argument's str, or the args tuple's repr (KeyError shows its key's repr).
    func exceptionMessage(_ object: PyExceptionObject) throws(PyException) -> String {
        switch object.args.count {
        case 0: return ""
        case 1:
            if object.cls.isSubclass(of: exceptionClass(.keyError)) { return try repr(object.args[0]) }
            return try str(object.args[0])
        default: return try repr(.tuple(object.args))
        }
    }

    // MARK: Running

    /// Runs the whole program; an uncaught exception propagates to the caller.
    func run(_ program: [Stmt]) throws(PyException) {
        _ = try execute(program, in: globals)
    }

    /// Breaks the reference cycles a run builds (builtins and functions capture the interpreter and
    /// their module scope; the built-in classes' methods and constructors capture the interpreter or
    /// its torch bindings, which hold the classes), so the run's objects, tensors and the interpreter
    /// itself are freed once its outcome is reported.
    func releaseReferences() {
        for cls in Array(types.values) + Array(exceptionClasses.values) + torch.builtinClasses {
            cls.attributes.removeAll()
            cls.construct = nil
        }
        globals.variables.removeAll()
        builtins.removeAll()
        modules.removeAll()
        types.removeAll()
        functionStack.removeAll()
        handling.removeAll()
    }

    /// How an uncaught exception ends the program: `SystemExit` exits with its code (printing a
    /// message argument), `KeyboardInterrupt` prints its traceback and exits with 130 (as python3
    /// killed by SIGINT), a budget stop prints why and exits with 1, anything else prints its
    /// traceback and exits with 1.
    func exitStatus(for error: PyException, stderr: (String) -> Void) -> Int32 {
        let object = error.object
        if let stop = error.stop {
            stderr("tapedeck: \(path):\(currentSpan.line): \(stop.message)\n")
            return 1
        }
        guard object.cls.isSubclass(of: exceptionClass(.systemExit)) else {
            stderr(traceback(object))
            return object.cls.isSubclass(of: exceptionClass(.keyboardInterrupt)) ? 130 : 1
        }
        switch object.args.first {
        case nil, .none?: return 0
        case .int(let code)?: return Int32(truncatingIfNeeded: code)
        case .bool(let flag)?: return flag ? 1 : 0
        case let message?:
            stderr(((try? str(message)) ?? "") + "\n")
            return 1
        }
    }

    /// Python's traceback text for an uncaught exception (3.11 layout, program frames only), preceded
    /// by the exceptions it was raised from or while handling.
    func traceback(_ object: PyExceptionObject) -> String {
        var chain: [(PyExceptionObject, String?)] = []
        var current: PyExceptionObject? = object
        var note: String?
        while let exception = current, !chain.contains(where: { $0.0 === exception }) {
            chain.append((exception, note))
            if let cause = exception.cause {
                current = cause
                note = "The above exception was the direct cause of the following exception:"
            } else if !exception.suppressContext, let context = exception.context {
                current = context
                note = "During handling of the above exception, another exception occurred:"
            } else {
                current = nil
            }
        }
        var out = ""
        for (exception, note) in chain.reversed() {
            out += singleTraceback(exception)
            if let note { out += "\n\(note)\n\n" }
        }
        return out
    }

    private func singleTraceback(_ object: PyExceptionObject) -> String {
        var out = "Traceback (most recent call last):\n"
        var previous: TracebackFrame?
        var repeats = 0
        func flushRepeats() {
            if repeats > 3 {
                out += "  [Previous line repeated \(repeats - 3) more time\(repeats - 3 == 1 ? "" : "s")]\n"
            }
        }
        for frame in object.traceback {
            if frame == previous {
                repeats += 1
                if repeats > 3 { continue }
            } else {
                flushRepeats()
                repeats = 1
            }
            previous = frame
            out += "  File \"\(path)\", line \(frame.line), in \(frame.scope)\n"
            if frame.line >= 1 && frame.line <= sourceLines.count {
                let line = sourceLines[frame.line - 1]
                let text = line.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty {
                    out += "    \(text)\n"
                    if let markers = Interpreter.markers(for: frame, line: line) { out += markers + "\n" }
                }
            }
        }
        flushRepeats()
        let message = (try? exceptionMessage(object)) ?? ""
        out += message.isEmpty ? "\(object.cls.name)\n" : "\(object.cls.name): \(message)\n"
        return out
    }
}
