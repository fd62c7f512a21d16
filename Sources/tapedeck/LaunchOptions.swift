import ArgumentParser

/// What `open`, `explain`, `graph`, `run` and `record` take, as the user types it: a program with its own
/// arguments or trace files, the engine to force, how real PyTorch is recorded, and the budgets of a run.
struct LaunchOptions: ParsableArguments {
    @Argument(help: "A program (.py) or a trace file (.tdt).")
    var target: String

    @Option(help: "Force the engine for a program: tapedeck (the Python subset) or torch (real PyTorch).")
    var engine: Engine?

    @Argument(parsing: .allUnrecognized, help: "The program's own arguments (for explain, or more trace files).")
    var arguments: [String] = []

    @Option(help: "Record real PyTorch with this recorder: native (its C++ core, several times cheaper per op; the default where it can be built: a C++ compiler and ninja, about a minute once) or python (Python dispatch, no build). Runs the program on real PyTorch.")
    var recorder: RecorderKind?

    @Option(help: ArgumentHelp("Keep only the last N steps of the recording (a step ends at each optimizer.step(), or at each backward() before the first) and the step running at the end. Runs the program on real PyTorch.", valueName: "n"))
    var keepSteps: Int?

    @OptionGroup var budget: BudgetOptions

    func validate() throws {
        if let keepSteps, keepSteps < 1 { throw ValidationError("--keep-steps must be at least 1, got \(keepSteps)") }
        if engine == .tapedeck, recording.isRequested {
            throw ValidationError("\(recording.options) records real PyTorch, which --engine tapedeck rules out")
        }
    }

    /// How real PyTorch is to be recorded.
    var recording: Recording {
        Recording(recorder: recorder, keepSteps: keepSteps)
    }

    /// The launch these options describe.
    var launch: Launch {
        Launch(targets: [target] + arguments, engine: engine, recording: recording, limits: budget.limits)
    }
}
