import Glibc
import Tape

extension Interpreter {
    /// How many steps pass between two reads of the process's memory use.
    static let memoryCheckInterval = 128

    /// Counts one step (a statement, or one iteration of a comprehension) against the budgets, and
    /// raises a pending Ctrl-C as `KeyboardInterrupt`.
    func tick() throws(PyException) {
        steps += 1
        if steps > limits.maxSteps { throw stop(.steps(limit: limits.maxSteps)) }
        if Interruption.take() { throw error(.keyboardInterrupt, "") }
        if steps % Self.memoryCheckInterval == 0, let resident = Self.residentBytes(), resident > limits.maxMemory {
            throw stop(.memory(limit: limits.maxMemory, requested: nil))
        }
    }

    /// Refuses, before allocating, a value of `bytes` that alone would exceed the memory budget.
    func reserve(bytes: Int) throws(PyException) {
        if bytes > limits.maxMemory { throw stop(.memory(limit: limits.maxMemory, requested: bytes)) }
    }

    /// The product of sizes, saturating at `Int.max` (over any budget) instead of trapping.
    static func product(_ factors: Int...) -> Int {
        factors.reduce(1) { total, factor in
            let (value, overflow) = total.multipliedReportingOverflow(by: factor)
            return overflow ? Int.max : value
        }
    }

    /// The uncatchable exception that ends the run for `reason`, recorded on the tape as an error at
    /// the current statement so every report knows the run did not reach its end.
    func stop(_ reason: BudgetStop) -> PyException {
        let object = PyExceptionObject(cls: exceptionClass(.baseException), args: [.str(reason.message)])
        object.traceback = frames
        recorder.record(.error(RaisedError(
            type: RaisedError.budgetExceededType, message: reason.message,
            site: CallSite(line: currentSpan.line, column: currentSpan.column, endColumn: currentSpan.endLine == currentSpan.line ? currentSpan.endColumn : 0))))
        return PyException(object: object, stop: reason)
    }

    /// The process's resident set size from `/proc/self/statm`, or nil where it cannot be read.
    static func residentBytes() -> Int? {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
        guard count > 0 else { return nil }
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
