@testable import Script
import XCTest

final class RobustnessTests: XCTestCase {
    private func run(_ source: String) -> ConformanceTests.Result {
        ConformanceTests.run(path: "r.py", source: source)
    }

    func testHugeRangesAreWalkedLazily() {
        let result = run("for i in range(10 ** 15):\n    if i == 3:\n        break\nprint(i, len(range(-2 ** 62, 2 ** 62)))\n")
        XCTAssertEqual(result.stdout, "3 9223372036854775807\n")
    }

    func testSelfReferentialListPrints() {
        XCTAssertEqual(run("a = [1]\na.append(a)\nprint(a)\n").stdout, "[1, [...]]\n")
    }

    func testIntegerEdgesRaiseInsteadOfTrapping() {
        let result = run("m = -9223372036854775807 - 1\nprint(m % -1)\nprint(m // -1)\n")
        XCTAssertEqual(result.stdout, "0\n")
        XCTAssertEqual(result.lastErrorLine, "OverflowError: tapedeck does not support integers beyond 64 bits")
    }

    func testHugeTensorsAreRefused() {
        let result = run("import torch\nx = torch.zeros(100000, 100000)\n")
        XCTAssertEqual(result.lastErrorLine, "NotImplementedError: tapedeck does not support tensors of more than 268435456 elements")
    }
}
