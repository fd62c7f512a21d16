import Foundation
import XCTest

/// One command for any program: tapedeck's engine inside the subset, real PyTorch (the bundled
/// recorder) outside it, one line saying which ran and why, and a clear message without torch.
final class LaunchCommandTests: XCTestCase {
    /// A program outside the subset (argparse) with its own arguments and the ReLU(inplace) bug.
    private static let outsideSubset = """
        import argparse
        import torch
        import torch.nn as nn

        parser = argparse.ArgumentParser()
        parser.add_argument("--width", type=int, default=2)
        args = parser.parse_args()
        print("width", args.width)
        model = nn.Sequential(nn.Linear(2, args.width), nn.Sigmoid(), nn.ReLU(inplace=True))
        out = model(torch.ones(3, 2))
        out.sum().backward()

        """

    func testASubsetProgramRunsOnTapedecksEngineAndSaysSo() throws {
        let output = try Binary.run(["explain", "samples/saved_input_plus_equals.py"])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "tapedeck: engine: tapedeck (the program stays inside its Python subset; --engine torch runs real PyTorch)\n")
        XCTAssertTrue(output.stdout.hasPrefix("samples/saved_input_plus_equals.py:8:1: error: "), output.stdout)
    }

    func testAProgramOutsideTheSubsetIsRecordedWithRealPyTorchAndGetsItsArguments() throws {
        try requireTorch()
        let directory = try programDirectory()
        let output = try Binary.run(["explain", "train.py", "--json", "--width", "3"], in: directory)
        XCTAssertEqual(output.status, 1, output.stderr)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "tapedeck: engine: torch, because train.py:1: tapedeck does not support importing argparse (only torch, torch.nn, torch.nn.functional, torch.optim and math)")
        XCTAssertTrue(lines.contains("width 3"), "the program's output and arguments: \(output.stderr)")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let diagnosis = try XCTUnwrap((report["diagnoses"] as? [[String: Any]])?.first)
        XCTAssertEqual((diagnosis["culprit"] as? [String: Any])?["line"] as? Int, 10)
    }

    /// SIGTERM or SIGHUP sent to tapedeck alone, while real PyTorch runs a program that never ends,
    /// ends the python3 child too (it used to keep running after tapedeck died), and tapedeck's
    /// temporary trace is removed (it used to stay in $TMPDIR as `tapedeck-UUID.tdt.partial`). Two
    /// SIGINTs (Ctrl-C twice, which exits 130 at once) do the same.
    func testTerminatingTapedeckEndsTheRecorderItWaitsOn() throws {
        try requireTorch()
        let directory = try temporaryDirectory()
        try "import torch\nz = torch.linspace(0, 1, 3)\nprint('started', flush=True)\nwhile True:\n    pass\n"
            .write(to: directory.appendingPathComponent("loop.py"), atomically: true, encoding: .utf8)
        for signals in [[SIGTERM], [SIGHUP], [SIGINT, SIGINT]] {
            let temporary = try temporaryDirectory()
            let process = Process()
            process.executableURL = Binary.url
            // The budget is out of reach here: the loop must still be running when the signal comes.
            process.arguments = ["explain", "--max-steps", "1000000000000", "loop.py"]
            process.currentDirectoryURL = directory
            process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var printed = ""
            while !printed.contains("started") {
                let chunk = err.fileHandleForReading.availableData
                XCTAssertFalse(chunk.isEmpty, "tapedeck ended before the program started: \(printed)")
                if chunk.isEmpty { return }
                printed += String(decoding: chunk, as: UTF8.self)
            }
            let children = try String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children", encoding: .utf8)
            let child = try XCTUnwrap(children.split(separator: " ").first.flatMap { Int32($0) }, "the recorder's python3")
            let traces = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("tapedeck-") }
            XCTAssertEqual(traces.count, 1, "the recording is under way in $TMPDIR: \(traces)")
            for signal in signals {
                kill(process.processIdentifier, signal)
                usleep(100_000)
            }
            process.waitUntilExit()
            if signals.first == SIGINT {
                XCTAssertEqual(process.terminationReason, .exit)
                XCTAssertEqual(process.terminationStatus, 130)
            } else {
                XCTAssertEqual(process.terminationReason, .uncaughtSignal)
                XCTAssertEqual(process.terminationStatus, signals[0])
            }
            let deadline = Date().addingTimeInterval(10)
            while Self.isRunning(child), Date() < deadline { usleep(50_000) }
            XCTAssertFalse(Self.isRunning(child), "python3 \(child) still runs after tapedeck got \(signals)")
            if Self.isRunning(child) { kill(child, SIGKILL) }
            let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("tapedeck-") }
            XCTAssertEqual(left, [], "tapedeck's temporary trace is left behind after \(signals)")
        }
    }

    /// `--max-steps` and `--max-memory` bound a program on real PyTorch as on tapedeck's engine:
    /// stopped with the engine's line on stderr, `run` exit 1, `explain` and `record` exit 3 with
    /// the stop in the report and the trace. `tapedeck explain` on this loop used to run until killed.
    func testBudgetsStopAProgramOnRealPyTorch() throws {
        try requireTorch()
        let directory = try temporaryDirectory()
        try "import torch\nz = torch.linspace(0, 1, 3)\nwhile True:\n    pass\n"
            .write(to: directory.appendingPathComponent("loop.py"), atomically: true, encoding: .utf8)
        try "import torch\nkept = []\nwhile True:\n    kept.append(torch.ones(1 << 20))\n"
            .write(to: directory.appendingPathComponent("grow.py"), atomically: true, encoding: .utf8)
        let stop = "tapedeck: loop.py:4: the program was stopped after 100000 steps (statements executed); raise the budget with --max-steps\n"
        let run = try Binary.run(["run", "--max-steps", "100000", "loop.py"], in: directory)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix(stop), run.stderr)
        let explain = try Binary.run(["explain", "--max-steps", "100000", "loop.py"], in: directory)
        XCTAssertEqual(explain.status, 3, explain.stderr)
        XCTAssertTrue(explain.stderr.hasSuffix(stop), explain.stderr)
        XCTAssertTrue(explain.stdout.contains("loop.py:4:5: note: the run stopped here, incomplete: tapedeck.BudgetExceeded"), explain.stdout)
        XCTAssertTrue(explain.stdout.contains("loop.py: incomplete run"), explain.stdout)
        let record = try Binary.run(["record", "--engine", "torch", "--max-steps", "100000", "loop.py", "-o", "loop.tdt"], in: directory)
        XCTAssertEqual(record.status, 3, record.stderr)
        let trace = try String(contentsOf: directory.appendingPathComponent("loop.tdt"), encoding: .utf8)
        XCTAssertTrue(trace.hasSuffix("\"line\":4}\n{\"k\":\"exit\",\"code\":1}\n"), String(trace.suffix(300)))
        XCTAssertTrue(trace.contains("{\"k\":\"error\",\"type\":\"tapedeck.BudgetExceeded\""), String(trace.suffix(300)))
        let grow = try Binary.run(["run", "--engine", "torch", "--max-memory", "768", "grow.py"], in: directory)
        XCTAssertEqual(grow.status, 1, grow.stderr)
        XCTAssertTrue(grow.stderr.contains("tapedeck: grow.py:4: the program was stopped "), grow.stderr)
        XCTAssertTrue(grow.stderr.hasSuffix("768 MiB memory budget; raise it with --max-memory\n")
            || grow.stderr.hasSuffix("768 MiB of memory; raise the budget with --max-memory\n"), grow.stderr)
    }

    /// Whether `pid` is a live process: not gone and not a zombie (an orphan nobody reaps).
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }

    func testEngineTorchForcesTheRecorderOnASubsetProgram() throws {
        try requireTorch()
        let engine = try Binary.run(["explain", "samples/saved_input_plus_equals.py"])
        let torch = try Binary.run(["explain", "--engine", "torch", "samples/saved_input_plus_equals.py"])
        XCTAssertTrue(torch.stderr.hasPrefix("tapedeck: engine: torch (--engine torch)\n"), torch.stderr)
        XCTAssertEqual(torch.status, engine.status)
        XCTAssertEqual(torch.stdout.split(separator: "\n").first, engine.stdout.split(separator: "\n").first, "the same culprit either way")
    }

    func testWithoutTorchTheMessageNamesTheConstructAndHowToInstallTorch() throws {
        let directory = try programDirectory()
        let output = try Binary.run(["explain", "train.py"], in: directory, environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stdout, "")
        XCTAssertTrue(output.stderr.hasPrefix("tapedeck: error: train.py:1: tapedeck does not support importing argparse"), output.stderr)
        XCTAssertTrue(output.stderr.contains("python3 is not on PATH. Install it with `python3 -m pip install torch`"), output.stderr)
    }

    func testTheRecorderIsFoundThroughTAPEDECK_RECORDER() throws {
        try requireTorch()
        let directory = try programDirectory()
        let fake = try fakeRecorder(in: directory.appendingPathComponent("elsewhere"))
        let output = try Binary.run(["explain", "--engine", "torch", "train.py"], in: directory, environment: ["TAPEDECK_RECORDER": fake.path])
        XCTAssertTrue(output.stdout.hasPrefix("samples/saved_input_plus_equals.py:8:1: error: "), "the fake recorder's trace: \(output.stdout) \(output.stderr)")
    }

    /// Every command asks for the native core, falling back to the Python recorder
    /// (`--prefer-native`); `explain` and `graph` for no previews, `record` (and the debugger) for
    /// previews; a recorder named is the one asked for.
    func testEveryCommandPrefersTheNativeCoreAndExplainAndGraphSkipPreviews() throws {
        try requireTorch()
        let directory = try programDirectory()
        let fake = try fakeRecorder(in: directory.appendingPathComponent("elsewhere"))
        let environment = ["TAPEDECK_RECORDER": fake.path]
        let commands: [([String], (native: String?, values: Bool))] = [
            (["explain", "train.py"], ("--prefer-native", false)),
            (["explain", "--recorder", "python", "train.py"], (nil, false)),
            (["explain", "--recorder", "native", "train.py"], ("--native", false)),
            (["graph", "train.py"], ("--prefer-native", false)),
            (["record", "train.py", "-o", "out.tdt"], ("--prefer-native", true)),
            (["record", "--recorder", "python", "train.py", "-o", "out.tdt"], (nil, true)),
            (["record", "--recorder", "native", "train.py", "-o", "out.tdt"], ("--native", true)),
        ]
        for (command, expected) in commands {
            let output = try Binary.run(command, in: directory, environment: environment)
            XCTAssertTrue([0, 1].contains(output.status), "\(command): \(output.stderr)")
            let arguments = try recorderArguments(in: directory)
            let chosen = arguments.filter { $0 == "--native" || $0 == "--prefer-native" }
            XCTAssertEqual(chosen, expected.native.map { [$0] } ?? [], "\(command) ran the recorder with \(arguments)")
            XCTAssertEqual(!arguments.contains("--values"), expected.values, "\(command) ran the recorder with \(arguments)")
        }
    }

    func testTheRecorderIsFoundBesideTheBinary() throws {
        try requireTorch()
        let directory = try programDirectory()
        let bin = directory.appendingPathComponent("bin")
        _ = try fakeRecorder(in: bin)
        let copy = bin.appendingPathComponent("tapedeck")
        try FileManager.default.copyItem(at: Binary.url, to: copy)
        let output = try Binary.run(["explain", "--engine", "torch", "train.py"], in: directory, executable: copy)
        XCTAssertTrue(output.stdout.hasPrefix("samples/saved_input_plus_equals.py:8:1: error: "), "the fake recorder's trace: \(output.stdout) \(output.stderr)")
    }

    /// `run` and `record` choose the engine too. The program prints before the call tapedeck
    /// lacks: the trial run on tapedeck's engine shows nothing, so the output appears once, from
    /// the real PyTorch run.
    func testRunAndRecordOutsideTheSubsetRunTheProgramOnceWithRealPyTorch() throws {
        try requireTorch()
        let directory = try programDirectory()
        try "import torch\nprint(\"start\")\nz = torch.linspace(0, 1, 3)\nprint(z.sum().item())\n"
            .write(to: directory.appendingPathComponent("outside.py"), atomically: true, encoding: .utf8)
        let because = "tapedeck: engine: torch, because outside.py:3: tapedeck does not support torch.linspace\n"
        let run = try Binary.run(["run", "outside.py"], in: directory)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "start\n1.5\n")
        XCTAssertEqual(run.stderr, because)
        let record = try Binary.run(["record", "outside.py", "-o", "outside.tdt"], in: directory)
        XCTAssertEqual(record.status, 0, record.stderr)
        XCTAssertEqual(record.stdout, "start\n1.5\n")
        XCTAssertEqual(record.stderr, because)
        let header = try String(contentsOf: directory.appendingPathComponent("outside.tdt"), encoding: .utf8).prefix { $0 != "\n" }
        XCTAssertTrue(header.contains("tapedeck_torch"), "recorded by real PyTorch: \(header)")
        let forced = try Binary.run(["run", "--engine", "torch", "train.py", "--width", "4"], in: directory)
        XCTAssertTrue(forced.stderr.hasPrefix("tapedeck: engine: torch (--engine torch)\n"), forced.stderr)
        XCTAssertEqual(forced.stdout, "width 4\n", "the program's own arguments")
        XCTAssertEqual(forced.status, 1, "the ReLU(inplace) error, as python3 exits")
    }

    /// Inside the subset `run` stays on tapedeck's engine and says nothing of its own, so its
    /// output is python3's byte for byte.
    func testRunInsideTheSubsetIsQuietAboutTheEngine() throws {
        let output = try Binary.run(["run", "samples/saved_input_plus_equals.py"])
        XCTAssertEqual(output.status, 1)
        XCTAssertFalse(output.stderr.contains("tapedeck: engine"), output.stderr)
        XCTAssertTrue(output.stderr.hasPrefix("Traceback (most recent call last):\n"), output.stderr)
    }

    /// A kept trial writes what the program wrote, stdout and stderr interleaved in the order the
    /// program wrote them, exactly as `--engine tapedeck` streams it.
    func testAKeptTrialReleasesItsOutputInTheOrderItWasWritten() throws {
        let directory = try temporaryDirectory()
        try """
            import torch
            x = torch.ones(2, requires_grad=True)
            print("before")
            with torch.no_grad():
                x.add_(1)
            y = torch.sigmoid(x)
            y.mul_(2)
            print("after")
            y.sum().backward()

            """.write(to: directory.appendingPathComponent("order.py"), atomically: true, encoding: .utf8)
        func combined(_ arguments: String) throws -> String {
            try Binary.run(["-c", "exec \"$0\" run \(arguments) order.py 2>&1", Binary.url.path], in: directory,
                           executable: URL(fileURLWithPath: "/bin/sh")).stdout
        }
        let trial = try combined("")
        XCTAssertTrue(trial.hasPrefix("before\nafter\nTraceback (most recent call last):\n"), trial)
        XCTAssertEqual(trial, try combined("--engine tapedeck"))
    }

    func testSeveralTracesAreExplainedOneByOne() throws {
        let traces = ["samples/saved_input_plus_equals.tdt", "samples/backward_twice.tdt"]
        let json = try Binary.run(["explain", "--json"] + traces)
        XCTAssertEqual(json.status, 1)
        let reports = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(reports.count, 2)
        let text = try Binary.run(["explain"] + traces)
        XCTAssertTrue(text.stdout.hasPrefix("== samples/saved_input_plus_equals.tdt ==\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("\n== samples/backward_twice.tdt ==\n"), text.stdout)
        let mixed = try Binary.run(["explain", traces[0], "samples/backward_twice.py"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("samples/backward_twice.py: is a program"), mixed.stderr)
    }

    /// A recording killed mid-run (here the program SIGKILLs its own process) leaves only the
    /// recorder's `.partial` trace: tapedeck debugs the events in it, says so, and calls the run
    /// incomplete (exit 3), never clean.
    func testARecordingKilledMidRunIsDebuggedAsIncomplete() throws {
        try requireTorch()
        let directory = try temporaryDirectory()
        try """
            import os, signal
            import torch
            x = torch.ones(3, requires_grad=True)
            (x * 2).sum().backward()
            os.kill(os.getpid(), signal.SIGKILL)

            """.write(to: directory.appendingPathComponent("killed.py"), atomically: true, encoding: .utf8)
        let output = try Binary.run(["explain", "--engine", "torch", "killed.py"], in: directory)
        XCTAssertEqual(output.status, 3, output.stderr)
        XCTAssertTrue(output.stderr.contains(
            "tapedeck: the recording of killed.py was killed by signal 9 before the program ended; debugging the events it wrote\n"), output.stderr)
        XCTAssertTrue(output.stdout.contains("the trace ends before the program did (no `exit` event)"), output.stdout)
        XCTAssertTrue(output.stdout.contains("killed.py: incomplete run: "), output.stdout)
    }

    private func programDirectory() throws -> URL {
        let directory = try temporaryDirectory()
        try Self.outsideSubset.write(to: directory.appendingPathComponent("train.py"), atomically: true, encoding: .utf8)
        return directory
    }

    /// A `tapedeck_torch` package in `parent` whose `python3 -m tapedeck_torch` writes the sample's
    /// trace where `-o` says and its own arguments, one a line, to `recorder-arguments.txt` in the
    /// folder it runs in.
    private func fakeRecorder(in parent: URL) throws -> URL {
        let package = parent.appendingPathComponent("tapedeck_torch")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try "".write(to: package.appendingPathComponent("__init__.py"), atomically: true, encoding: .utf8)
        let sample = Binary.root.appendingPathComponent("samples/saved_input_plus_equals.tdt").path
        try """
            import shutil, sys
            shutil.copy(\(String(reflecting: sample)), sys.argv[sys.argv.index("-o") + 1])
            with open("recorder-arguments.txt", "w") as f:
                f.write("\\n".join(sys.argv[1:]))
            """.write(to: package.appendingPathComponent("__main__.py"), atomically: true, encoding: .utf8)
        return parent
    }

    /// What the fake recorder was last run with in `directory`.
    private func recorderArguments(in directory: URL) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent("recorder-arguments.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }
}
