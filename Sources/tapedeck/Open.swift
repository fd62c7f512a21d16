import ArgumentParser
import Script
import TerminalUI

/// `tapedeck FILE [ARGS...]`: the full-screen debugger.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the full-screen debugger on a program or a trace file (the default command).",
        discussion: """
            A program runs on tapedeck's engine when it stays inside the Python subset, else it is \
            recorded with real PyTorch (python3 -m tapedeck_torch, ARGS passed on); one line on \
            stderr says which engine ran and why. \
            Keys: n/p step, N/P source line, g/G first/last, b replay backward, e next error, Enter inspect, / search, : go to step, ? help, q quit. Needs a terminal; for pipes and CI use `tapedeck explain`. \
            Exit status after q: as `tapedeck explain` (0 clean, 1 autograd errors, 3 incomplete run); \
            2 for unusable input; 128 + N after signal N.
            """
    )

    @OptionGroup var target: LaunchOptions

    func run() throws {
        Interruption.install()
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            do {
                try DebuggerApp.requireTerminal()
            } catch {
                throw .noTerminal(error)
            }
            let launch = target.launch
            if launch.targets.count == 1, case .trace(let path) = try Target.load(target.target) {
                return try openTrace(path)
            }
            var engine: String?
            let run = try launch.runs { line in
                Standard.note(line)
                engine = engine ?? line
            }[0]
            do {
                return try DebuggerApp(debugger: run.debugger, note: engine).run()
            } catch {
                throw .noTerminal(error)
            }
        } catch {
            return Standard.fail(error)
        }
    }

    /// The debugger on one trace file, its first screen shown while the rest loads
    /// (`TraceOpening`); the load's warnings and a failure of its rest are printed once the
    /// terminal is back.
    private func openTrace(_ path: String) throws(CommandError) -> Int32 {
        let opened: (first: DebuggerState, rest: TraceOpening?)
        do {
            opened = try TraceOpening.open(path: path)
        } catch {
            throw Self.failure(error, path: path)
        }
        let status: Int32
        do {
            status = try DebuggerApp(state: opened.first, opening: opened.rest).run()
        } catch {
            throw .noTerminal(error)
        }
        var whole = opened.first
        if let rest = opened.rest, case .loaded(let result) = rest.progress {
            switch result {
            case .success(let state): whole = state
            case .failure(let error): throw Self.failure(error, path: path)
            }
        }
        for warning in whole.tape.warnings { Standard.error("tapedeck: \(warning)\n") }
        return status
    }

    private static func failure(_ error: TraceOpening.Failure, path: String) -> CommandError {
        switch error {
        case .trace(let error): .badTrace(error)
        case .tape(let error): .badTape(path: path, error)
        }
    }
}
