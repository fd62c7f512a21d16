import Debugger
import Foundation
import Script
import Tape

/// What the user asked to debug, resolved to tapes: trace files as they are, or a program run on
/// tapedeck's engine when it stays inside the subset and recorded with real PyTorch when not.
///
/// The choice is made by trying: the program runs on tapedeck's engine first, and when that run
/// meets something the subset lacks (tapedeck's `NotImplementedError: tapedeck does not support …`,
/// which an import outside the subset raises too), it is recorded again with `python3` and torch.
struct Launch {
    /// A program followed by its arguments, or one or more trace files.
    var targets: [String]
    /// The engine the user forced with `--engine`, nil to decide by trying.
    var engine: Engine?
    /// The budgets a program run on tapedeck's engine stops at.
    var limits: RunLimits = .standard

    /// One tape to debug.
    struct Run {
        var path: String
        var debugger: Debugger
    }

    /// The tapes of the targets, in order. For a program, `announce` gets the line saying which
    /// engine runs it and why, before a recording starts (so it precedes the program's output).
    func runs(announce: (String) -> Void) throws(CommandError) -> [Run] {
        guard let first = targets.first else { throw .missing("") }
        switch try Target.load(first) {
        case .trace:
            return try targets.map { path throws(CommandError) in
                guard case .trace = try Target.load(path) else { throw .notATrace(path) }
                return Run(path: path, debugger: try Target.trace(path: path).debugger())
            }
        case let .program(path, bytes):
            return [try program(path: path, bytes: bytes, arguments: Array(targets.dropFirst()), announce: announce)]
        }
    }

    private func program(path: String, bytes: [UInt8], arguments: [String], announce: (String) -> Void) throws(CommandError) -> Run {
        if engine == .torch {
            return try recorded(path, arguments: arguments, note: "engine: torch (--engine torch)", reason: "--engine torch", announce: announce)
        }
        let target = Target.program(path: path, bytes: bytes)
        let tape = try target.tape(limits: limits)
        if engine == nil, let unsupported = Self.unsupported(in: tape) {
            let reason = "\(path):\(unsupported.site.line): \(unsupported.message)"
            return try recorded(path, arguments: arguments, note: "engine: torch, because \(reason)", reason: reason, announce: announce)
        }
        let note = engine == .tapedeck
            ? "engine: tapedeck (--engine tapedeck)"
            : "engine: tapedeck (the program stays inside its Python subset; --engine torch runs real PyTorch)"
        announce(note)
        return Run(path: path, debugger: try Target.debugger(of: tape, path: path))
    }

    private func recorded(
        _ path: String, arguments: [String], note: String, reason: String, announce: (String) -> Void
    ) throws(CommandError) -> Run {
        let recorder = try TorchRecorder.locate(reason: reason)
        announce(note)
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-\(UUID().uuidString).tdt").path
        defer {
            try? FileManager.default.removeItem(atPath: trace)
            try? FileManager.default.removeItem(atPath: TorchRecorder.partialPath(of: trace))
        }
        let written = try recorder.record(path, arguments: arguments, to: trace, announce: announce)
        return Run(path: path, debugger: try Target.trace(path: written).debugger())
    }

    /// The first thing the run met that tapedeck's subset lacks, if any: such a run is not the
    /// run real PyTorch would make.
    static func unsupported(in tape: Tape) -> RaisedError? {
        for index in tape.indices where tape.kind(at: index) == .error {
            if case let .error(error) = tape[index], error.message.hasPrefix("tapedeck does not support") { return error }
        }
        return nil
    }
}
