import ConformanceCases
import XCTest

/// `tapedeck run` behaves like `python3 PROGRAM.py` with PyTorch 2.13, through the real binary
/// and its real standard streams.
final class RunCommandTests: XCTestCase {
    func testEveryConformanceCaseRunsAsPyTorchDid() throws {
        let cases = try ConformanceCase.all()
        XCTAssertGreaterThan(cases.count, 40)
        for item in cases {
            let output = try Binary.run(["run", item.file], in: Binary.casesDirectory)
            XCTAssertEqual(output.stdout, item.expected.stdout, "\(item.name): stdout")
            XCTAssertEqual(output.status, item.expected.exit_code, "\(item.name): exit status\n\(output.stderr)")
            guard let error = item.expected.error, let line = item.expected.error_line else { continue }
            let lines = output.stderr.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.last, error, "\(item.name): last stderr line")
            let frames = lines.filter { $0.hasPrefix("  File \"\(item.file)\", line ") }
            if ["SyntaxError: ", "IndentationError: ", "TabError: "].contains(where: error.hasPrefix) {
                // Python reports a compile error with the location alone: no traceback, no scope.
                XCTAssertEqual(frames, ["  File \"\(item.file)\", line \(line)"], "\(item.name): syntax error location")
            } else {
                XCTAssertEqual(lines.first, "Traceback (most recent call last):", "\(item.name): traceback header")
                XCTAssertTrue(frames.last?.hasPrefix("  File \"\(item.file)\", line \(line), in ") ?? false,
                              "\(item.name): innermost program frame \(frames.last ?? "none"), expected line \(line)")
            }
        }
    }

    func testAMissingProgramIsReportedWithStatus2() throws {
        let output = try Binary.run(["run", "no_such_program.py"])
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stdout, "")
        XCTAssertEqual(output.stderr, "tapedeck: error: no_such_program.py: no such file\n")
    }

    func testASyntaxErrorNamesTheFileAndLine() throws {
        let directory = try temporaryDirectory()
        try "import torch\nx = torch.ones(3\nprint(x)\n".write(to: directory.appendingPathComponent("broken.py"), atomically: true, encoding: .utf8)
        let output = try Binary.run(["run", "broken.py"], in: directory)
        XCTAssertEqual(output.status, 1)
        // What python3.11 prints: the location of the bracket that was never closed.
        XCTAssertEqual(output.stderr, """
              File "broken.py", line 2
                x = torch.ones(3
                              ^
            SyntaxError: '(' was never closed

            """)
    }

    func testATorchFunctionOutsideTheSubsetIsNamed() throws {
        let directory = try temporaryDirectory()
        try "import torch\nx = torch.ones(3)\ny = torch.fft.fft(x)\n".write(to: directory.appendingPathComponent("fft.py"), atomically: true, encoding: .utf8)
        let output = try Binary.run(["run", "fft.py"], in: directory)
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("File \"fft.py\", line 3"), output.stderr)
        XCTAssertTrue(output.stderr.contains("NotImplementedError: tapedeck does not support torch.fft"), output.stderr)
    }
}
