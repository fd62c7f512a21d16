import ArgumentParser
import Script

/// `tapedeck run PROGRAM.py`: behaves like `python3 PROGRAM.py` with PyTorch 2.13.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program on tapedeck's engine, exactly as python3 with PyTorch 2.13 would.",
        discussion: "Prints what the program prints; an uncaught exception prints a Python traceback to stderr. Exit status: the program's (0, or 1 after an uncaught exception); 2 when PROGRAM cannot be read."
    )

    @Argument(help: "The program (.py) to run.")
    var program: String

    @OptionGroup var budget: BudgetOptions

    func run() throws {
        Interruption.install()
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do {
            return try Target.program(program, limits: budget.limits).run(stdout: Standard.out, stderr: Standard.error).exitCode
        } catch {
            return Standard.fail(error)
        }
    }
}
