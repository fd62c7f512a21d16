import ArgumentParser
import Script

/// `--max-steps` and `--max-memory`: the budgets a program run stops at, shared by every command
/// that runs a program, on tapedeck's engine and on real PyTorch (`TorchRecorder` hands them to the
/// recorder, which counts the program's own statements and limits python3's memory).
struct BudgetOptions: ParsableArguments {
    @Option(help: "Stop a program after this many steps (statements and loop iterations executed).")
    var maxSteps = RunLimits.standard.maxSteps

    @Option(help: "Stop a program once it holds more than this many MiB of memory (tapedeck's on its engine, python3's on real PyTorch).")
    var maxMemory = RunLimits.standard.maxMemory >> 20

    func validate() throws {
        guard maxSteps > 0 else { throw ValidationError("--max-steps must be positive, got \(maxSteps)") }
        guard maxMemory > 0, maxMemory <= Int.max >> 20 else { throw ValidationError("--max-memory must be a positive number of MiB, got \(maxMemory)") }
    }

    var limits: RunLimits {
        RunLimits(maxSteps: maxSteps, maxMemory: maxMemory << 20)
    }
}
