import ArgumentParser

/// What `open`, `explain`, `graph`, `run` and `record` take, as the user types it: a program with its own
/// arguments or trace files, the engine to force, and the budgets of a run on tapedeck's engine.
struct LaunchOptions: ParsableArguments {
    @Argument(help: "A program (.py) or a trace file (.tdt).")
    var target: String

    @Option(help: "Force the engine for a program: tapedeck (the Python subset) or torch (real PyTorch).")
    var engine: Engine?

    @Argument(parsing: .allUnrecognized, help: "The program's own arguments (for explain, or more trace files).")
    var arguments: [String] = []

    @OptionGroup var budget: BudgetOptions

    /// The launch these options describe.
    var launch: Launch {
        Launch(targets: [target] + arguments, engine: engine, limits: budget.limits)
    }
}
