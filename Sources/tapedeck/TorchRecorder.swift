import Foundation
import Script

/// The recorder package (`tapedeck_torch`) run by `python3` with real PyTorch: records a program
/// into a trace file so a program outside tapedeck's subset can still be debugged.
///
/// The package is found without a separate `pip install`: `$TAPEDECK_RECORDER` (a folder holding
/// `tapedeck_torch/`), else a `tapedeck_torch/` or `recorder/tapedeck_torch/` beside the binary or
/// in a folder above it (a checkout's `.build/release/tapedeck` finds the checkout's `recorder/`),
/// else whatever `python3` itself imports (`pip install ./recorder`).
///
/// The program runs under the same step and memory budgets as on tapedeck's engine: the recorder
/// counts the statements of the program's own files and limits python3's memory
/// (`--max-steps`, `--max-memory`, recorder/tapedeck_torch/budget.py), and stops it with the
/// engine's message and exit status 1, its trace ending with the `tapedeck.BudgetExceeded` error.
struct TorchRecorder {
    /// `python3` on PATH.
    let python: URL
    /// The folder to put on PYTHONPATH, nil when python3 imports `tapedeck_torch` by itself.
    let packageRoot: URL?
    /// The budgets the program runs under.
    var limits: RunLimits = .standard
    /// Which recorder records, and what it keeps.
    var recording = Recording()

    /// Finds `python3` with torch and the recorder, to run programs under `limits` and record them
    /// as `recording` says; throws naming what is missing, with `reason` (why torch is needed) in
    /// the message.
    static func locate(
        reason: String, limits: RunLimits = .standard, recording: Recording = Recording()
    ) throws(CommandError) -> TorchRecorder {
        guard let python = Executable.find("python3") else { throw .torchMissing(reason: reason, detail: "python3 is not on PATH") }
        let root = packageRoot()
        let probe = run(python, ["-c", "import importlib.util as u; print(u.find_spec('torch') is not None, u.find_spec('tapedeck_torch') is not None)"], packageRoot: root)
        let found = probe.split(separator: " ").map { $0.hasPrefix("True") }
        guard found.count == 2 else { throw .torchMissing(reason: reason, detail: "python3 did not start") }
        guard found[0] else { throw .torchMissing(reason: reason, detail: "python3 cannot import torch") }
        guard found[1] else { throw .recorderMissing }
        return TorchRecorder(python: python, packageRoot: root, limits: limits, recording: recording)
    }

    /// Runs `program` with `arguments` under the recorder and returns the path of the trace to
    /// load: `trace`, or `trace.partial` when the recorder was killed before the run ended (it
    /// renames the partial trace into place only at the end). `announce` gets a line saying so: that
    /// trace has no `exit` event, so the debugger calls the run incomplete. The program's stdout goes
    /// to `programOutput`: tapedeck's stderr by default, so stdout stays free for reports
    /// (`tapedeck record` passes its own stdout).
    /// With `temporary`, the trace is tapedeck's own: both names are removed if tapedeck is ended
    /// by a signal while the recorder runs (`ChildProcess`).
    func record(
        _ program: String, arguments: [String], to trace: String, programOutput: FileHandle = .standardError,
        temporary: Bool = false, announce: (String) -> Void
    ) throws(CommandError) -> String {
        let process = try execute(
            ["-m", "tapedeck_torch"] + budgetArguments + recording.arguments + ["-o", trace, program] + arguments, program: program,
            stdout: programOutput, temporary: temporary ? [trace, Self.partialPath(of: trace)] : [])
        if FileManager.default.fileExists(atPath: trace) { return trace }
        let partial = Self.partialPath(of: trace)
        guard FileManager.default.fileExists(atPath: partial) else {
            throw .recordingFailed(program: program, status: process.terminationStatus)
        }
        let how = process.terminationReason == .uncaughtSignal
            ? "was killed by signal \(process.terminationStatus)"
            : "exited with status \(process.terminationStatus)"
        announce("the recording of \(program) \(how) before the program ended; debugging the events it wrote")
        return partial
    }

    /// Runs `program` with `arguments` as `python3 PROGRAM ARGS...` would (through the recorder's
    /// `--no-trace`, which adds only the budgets), on tapedeck's own standard streams, and returns
    /// its exit status (128 + N after signal N, as a shell says).
    func run(_ program: String, arguments: [String]) throws(CommandError) -> Int32 {
        let process = try execute(
            ["-m", "tapedeck_torch", "--no-trace"] + budgetArguments + [program] + arguments, program: program,
            stdout: .standardOutput, temporary: [])
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// The recorder's options for `limits` (its `--max-memory` is in MiB, as tapedeck's).
    var budgetArguments: [String] {
        ["--max-steps", String(limits.maxSteps), "--max-memory", String(limits.maxMemory >> 20)]
    }

    /// Starts `python3 ARGUMENTS` and returns the process once it has ended; `temporary` names the
    /// files to remove if tapedeck is ended by a signal meanwhile.
    private func execute(
        _ arguments: [String], program: String, stdout: FileHandle, temporary: [String]
    ) throws(CommandError) -> Process {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        process.environment = Self.environment(packageRoot: packageRoot)
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.standardInput
        do {
            try process.run()
        } catch {
            throw .pythonDidNotStart(program: program)
        }
        ChildProcess.wait(for: process, removing: temporary)
        return process
    }

    /// The name the recorder writes a trace under until the run ends (`tapedeck_torch.writer.partial_path`).
    static func partialPath(of trace: String) -> String { trace + ".partial" }

    /// The folder holding `tapedeck_torch/`, searched as the type's documentation says.
    static func packageRoot(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL
    ) -> URL? {
        if let configured = environment["TAPEDECK_RECORDER"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        var directory = executable?.resolvingSymlinksInPath().deletingLastPathComponent()
        while let current = directory, current.path != "/" {
            for candidate in [current, current.appendingPathComponent("recorder")]
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("tapedeck_torch/__init__.py").path) {
                return candidate
            }
            directory = current.deletingLastPathComponent()
        }
        return nil
    }

    private static func environment(packageRoot: URL?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if let packageRoot {
            environment["PYTHONPATH"] = ([packageRoot.path] + [environment["PYTHONPATH"]].compactMap { $0 }.filter { !$0.isEmpty })
                .joined(separator: ":")
        }
        return environment
    }

    /// Runs `python` briefly and returns its stdout ("" when it cannot start).
    private static func run(_ python: URL, _ arguments: [String], packageRoot: URL?) -> String {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        process.environment = environment(packageRoot: packageRoot)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
