import ConformanceCases
import Foundation
import XCTest

/// `tapedeck explain` names the culprit of every conformance case, gives the same diagnosis for a
/// program and for its recorded trace, and keeps its exit-status contract.
final class ExplainCommandTests: XCTestCase {
    private struct Report: Decodable {
        struct Diagnosis: Decodable {
            struct Culprit: Decodable { var line: Int }
            var kind: String
            var message: String?
            var culprit: Culprit?
        }
        var verdict: String
        var errors: Int
        var diagnoses: [Diagnosis]
    }

    /// What the binary did with one conformance case: `explain --json` on the program, `record` of it,
    /// and `explain --json` on that trace.
    private struct CaseRun: Sendable {
        var item: ConformanceCase
        var program: Binary.Output
        var record: Binary.Output
        var replayed: Binary.Output
    }

    /// Every case explained and recorded once, shared by the tests below (the engine runs each
    /// program once per command, not once per test); the traces are removed once explained.
    private static let runs = Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try ConformanceCase.all().map { item in
            let trace = directory.appendingPathComponent(item.name + ".tdt").path
            return CaseRun(
                item: item,
                program: try Binary.run(["explain", item.file, "--json"], in: Binary.casesDirectory),
                record: try Binary.run(["record", item.file, "-o", trace], in: Binary.casesDirectory),
                replayed: try Binary.run(["explain", trace, "--json"], in: Binary.casesDirectory)
            )
        }
    }

    func testRecordPrintsWhatTheProgramPrintsAndExitsWithExplainsVerdict() throws {
        let runs = try Self.runs.get()
        XCTAssertGreaterThan(runs.count, 40)
        for run in runs {
            XCTAssertEqual(run.record.status, run.program.status, "\(run.item.name): record exits with explain's verdict")
            XCTAssertEqual(run.record.stdout, run.item.expected.stdout, "\(run.item.name): record prints what the program prints")
        }
    }

    func testEveryTraceExplainsLikeItsProgram() throws {
        for run in try Self.runs.get() {
            XCTAssertEqual(run.replayed.stdout, run.program.stdout, "\(run.item.name): the trace explains like the program")
            XCTAssertEqual(run.replayed.status, run.program.status, "\(run.item.name): same exit status from the trace")
        }
    }

    func testTheVerdictAndExitStatusFollowTheRun() throws {
        for run in try Self.runs.get() {
            let report = try JSONDecoder().decode(Report.self, from: Data(run.program.stdout.utf8))
            let expected = run.item.expected
            let verdict = report.errors > 0 ? "autograd_errors" : expected.exit_code == 0 ? "clean" : "incomplete"
            XCTAssertEqual(report.verdict, verdict, "\(run.item.name): verdict")
            XCTAssertEqual(run.program.status, ["clean": 0, "autograd_errors": 1, "incomplete": 3][verdict], "\(run.item.name): exit status follows the verdict")
            if expected.exit_code != 0, expected.error?.hasPrefix("RuntimeError: ") == true {
                XCTAssertEqual(run.program.status, 1, "\(run.item.name): an uncaught autograd error is an error")
            }
        }
    }

    func testEveryCulpritLineIsNamed() throws {
        var checked = 0
        for run in try Self.runs.get() {
            guard let culprit = run.item.expected.culprit_line else { continue }
            checked += 1
            let report = try JSONDecoder().decode(Report.self, from: Data(run.program.stdout.utf8))
            XCTAssertEqual(report.diagnoses.first?.culprit?.line, culprit, "\(run.item.name): culprit line")
        }
        XCTAssertGreaterThan(checked, 0)
    }

    /// Every sample ships with its recorded trace; the trace must still explain as the program does,
    /// so a change to the engine or the format that leaves them stale fails here.
    func testEverySampleTraceExplainsLikeItsProgram() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: Binary.root.appendingPathComponent("samples").path)
            .filter { $0.hasSuffix(".py") }
        XCTAssertGreaterThanOrEqual(samples.count, 13)
        for sample in samples {
            let program = "samples/" + sample
            let trace = "samples/" + sample.dropLast(3) + ".tdt"
            let fromProgram = try Binary.run(["explain", program, "--json"])
            let fromTrace = try Binary.run(["explain", trace, "--json"])
            XCTAssertEqual(fromTrace.stderr, "", "\(trace) loads")
            XCTAssertEqual(fromTrace.stdout, fromProgram.stdout, "\(trace) explains like \(program); re-record it with `tapedeck record \(program) -o \(trace)`")
            XCTAssertEqual(fromTrace.status, fromProgram.status, trace)
        }
    }

    /// Every sample's trace is what `tapedeck record` writes for it today, by the rule of
    /// `scripts/regenerate-fixtures.sh --check` (values and printed text aside), which needs no PyTorch.
    func testEverySampleTraceIsCurrent() throws {
        let check = try Binary.run(
            ["python3", "scripts/regenerate_fixtures.py", "--check", "--samples-only", "--tapedeck", Binary.url.path],
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        XCTAssertEqual(check.status, 0, "re-record the stale samples with scripts/regenerate-fixtures.sh NAME:\n\(check.stdout)\(check.stderr)")
        XCTAssertTrue(check.stdout.hasPrefix("0 fixture(s) stale"), check.stdout)
    }

    func testTheTextReportPointsAtTheCulpritLikeACompiler() throws {
        let output = try Binary.run(["explain", "samples/saved_input_plus_equals.py"])
        XCTAssertEqual(output.status, 1)
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { return XCTFail("expected a diagnosis, got:\n\(output.stdout)\(output.stderr)") }
        XCTAssertTrue(lines[0].hasPrefix("samples/saved_input_plus_equals.py:8:1: error: "), lines[0])
        XCTAssertEqual(lines[1], "  8 | a += 1")
        XCTAssertEqual(lines[2], "    | ^~~~~~")
        XCTAssertTrue(output.stdout.contains("is at version 1; expected version 0 instead."))
        XCTAssertTrue(output.stdout.contains("MulBackward0"))
        XCTAssertTrue(output.stdout.contains("`a = a + 1`"), output.stdout)
    }

    /// The GAN mistake: the saved tensor is an unnamed `W.t()` view, so the report names the
    /// parameter it is a view of, and the optimizer step that wrote through it.
    func testAnOptimizerStepIsBlamedThroughTheParameterItUpdated() throws {
        let output = try Binary.run(["explain", "samples/gan_optimizer_step.py"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stdout.hasPrefix("samples/gan_optimizer_step.py:19:1: error: "), output.stdout)
        XCTAssertTrue(output.stdout.contains("a view of `disc.weight`"), output.stdout)
        XCTAssertTrue(output.stdout.contains("`SGD.step` (line 19: opt_d.step()) through `disc.weight`"), output.stdout)
        let json = try Binary.run(["explain", "samples/gan_optimizer_step.py", "--json"])
        XCTAssertTrue(json.stdout.contains(#""view_of_name": "disc.weight""#), json.stdout)
        XCTAssertTrue(json.stdout.contains(#""tensor_name": "disc.weight""#), json.stdout)
    }

    func testACleanRunExitsZero() throws {
        let output = try Binary.run(["explain", "samples/seed_example2.py"])
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
    }

    /// A program the engine could not run to its end is never called clean, by explain or record.
    func testAnIncompleteRunExitsThreeAndSaysWhereItStopped() throws {
        let directory = try temporaryDirectory()
        try "import torch\nx = torch.ones(3)\nz = torch.linspace(0, 1, 3)\nprint(z)\n"
            .write(to: directory.appendingPathComponent("outside.py"), atomically: true, encoding: .utf8)
        let output = try Binary.run(["explain", "--engine", "tapedeck", "outside.py"], in: directory)
        XCTAssertEqual(output.status, 3, output.stdout + output.stderr)
        XCTAssertFalse(output.stdout.contains("no autograd errors\n"), output.stdout)
        XCTAssertTrue(output.stdout.hasPrefix("outside.py:3:5: note: the run stopped here, incomplete: NotImplementedError: tapedeck does not support torch.linspace"), output.stdout)
        let json = try Binary.run(["explain", "--engine", "tapedeck", "outside.py", "--json"], in: directory)
        XCTAssertEqual(json.status, 3)
        XCTAssertTrue(json.stdout.contains(#""verdict": "incomplete""#), json.stdout)
        XCTAssertTrue(json.stdout.contains(#""completed": false"#), json.stdout)
        let record = try Binary.run(["record", "--engine", "tapedeck", "outside.py", "-o", "outside.tdt"], in: directory)
        XCTAssertEqual(record.status, 3)
        XCTAssertTrue(record.stderr.contains("tapedeck: incomplete run: the program uses something outside tapedeck's Python subset at outside.py:3 (NotImplementedError)"), record.stderr)
        let trace = try Binary.run(["explain", "outside.tdt"], in: directory)
        XCTAssertEqual(trace.status, 3, "the trace keeps the verdict")
    }

    func testAMalformedTraceNamesItsLine() throws {
        let directory = try temporaryDirectory()
        let trace = directory.appendingPathComponent("bad.tdt")
        try """
            {"format":"tapedeck-trace","version":"1.0","producer":"test","path":"p.py","source":""}
            {"k":"tensor","t":0,"vc":0,"st":0,"shape":[2],"dtype":"float32","rg":true}
            {"k":"op","i":"zero"}

            """.write(to: trace, atomically: true, encoding: .utf8)
        let output = try Binary.run(["explain", "bad.tdt"], in: directory)
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stdout, "")
        XCTAssertTrue(output.stderr.hasPrefix("tapedeck: error: bad.tdt:3: "), output.stderr)
    }

    /// A `.tdt` file is read as a trace whatever it holds: an empty one (a recording that never
    /// wrote its header) used to run as an empty program and be called clean (exit 0), and a
    /// garbled header ran as Python (a `SyntaxError`, exit 3).
    func testAnEmptyOrGarbledTraceFileIsABadTraceNotAProgram() throws {
        let traces = Binary.root.appendingPathComponent("Tests/BadInputs/traces")
        let empty = try Binary.run(["explain", "empty.tdt"], in: traces)
        XCTAssertEqual(empty.status, 2)
        XCTAssertEqual(empty.stdout, "")
        XCTAssertEqual(empty.stderr, "tapedeck: error: empty.tdt:1: expected the trace header {\"format\":\"tapedeck-trace\",...}, found an empty file\n")
        let garbled = try Binary.run(["explain", "header-not-json.tdt"], in: traces)
        XCTAssertEqual(garbled.status, 2)
        XCTAssertTrue(garbled.stderr.hasPrefix("tapedeck: error: header-not-json.tdt:1: expected the trace header"), garbled.stderr)
        let run = try Binary.run(["run", "empty.tdt"], in: traces)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("empty.tdt: is a trace file"), run.stderr)
    }

    func testANewerMajorTraceVersionIsRefused() throws {
        let directory = try temporaryDirectory()
        try #"{"format":"tapedeck-trace","version":"2.0","producer":"future","path":"p.py","source":""}"#
            .write(to: directory.appendingPathComponent("future.tdt"), atomically: true, encoding: .utf8)
        let output = try Binary.run(["explain", "future.tdt"], in: directory)
        XCTAssertEqual(output.status, 2)
        XCTAssertTrue(output.stderr.contains("future.tdt"), output.stderr)
        XCTAssertTrue(output.stderr.contains("2.0"), output.stderr)
    }

    func testOpeningTheDebuggerWithoutATerminalPointsAtExplain() throws {
        let output = try Binary.run(["samples/seed_example1.py"])
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stdout, "")
        XCTAssertTrue(output.stderr.hasPrefix("tapedeck: error: "), output.stderr)
        XCTAssertTrue(output.stderr.contains("tapedeck explain FILE"), output.stderr)
    }
}
