import ArgumentParser
import Debugger
import Script
import Tape

/// `tapedeck record PROGRAM.py [ARGS...] -o RUN.tdt`: runs a program and writes its tape as a trace file.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program and write its tape to a trace file (JSON Lines, see docs/trace-format.md).",
        discussion: """
            The program runs as with `tapedeck run` (real PyTorch through the bundled recorder when \
            it is outside tapedeck's Python subset, one line on stderr saying so; --engine forces \
            either); the trace is written even when it fails, since that is the run worth \
            explaining. Exit status, as `tapedeck explain` would give for the trace: 0 when the run \
            completed with no autograd error, 1 when it raised one, 3 when it stopped early with \
            another exception (one line on stderr says where); 2 when PROGRAM cannot be read or \
            OUTPUT cannot be written.
            """
    )

    @OptionGroup var target: LaunchOptions

    @Option(name: .shortAndLong, help: "The trace file to write.")
    var output: String

    func run() throws {
        Interruption.install()
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            let launch = target.launch
            let program = try launch.program()
            let debugger: Debugger
            switch try launch.choose(program, stdout: Standard.out, stderr: Standard.error, notice: Standard.progress) {
            case let .tapedeck(outcome, held, _):
                held?.release(stdout: Standard.out, stderr: Standard.error)
                do {
                    try ChildProcess.guarding(removing: [TraceWriter.temporaryPath(of: output)]) { () throws(TraceError) in
                        try TraceWriter.write(outcome.tape, toFile: output)
                    }
                } catch {
                    throw .cannotWrite(error)
                }
                debugger = try Target.debugger(of: outcome.tape, path: program.path)
            case let .torch(recorder, note):
                Standard.note(note)
                let written = try recorder.record(
                    program.path, arguments: program.arguments, to: output, programOutput: .standardOutput, announce: Standard.note)
                debugger = try Target.debugger(ofTrace: written)
            }
            let report = debugger.explain()
            if case let .incomplete(end) = report.verdict, let reason = end.reason {
                let place = end.exception.map { " at \($0.site.file ?? program.path):\($0.site.line) (\($0.type))" } ?? ""
                Standard.note("incomplete run: \(reason)\(place); the trace covers the run up to there")
            }
            return report.exitStatus
        } catch {
            return Standard.fail(error)
        }
    }
}
