import Debugger
import Foundation
import Script
import Tape

/// What the user pointed tapedeck at: a program to run, or a trace file to load.
enum Target {
    case program(path: String, source: String)
    case trace(path: String, bytes: [UInt8])

    /// Reads `path` and decides what it is: a file whose first line opens a JSON object is a trace.
    static func load(_ path: String) throws(CommandError) -> Target {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw isDirectory.boolValue ? .isDirectory(path) : .unreadable(path)
            }
            throw .missing(path)
        }
        let bytes = [UInt8](data)
        if bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{") {
            return .trace(path: path, bytes: bytes)
        }
        guard let source = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(path) }
        return .program(path: path, source: source)
    }

    /// The tape of the target: the trace as recorded, or the program run with its output discarded.
    func tape() throws(CommandError) -> Tape {
        switch self {
        case let .program(path, source):
            return ProgramRunner(path: path, source: source).run(stdout: { _ in }, stderr: { _ in }).tape
        case let .trace(path, bytes):
            do {
                return try TraceReader.decode(bytes, file: path)
            } catch {
                throw .badTrace(error)
            }
        }
    }

    /// The target's tape, indexed and replayed.
    func debugger() throws(CommandError) -> Debugger {
        let tape = try tape()
        do {
            return try Debugger(tape: tape)
        } catch {
            throw .badTape(path: path, error)
        }
    }

    var path: String {
        switch self {
        case let .program(path, _), let .trace(path, _): path
        }
    }
}
