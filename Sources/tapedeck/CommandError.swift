import Debugger
import Tape
import TerminalUI

/// Why a command could not use its input. Every case exits with status 2 and names the file.
enum CommandError: Error, CustomStringConvertible {
    case missing(String)
    case isDirectory(String)
    case unreadable(String)
    case notAProgram(String)
    case badTrace(TraceError)
    case badTape(path: String, DebuggerError)
    case cannotWrite(TraceError)
    case noTerminal(TerminalError)
    case cannotCreate(String)
    case notATrace(String)
    /// The program needs real PyTorch (`reason`) and `detail` says what is missing.
    case torchMissing(reason: String, detail: String)
    case recorderMissing
    case recordingFailed(program: String, status: Int32)
    case noGraphviz
    case graphvizFailed(String)

    var description: String {
        switch self {
        case let .missing(path): "\(path): no such file"
        case let .isDirectory(path): "\(path): is a directory, expected a program (.py) or a trace file (.tdt)"
        case let .unreadable(path): "\(path): cannot be read"
        case let .notAProgram(path): "\(path): is a trace file; `tapedeck record` and `tapedeck run` take a program (.py)"
        case let .badTrace(error): error.description
        case let .badTape(path, error): "\(path): \(error.description)"
        case let .cannotWrite(error): error.description
        case let .noTerminal(error): error.description
        case let .cannotCreate(path): "\(path): cannot be written"
        case let .notATrace(path): "\(path): is a program; after a trace file, every target must be a trace file (.tdt)"
        case let .torchMissing(reason, detail):
            "\(reason); running it needs real PyTorch, but \(detail). Install it with `python3 -m pip install torch` (CPU: add --index-url https://download.pytorch.org/whl/cpu)"
        case .recorderMissing:
            "python3 cannot import the recorder tapedeck_torch: set TAPEDECK_RECORDER to the checkout's recorder/ folder, keep recorder/tapedeck_torch beside the tapedeck binary, or `pip install ./recorder`"
        case let .recordingFailed(program, status):
            "\(program): recording with python3 -m tapedeck_torch wrote no trace (exit status \(status))"
        case .noGraphviz: "SVG needs Graphviz's `dot` on PATH (Debian: apt-get install graphviz, or scripts/bootstrap.sh); --format dot needs nothing"
        case let .graphvizFailed(message): "dot -Tsvg failed: \(message)"
        }
    }
}
