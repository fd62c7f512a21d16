import Foundation
import XCTest

/// `--recorder` and `--keep-steps`: the one-command flow records real PyTorch with the native
/// recorder or a step window, as `python3 -m tapedeck_torch --native --keep-steps N` would.
final class RecordingOptionsTests: XCTestCase {
    /// Ten backward calls without an optimizer (each ends a step); the eighth's saved output is
    /// bumped by `add_` on line 6. Inside the subset, so only the options send it to real PyTorch.
    private static let loop = """
        import torch
        w = torch.ones(3, requires_grad=True)
        for i in range(10):
            y = (w * i).sigmoid()
            if i == 7:
                y.add_(1)
            y.sum().backward()

        """

    func testNativeRecorderWithAWindowNamesTheCulprit() throws {
        try requireTorch()
        let directory = try temporaryDirectory()
        try Self.loop.write(to: directory.appendingPathComponent("loop.py"), atomically: true, encoding: .utf8)
        let record = try Binary.run(["record", "--recorder", "native", "--keep-steps", "2", "loop.py", "-o", "loop.tdt"], in: directory)
        if record.status == 2, record.stderr.contains("native core") {
            try XCTSkipIf(ProcessInfo.processInfo.environment["CI"] != "true", "the native core cannot be built here: \(record.stderr)")
        }
        XCTAssertEqual(record.status, 1, record.stderr)
        XCTAssertTrue(record.stderr.hasPrefix("tapedeck: engine: torch (--recorder native --keep-steps 2)\n"), record.stderr)
        let header = try XCTUnwrap(String(contentsOf: directory.appendingPathComponent("loop.tdt"), encoding: .utf8)
            .split(separator: "\n").first)
        XCTAssertTrue(header.contains("native)"), "the native recorder wrote it: \(header)")
        XCTAssertTrue(header.contains("\"dropped\": {\"steps\": 5,"), "five of the ten steps dropped: \(header)")
        let explain = try Binary.run(["explain", "loop.tdt"], in: directory)
        XCTAssertEqual(explain.status, 1, explain.stderr)
        XCTAssertTrue(explain.stdout.hasPrefix("loop.py:6:"), explain.stdout)
    }

    func testPythonRecorderIsAskedForByName() throws {
        try requireTorch()
        let directory = try temporaryDirectory()
        try Self.loop.write(to: directory.appendingPathComponent("loop.py"), atomically: true, encoding: .utf8)
        let explain = try Binary.run(["explain", "loop.py", "--keep-steps", "3", "--recorder", "python"], in: directory)
        XCTAssertEqual(explain.status, 1, explain.stderr)
        XCTAssertTrue(explain.stderr.hasPrefix("tapedeck: engine: torch (--recorder python --keep-steps 3)\n"), explain.stderr)
        XCTAssertTrue(explain.stdout.hasPrefix("loop.py:6:"), explain.stdout)
    }

    func testOptionsThatCannotApplyAreRefused() throws {
        let sample = "samples/saved_input_plus_equals.py"
        let refusals: [([String], String)] = [
            (["explain", "--engine", "tapedeck", "--recorder", "native", sample], "--recorder native records real PyTorch, which --engine tapedeck rules out"),
            (["run", "--keep-steps", "2", sample], "`tapedeck run` records nothing, so --keep-steps 2 has no use here"),
            (["record", "--keep-steps", "0", sample, "-o", "/dev/null"], "--keep-steps must be at least 1, got 0"),
            (["explain", "--recorder", "fast", sample], "'fast'"),
        ]
        for (arguments, reason) in refusals {
            let output = try Binary.run(arguments)
            XCTAssertEqual(output.status, 64, arguments.joined(separator: " "))
            XCTAssertTrue(output.stderr.contains(reason), output.stderr)
        }
    }
}
