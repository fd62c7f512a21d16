import ArgumentParser
import Debugger

/// `tapedeck explain TARGET [--json]`: the headless diagnosis, for scripts and CI.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnose every autograd error of a run and name the in-place op to blame.",
        discussion: """
            TARGET is a program (run on tapedeck's engine, its output discarded) or a trace file. \
            The text report reads like a compiler diagnostic; --json prints one object described in \
            docs/explain-json.md.

            Exit status: 0 when the run raised no autograd error (warnings allowed), 1 when it raised \
            at least one, 2 when TARGET is unusable (missing, unreadable, or a malformed trace).
            """
    )

    @Argument(help: "A program (.py) or a trace file (.tdt).")
    var target: String

    @Flag(help: "Print the diagnoses as one JSON object.")
    var json = false

    func run() throws {
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            let report = try Target.load(target).debugger().explain()
            Standard.out(json ? report.json() : report.text())
            return report.exitStatus
        } catch {
            return Standard.fail(error)
        }
    }
}
