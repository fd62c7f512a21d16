@testable import Script
import XCTest

/// Deeply nested programs end with the error python3.11 prints, never a native stack overflow:
/// the limits and messages were read off `python3.11` on this machine.
final class NestingLimitTests: XCTestCase {
    private func run(_ source: String) -> ConformanceTests.Result {
        ConformanceTests.run(path: "n.py", source: source)
    }

    func testAnExpressionNested3000DeepIsARecursionErrorDuringCompilation() {
        XCTAssertEqual(run("x = " + String(repeating: "-", count: 2998) + "1\n").exitCode, 0)
        for source in [
            "x = " + String(repeating: "-", count: 2999) + "1\n",
            "x = 1" + String(repeating: "+1", count: 2999) + "\n",
            "x = 1" + String(repeating: "+1", count: 300_000) + "\n",
            "x = a" + String(repeating: ".b", count: 200_000) + "\n",
            "x = f" + String(repeating: "()", count: 200_000) + "\n",
        ] {
            let result = run(source)
            XCTAssertEqual(result.exitCode, 1)
            XCTAssertEqual(result.stderr, "RecursionError: maximum recursion depth exceeded during compilation\n")
        }
    }

    func testAChainOf5968PrefixOperatorsRunsOutOfParserStackAsMemoryError() {
        XCTAssertEqual(run("x = " + String(repeating: "-", count: 5967) + "1\n").stderr, "RecursionError: maximum recursion depth exceeded during compilation\n")
        for source in [
            "x = " + String(repeating: "-", count: 5968) + "1\n",
            "x = " + String(repeating: "not ", count: 200_000) + "1\n",
            "x = 2" + String(repeating: "**2", count: 100_000) + "\n",
        ] {
            XCTAssertEqual(run(source).stderr, "MemoryError\n")
        }
    }

    /// CPython's parser spends two levels on each `lambda` and `**` of a chain, so 2984 of them are
    /// already its `MemoryError` (3000 `-` and 1484 `**` too), where 2983 compile.
    func testAChainOf2984LambdasOrPowersRunsOutOfParserStack() {
        for (source, expected) in [
            ("x = " + String(repeating: "lambda: ", count: 2984) + "1\n", "MemoryError\n"),
            ("x = a" + String(repeating: "**a", count: 2984) + "\n", "MemoryError\n"),
            ("x = " + String(repeating: "-", count: 3000) + "a" + String(repeating: "**a", count: 1484) + "\n", "MemoryError\n"),
            ("x = " + String(repeating: "-", count: 3000) + "a" + String(repeating: "**a", count: 1483) + "\n",
             "RecursionError: maximum recursion depth exceeded during compilation\n"),
        ] {
            XCTAssertEqual(run(source).stderr, expected)
        }
        XCTAssertEqual(run("x = " + String(repeating: "lambda: ", count: 2983) + "1\n").exitCode, 0)
    }

    func testOneHundredLevelsOfIndentationIsTheTokenizersLimit() {
        var source = ""
        for level in 0..<150 { source += String(repeating: " ", count: level) + "if True:\n" }
        source += String(repeating: " ", count: 150) + "pass\n"
        XCTAssertEqual(run(source).stderr, "  File \"n.py\", line 101\n    if True:\nIndentationError: too many levels of indentation\n")
    }
}
