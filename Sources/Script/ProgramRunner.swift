import Foundation
import PythonLexer
import Tape

/// What a program run produced: its exit code and the recorded tape.
public struct RunOutcome: Sendable {
    /// Like `python3`: 0 on success, 1 after an uncaught exception or a syntax error, or the code
    /// given to `exit()`.
    public var exitCode: Int32
    public var tape: Tape
}

/// Runs one program of the Python subset the way `python3 PROGRAM.py` would, recording a tape.
///
/// Output goes through the callbacks as it is produced; an uncaught exception prints a Python 3.11
/// traceback to stderr. The interpreter runs on a thread with a large stack so deep (but legal)
/// recursion reaches Python's `RecursionError` limit instead of overflowing the native stack.
public struct ProgramRunner: Sendable {
    /// The producer name written in tape headers.
    public static let producer = "tapedeck 0.1.0"
    /// The interpreter's stack: deep enough for Python's recursion limit (1000 frames of the program,
    /// each many native frames) and for walking an expression 2999 deep.
    static let stackSize = 1 << 28

    public let path: String
    public let source: String
    /// The step and memory budgets the run stops at.
    public let limits: RunLimits

    /// Set when the file is not UTF-8: the run ends at once with this error, as python3's does.
    public let encodingError: SyntaxError?

    public init(path: String, source: String, limits: RunLimits = .standard) {
        self.path = path
        self.source = source
        self.limits = limits
        encodingError = nil
    }

    /// The program in the file's `bytes`, decoded as python3 does (`SourceDecoding`); bytes that are
    /// not UTF-8 make a run that stops with python3.11's `SyntaxError` naming the file, line and byte
    /// (its tape keeps the text with U+FFFD in place of the bad bytes).
    public init(path: String, bytes: [UInt8], limits: RunLimits = .standard) {
        self.path = path
        self.limits = limits
        switch SourceDecoding.decode(bytes, path: path) {
        case let .success(text):
            source = text
            encodingError = nil
        case let .failure(error):
            source = String(decoding: bytes, as: UTF8.self)
            encodingError = error
        }
    }

    /// Runs the program to completion (blocking), streaming its stdout and stderr text through the
    /// callbacks, and returns the exit code with the tape (header, every event, then `.exit`).
    public func run(stdout: @escaping @Sendable (String) -> Void, stderr: @escaping @Sendable (String) -> Void) -> RunOutcome {
        let path = self.path, source = self.source, limits = self.limits, encodingError = self.encodingError
        return OwnStack.run(size: ProgramRunner.stackSize) {
            ProgramRunner.execute(path: path, source: source, encodingError: encodingError, limits: limits, stdout: stdout, stderr: stderr)
        }
    }

    private static func execute(
        path: String, source: String, encodingError: SyntaxError?, limits: RunLimits,
        stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void
    ) -> RunOutcome {
        let recorder = TapeRecorder(header: TraceHeader(producer: producer, path: path, source: source))
        let exitCode: Int32
        do throws(SyntaxError) {
            if let encodingError { throw encodingError }
            let program = try Parser.parse(source)
            let interpreter = Interpreter(path: path, source: source, recorder: recorder, limits: limits, write: stdout)
            do {
                try interpreter.run(program)
                exitCode = 0
            } catch {
                exitCode = interpreter.exitStatus(for: error, stderr: stderr)
            }
            interpreter.releaseReferences()
        } catch {
            recorder.record(.error(RaisedError(type: error.kind.rawValue, message: error.message,
                                               site: CallSite(line: error.span.line, column: error.span.column, endColumn: error.span.endColumn))))
            stderr(syntaxErrorReport(error, path: path, source: source))
            exitCode = 1
        }
        recorder.record(.exit(code: Int(exitCode)))
        return RunOutcome(exitCode: exitCode, tape: recorder.tape)
    }

    /// Python's report for a syntax error: the file and line, the line with a caret, the message;
    /// for a program nested too deeply to compile, the bare exception line python3 prints.
    static func syntaxErrorReport(_ error: SyntaxError, path: String, source: String) -> String {
        if error.kind == .recursion || error.kind == .memory || !error.located {
            return error.message.isEmpty ? "\(error.kind.rawValue)\n" : "\(error.kind.rawValue): \(error.message)\n"
        }
        var out = "  File \"\(path)\", line \(error.span.line)\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if error.span.line >= 1 && error.span.line <= lines.count {
            let line = String(lines[error.span.line - 1])
            let stripped = line.drop(while: { $0 == " " || $0 == "\t" })
            let indent = line.count - stripped.count
            if !stripped.isEmpty {
                let offset = max(error.span.column - 1 - indent, 0)
                let width = error.span.endLine == error.span.line ? max(error.span.endColumn - error.span.column, 1) : 1
                out += "    \(stripped.trimmingCharacters(in: .whitespaces))\n"
                // Column 0 marks an error CPython reports without a caret (a tokenizer limit).
                if error.span.column > 0 { out += "    " + String(repeating: " ", count: offset) + String(repeating: "^", count: min(width, max(stripped.count - offset, 1))) + "\n" }
            }
        }
        out += "\(error.kind.rawValue): \(error.message)\n"
        return out
    }
}
