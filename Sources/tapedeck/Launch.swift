import Debugger
import Foundation
import Script
import Tape

/// What the user asked to debug or run, resolved to an engine: trace files as they are, or a
/// program run on tapedeck's engine when it stays inside the subset and by real PyTorch when not.
///
/// Without `--engine` the choice is made by trying: the program runs on tapedeck's engine first,
/// and when that run meets something the subset lacks (tapedeck's `NotImplementedError: tapedeck
/// does not support …`, which an import outside the subset raises too), real PyTorch runs it
/// instead. The trial run is invisible, so the program's effects happen once: the subset cannot
/// touch the world except through its output (no files, sockets or processes, docs/subset.md), and
/// that output is held back until the run is kept (`HeldOutput`).
struct Launch {
    /// A program followed by its arguments, or one or more trace files.
    var targets: [String]
    /// The engine the user forced with `--engine`, nil to decide by trying.
    var engine: Engine?
    /// How real PyTorch is recorded; asking for anything (`--recorder`, `--keep-steps`) forces it.
    var recording = Recording()
    /// The budgets a program run on tapedeck's engine stops at.
    var limits: RunLimits = .standard
    /// How long a trial runs before `choose` says its output is held (`run` and `record` show it).
    var holdNotice: Duration = .seconds(2)

    /// This launch for a command whose output reads no value previews (`Recording.withoutPreviews`).
    var withoutPreviews: Launch {
        var launch = self
        launch.recording = recording.withoutPreviews
        return launch
    }

    /// One tape to debug.
    struct Run {
        var path: String
        var debugger: Debugger
    }

    /// A program to run, read from the first target; the rest are its arguments.
    struct Program {
        var path: String
        /// The file's bytes as read: `ProgramRunner` decodes them as python3 does.
        var bytes: [UInt8]
        var arguments: [String]
    }

    /// The engine a program runs on, decided before any of its output is shown.
    enum Choice {
        /// tapedeck's engine ran it: its outcome, and its output when it was held back (nil when it
        /// went straight to the sinks, under `--engine tapedeck`).
        case tapedeck(RunOutcome, held: HeldOutput?, note: String)
        /// Real PyTorch is to run it, through `recorder`.
        case torch(TorchRecorder, note: String)
    }

    /// The tapes of the targets, in order. For a program, `announce` gets the line saying which
    /// engine runs it and why, before a recording starts (so it precedes the program's output).
    func runs(announce: (String) -> Void) throws(CommandError) -> [Run] {
        guard let first = targets.first else { throw .missing("") }
        guard case let .program(path, bytes) = try Target.load(first) else {
            return try targets.map { path throws(CommandError) in
                guard case .trace = try Target.load(path) else { throw .notATrace(path) }
                return Run(path: path, debugger: try Target.debugger(ofTrace: path))
            }
        }
        let program = Program(path: path, bytes: bytes, arguments: Array(targets.dropFirst()))
        switch try choose(program, stdout: { _ in }, stderr: { _ in }) {
        case let .tapedeck(outcome, _, note):
            announce(note)
            return [Run(path: path, debugger: try Target.debugger(of: outcome.tape, path: path))]
        case let .torch(recorder, note):
            announce(note)
            let trace = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-\(UUID().uuidString).tdt").path
            defer {
                try? FileManager.default.removeItem(atPath: trace)
                try? FileManager.default.removeItem(atPath: TorchRecorder.partialPath(of: trace))
            }
            let written = try recorder.record(path, arguments: program.arguments, to: trace, temporary: true, announce: announce)
            return [Run(path: path, debugger: try Target.debugger(ofTrace: written))]
        }
    }

    /// The program the first target names; a trace file is refused, since only a program can run.
    func program() throws(CommandError) -> Program {
        guard let first = targets.first else { throw .missing("") }
        guard case let .program(path, bytes) = try Target.load(first) else { throw .notAProgram(first) }
        return Program(path: path, bytes: bytes, arguments: Array(targets.dropFirst()))
    }

    /// Decides the engine for `program`, running it on tapedeck's engine unless `--engine torch`
    /// says otherwise. Under `--engine tapedeck` its output goes to `stdout` and `stderr` as it is
    /// written; when deciding, it is held back for the caller to release if the run is kept, and
    /// `notice` gets a line saying so once the trial has run for `holdNotice`.
    func choose(
        _ program: Program, stdout: @escaping @Sendable (String) -> Void, stderr: @escaping @Sendable (String) -> Void,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(CommandError) -> Choice {
        if engine == .torch || recording.isRequested {
            let reason = engine == .torch ? "--engine torch" : recording.options
            return .torch(try TorchRecorder.locate(reason: reason, limits: limits, recording: recording), note: "engine: torch (\(reason))")
        }
        let runner = ProgramRunner(path: program.path, bytes: program.bytes, limits: limits)
        if engine == .tapedeck {
            return .tapedeck(runner.run(stdout: stdout, stderr: stderr), held: nil, note: "engine: tapedeck (--engine tapedeck)")
        }
        let held = HeldOutput()
        held.notice(after: holdNotice) {
            notice("\(program.path) is running on tapedeck's engine on trial; its output is held until the run ends "
                + "(--engine tapedeck shows it as it comes)")
        }
        let outcome = runner.run(stdout: held.stdout, stderr: held.stderr)
        held.finish()
        if let unsupported = Self.unsupported(in: outcome.tape) {
            let reason = "\(program.path):\(unsupported.site.line): \(unsupported.message)"
            return .torch(try TorchRecorder.locate(reason: reason, limits: limits, recording: recording), note: "engine: torch, because \(reason)")
        }
        return .tapedeck(outcome, held: held, note: "engine: tapedeck (the program stays inside its Python subset; --engine torch runs real PyTorch)")
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
