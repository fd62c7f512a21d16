import ArgumentParser
import Script

/// `tapedeck run PROGRAM.py [ARGS...]`: behaves like `python3 PROGRAM.py` with PyTorch 2.13.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program on tapedeck's engine, exactly as python3 with PyTorch 2.13 would.",
        discussion: """
            Prints what the program prints; an uncaught exception prints a Python traceback to \
            stderr. A program outside tapedeck's Python subset is run by python3 with real PyTorch \
            instead (ARGS passed on), and one line on stderr says so; --engine forces either. The \
            program runs once: a trial on tapedeck's engine shows nothing until it is kept (on a \
            terminal, one line says so after 2 seconds; --engine tapedeck shows output as it comes). Exit \
            status: the program's (0, or 1 after an uncaught exception); 2 when PROGRAM cannot be read.
            """
    )

    @OptionGroup var target: LaunchOptions

    func validate() throws {
        if target.recording.isRequested {
            throw ValidationError("`tapedeck run` records nothing, so \(target.recording.options) has no use here; explain, record, graph and open take it")
        }
    }

    func run() throws {
        Interruption.install()
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            let launch = target.launch
            let program = try launch.program()
            switch try launch.choose(program, stdout: Standard.out, stderr: Standard.error, notice: Standard.progress) {
            case let .tapedeck(outcome, held, _):
                held?.release(stdout: Standard.out, stderr: Standard.error)
                return outcome.exitCode
            case let .torch(python, note):
                Standard.note(note)
                return try python.run(program.path, arguments: program.arguments)
            }
        } catch {
            return Standard.fail(error)
        }
    }
}
