import ArgumentParser
import Script
import Debugger

/// `tapedeck explain TARGET [ARGS...] [--json]`: the headless diagnosis, for scripts and CI.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnose every autograd error of a run and name the in-place op to blame.",
        discussion: """
            TARGET is a program or one or more trace files (one per rank of a distributed run: \
            `run.rank*.tdt`). A program runs on tapedeck's engine (its output not shown) when it \
            stays inside the Python subset, else it is recorded with real PyTorch (python3 -m \
            tapedeck_torch, ARGS passed on, its output sent to stderr); one line on stderr says \
            which engine ran and why. The \
            text report reads like a compiler diagnostic; --json prints one object described in \
            docs/explain-json.md (an array of them, one per trace, for several traces).

            Exit status: 0 when the run completed and raised no autograd error (warnings allowed), 1 \
            when it raised at least one, 3 when it stopped early with another exception or could not \
            run (outside the subset, a syntax error, a trace cut short): the report names the \
            exception, file and line and does not call the program clean; 2 when TARGET is unusable \
            (missing, unreadable, or a malformed trace). Over several traces: 1 when any has an \
            autograd error, else 3 when any is incomplete, else 0.
            """
    )

    @OptionGroup var target: LaunchOptions

    @Flag(help: "Print the diagnoses as one JSON object.")
    var json = false

    func run() throws {
        throw ExitCode(Self.execute(target.launch, json: json))
    }

    /// Explains `launch` (the report on stdout) and returns the exit status; also the whole of
    /// `ExplainShortcut`'s run.
    static func execute(_ launch: Launch, json: Bool) -> Int32 {
        Interruption.install()
        do throws(CommandError) {
            let runs = try launch.withoutPreviews.runs(announce: Standard.note)
            let reports = runs.map { $0.debugger.explain() }
            if runs.count == 1 {
                Standard.out(json ? reports[0].json() : reports[0].text())
            } else if json {
                Standard.out("[\n" + reports.map { $0.json().trimmingCharacters(in: .newlines) }.joined(separator: ",\n") + "\n]\n")
            } else {
                Standard.out(zip(runs, reports).map { "== \($0.path) ==\n" + $1.text() }.joined(separator: "\n"))
            }
            return Verdict.combined(reports.map(\.verdict)).exitStatus
        } catch {
            return Standard.fail(error)
        }
    }
}
