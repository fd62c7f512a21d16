import Script
import Tape
import XCTest

/// The interpreter's tape duties: every op carries the Python spelling and source span that issued it.
final class TapeRecordingTests: XCTestCase {
    private func events(_ source: String) -> [Event] {
        let outcome = ProgramRunner(path: "t.py", source: source).run(stdout: { _ in }, stderr: { _ in })
        return (0..<outcome.tape.count).map { outcome.tape[$0] }
    }

    private func ops(_ source: String) -> [OpRecord] {
        events(source).compactMap { if case .op(let op) = $0 { return op } else { return nil } }
    }

    func testAugmentedSubscriptIsGetitemInPlaceAddSetitem() {
        let recorded = ops("import torch\nt = torch.zeros(3)\nt[0] += 1\n").filter { $0.site.line == 3 }
        XCTAssertEqual(recorded.map(\.name), ["aten::select.int", "aten::add_.Tensor", "aten::select.int", "aten::copy_"])
        XCTAssertEqual(recorded.map(\.call), ["x[...]", "+=", "x[...] =", "x[...] ="])
        XCTAssertEqual(recorded.first?.site, CallSite(line: 3, column: 1, endColumn: 5))
        XCTAssertTrue(recorded.contains { $0.call == "+=" && $0.isInPlace })
        XCTAssertEqual(recorded.filter(\.isInPlace).count, 2, "in-place add on the view, then copy_ back")
    }

    func testMethodFunctionAndModuleSpellings() {
        let recorded = ops("""
        import torch
        import torch.nn as nn
        x = torch.ones(2)
        x.mul_(2)
        y = torch.cat([x, x])
        z = nn.ReLU()(y)
        w = x + 1
        """)
        let byLine = Dictionary(grouping: recorded, by: { $0.site.line })
        XCTAssertEqual(byLine[4]?.first?.call, "Tensor.mul_")
        XCTAssertEqual(byLine[5]?.first?.call, "torch.cat")
        XCTAssertEqual(byLine[6]?.first?.call, "nn.ReLU")
        XCTAssertEqual(byLine[7]?.first?.call, "+")
        XCTAssertEqual(byLine[7]?.first?.site, CallSite(line: 7, column: 5, endColumn: 10))
    }

    func testErrorsRecordTheirProgramLineAndBackwardCall() {
        let recorded = events("""
        import torch
        x = torch.ones(2, requires_grad=True)
        y = x.exp()
        y.add_(1)
        y.sum().backward()
        """)
        let errors = recorded.compactMap { if case .error(let e) = $0 { return e } else { return nil } }
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?.type, "RuntimeError")
        XCTAssertEqual(errors.first?.site.line, 5)
        XCTAssertEqual(errors.first?.backward, 0)
        XCTAssertEqual(recorded.last, .exit(code: 1))
    }

    func testPrintIsRecordedAsOutput() {
        XCTAssertTrue(events("print('a', 1)\n").contains(.output("a 1\n")))
    }
}
