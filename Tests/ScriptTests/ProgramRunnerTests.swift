@testable import Script
import XCTest

final class ProgramRunnerTests: XCTestCase {
    private func run(_ source: String, path: String = "prog.py") -> ConformanceTests.Result {
        ConformanceTests.run(path: path, source: source)
    }

    func testTracebackListsProgramFramesLikePython() {
        let result = run("""
        def inner(x):
            return 1 / x

        def outer():
            return inner(0)

        outer()
        """)
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stderr, """
        Traceback (most recent call last):
          File "prog.py", line 7, in <module>
            outer()
          File "prog.py", line 5, in outer
            return inner(0)
                   ^^^^^^^^
          File "prog.py", line 2, in inner
            return 1 / x
                   ~~^~~
        ZeroDivisionError: division by zero

        """)
    }

    func testSubscriptMarkersMatchPython() {
        let result = run("xs = [1, 2]\nd = {\"a\": 1}\ny = (xs[0] + 1) * d[\"b\"]\n")
        XCTAssertEqual(result.stderr, """
        Traceback (most recent call last):
          File "prog.py", line 3, in <module>
            y = (xs[0] + 1) * d["b"]
                              ~^^^^^
        KeyError: 'b'

        """)
    }

    func testSyntaxErrorNamesFileLineAndCaret() {
        let result = run("x = 1\ny = (x +\n", path: "bad.py")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.hasPrefix("  File \"bad.py\", line 2\n"), result.stderr)
        XCTAssertEqual(result.lastErrorLine, "SyntaxError: '(' was never closed")
    }

    func testUnsupportedSyntaxIsReportedNotCrashed() {
        let result = run("def gen():\n    yield 1\n")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lastErrorLine, "SyntaxError: tapedeck does not support 'yield'")
        XCTAssertEqual(result.errorLine, 2)
    }

    func testUnsupportedImportIsNotImplemented() {
        let result = run("import numpy as np\n")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lastErrorLine, "NotImplementedError: tapedeck does not support importing numpy (only torch, torch.nn, torch.nn.functional, torch.optim and math)")
    }

    func testRecursionIsBoundedLikePython() {
        let result = run("def f(n):\n    return f(n + 1)\nf(0)\n")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lastErrorLine, "RecursionError: maximum recursion depth exceeded")
        XCTAssertTrue(result.stderr.contains("[Previous line repeated"), result.stderr)
    }

    func testTapeRecordsOutputErrorAndExit() {
        let outcome = ProgramRunner(path: "p.py", source: "print('hi')\ntry:\n    1/0\nexcept ZeroDivisionError:\n    pass\n")
            .run(stdout: { _ in }, stderr: { _ in })
        let events = (0..<outcome.tape.count).map { outcome.tape[$0] }
        XCTAssertEqual(outcome.tape.header.producer, "tapedeck 0.1.0")
        XCTAssertTrue(events.contains(.output("hi\n")))
        XCTAssertTrue(events.contains { if case .error(let e) = $0 { return e.type == "ZeroDivisionError" && e.site.line == 3 } else { return false } })
        XCTAssertEqual(events.last, .exit(code: 0))
    }

    func testRealButUnboundTorchAPIsAreNotImplemented() {
        let cases: [(String, String)] = [
            ("torch.kron(torch.ones(2), torch.ones(2))", "NotImplementedError: tapedeck does not support torch.kron"),
            ("torch.ones(2).logcumsumexp(0)", "NotImplementedError: tapedeck does not support Tensor.logcumsumexp"),
            ("nn.Linear(2, 2).state_dict()", "NotImplementedError: tapedeck does not support nn.Module.state_dict"),
            ("nn.Conv2d(1, 1, 3)", "NotImplementedError: tapedeck does not support torch.nn.Conv2d"),
            ("torch.onez(2)", "AttributeError: module 'torch' has no attribute 'onez'"),
            ("torch.ones(2).sizee()", "AttributeError: 'Tensor' object has no attribute 'sizee'"),
        ]
        for (line, message) in cases {
            let result = run("import torch\nimport torch.nn as nn\n\(line)\n")
            XCTAssertEqual(result.exitCode, 1, line)
            XCTAssertEqual(result.lastErrorLine, message, line)
            XCTAssertEqual(result.errorLine, 3, line)
        }
    }

    func testChainedExceptionsPrintLikePython() {
        let result = run("try:\n    1 / 0\nexcept ZeroDivisionError:\n    x = [][1]\n")
        XCTAssertEqual(result.stderr, """
        Traceback (most recent call last):
          File "prog.py", line 2, in <module>
            1 / 0
            ~~^~~
        ZeroDivisionError: division by zero

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "prog.py", line 4, in <module>
            x = [][1]
                ~~^^^
        IndexError: list index out of range

        """)
    }
}
