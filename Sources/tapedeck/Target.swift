import Debugger
import Foundation
import Tape

/// What the user pointed tapedeck at: a program to run, or a trace file to load.
enum Target {
    /// A program, its file's bytes as read: `ProgramRunner` decodes them as python3 does.
    case program(path: String, bytes: [UInt8])
    /// A trace file, left on disk: `TraceReader` maps and parses it itself.
    case trace(path: String)

    /// Opens `path` and decides what it is: a file named `*.tdt` (or `*.tdt.partial`, a recording
    /// cut short) is a trace whatever it holds, so an empty or garbled trace file gets the trace
    /// reader's message (exit 2) instead of running as a program and passing for a clean run;
    /// otherwise a file whose first non-blank byte opens a JSON object is a trace, anything else a
    /// program. Only a program is read here.
    static func load(_ path: String) throws(CommandError) -> Target {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing(path) }
        guard !isDirectory.boolValue else { throw .isDirectory(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(path) }
        defer { try? handle.close() }
        if path.hasSuffix(".tdt") || path.hasSuffix(".tdt.partial") { return .trace(path: path) }
        var bytes: [UInt8] = []
        do {
            while let chunk = try handle.read(upToCount: 4096), !chunk.isEmpty {
                bytes += chunk
                guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { continue }
                if first == UInt8(ascii: "{") { return .trace(path: path) }
                bytes += try handle.readToEnd() ?? Data()
                break
            }
        } catch {
            throw .unreadable(path)
        }
        return .program(path: path, bytes: bytes)
    }

    /// The trace file at `path`, read (its load warnings printed to stderr), indexed and replayed.
    static func debugger(ofTrace path: String) throws(CommandError) -> Debugger {
        let tape: Tape
        do {
            tape = try TraceReader.read(contentsOf: path)
        } catch {
            throw .badTrace(error)
        }
        for warning in tape.warnings { Standard.error("tapedeck: \(warning)\n") }
        return try debugger(of: tape, path: path)
    }

    /// `tape` indexed and replayed; a tape that refers to what it never announced names `path`.
    static func debugger(of tape: Tape, path: String) throws(CommandError) -> Debugger {
        do {
            return try Debugger(tape: tape)
        } catch {
            throw .badTape(path: path, error)
        }
    }
}
