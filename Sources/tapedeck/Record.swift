import ArgumentParser
import Debugger
import Script
import Tape

/// `tapedeck record PROGRAM.py -o RUN.tdt`: runs a program and writes its tape as a trace file.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program and write its tape to a trace file (JSON Lines, see docs/trace-format.md).",
        discussion: """
            The program runs as with `tapedeck run`; the trace is written even when it fails, since \
            that is the run worth explaining. Exit status, as `tapedeck explain` would give for the \
            trace: 0 when the run completed with no autograd error, 1 when it raised one, 3 when it \
            stopped early with another exception (one line on stderr says where); 2 when PROGRAM \
            cannot be read or OUTPUT cannot be written.
            """
    )

    @Argument(help: "The program (.py) to run.")
    var program: String

    @Option(name: .shortAndLong, help: "The trace file to write.")
    var output: String

    @OptionGroup var budget: BudgetOptions

    func run() throws {
        Interruption.install()
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            let outcome = try Target.program(program, limits: budget.limits).run(stdout: Standard.out, stderr: Standard.error)
            do {
                try TraceWriter.write(outcome.tape, toFile: output)
            } catch {
                throw .cannotWrite(error)
            }
            let report = try Target.debugger(of: outcome.tape, path: program).explain()
            if case let .incomplete(end) = report.verdict, let reason = end.reason {
                let place = end.exception.map { " at \($0.site.file ?? program):\($0.site.line) (\($0.type))" } ?? ""
                Standard.note("incomplete run: \(reason)\(place); the trace covers the run up to there")
            }
            return report.exitStatus
        } catch {
            return Standard.fail(error)
        }
    }
}
