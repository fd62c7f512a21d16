import ArgumentParser
import TerminalUI

/// `tapedeck FILE`: the full-screen debugger.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the full-screen debugger on a program or a trace file (the default command).",
        discussion: "Keys: n/p step, N/P source line, g/G first/last, b replay backward, e next error, Enter inspect, / search, : go to step, ? help, q quit. Needs a terminal; for pipes and CI use `tapedeck explain`."
    )

    @Argument(help: "A program (.py) or a trace file (.tdt).")
    var file: String

    func run() throws {
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            let debugger = try Target.load(file).debugger()
            do {
                return try DebuggerApp(debugger: debugger).run()
            } catch {
                throw .noTerminal(error)
            }
        } catch {
            return Standard.fail(error)
        }
    }
}
