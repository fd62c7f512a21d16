import XCTest
@testable import Debugger

final class FixHintTests: XCTestCase {
    private let hints = FixHint(source: SourceText(""))

    func testOutOfPlaceRewrites() {
        XCTAssertEqual(hints.outOfPlace("x += 1"), "x = x + 1")
        XCTAssertEqual(hints.outOfPlace("h2 **= torch.tanh(h2)"), "h2 = h2 ** torch.tanh(h2)")
        XCTAssertEqual(hints.outOfPlace("y.mul_(2)"), "y = y.mul(2)")
        XCTAssertEqual(hints.outOfPlace("z = h.exp_()"), "z = h.exp()")
        XCTAssertEqual(hints.outOfPlace("self.w.add_(v, alpha=2)"), "self.w = self.w.add(v, alpha=2)")
        XCTAssertNil(hints.outOfPlace("x[0].add_(1)"), "rebinding an element would write into x again")
        XCTAssertEqual(hints.outOfPlace("return torch.sigmoid(h).exp_()"), "return torch.sigmoid(h).exp()")
        XCTAssertEqual(hints.outOfPlace("torch.relu_(x)"), "x = torch.relu(x)", "the function writes x, not torch")
        XCTAssertEqual(hints.outOfPlace("F.leaky_relu_(self.h, 0.2)"), "self.h = F.leaky_relu(self.h, 0.2)")
        XCTAssertEqual(hints.outOfPlace("torch.zero_(w)"), "w = torch.zeros_like(w)")
        XCTAssertEqual(hints.outOfPlace("y = torch.sigmoid_(x)"), "y = torch.sigmoid(x)")
        XCTAssertNil(hints.outOfPlace("torch._foreach_add_([w], [torch.ones(3)])"), "a list is not rebound by one assignment")
        XCTAssertNil(hints.outOfPlace("torch.nn.init.uniform_(w)"))
        XCTAssertNil(hints.outOfPlace("torch.relu_(x[0])"))
        XCTAssertEqual(hints.outOfPlace("x.zero_()"), "x = torch.zeros_like(x)")
        XCTAssertEqual(hints.outOfPlace("x.fill_(3.0)"), "x = torch.full_like(x, 3.0)")
        XCTAssertNil(hints.outOfPlace("w.uniform_(-1, 1)"), "uniform_ has no out-of-place form")
        XCTAssertNil(hints.outOfPlace("print(a == b)"))
        XCTAssertNil(hints.outOfPlace("x[0] += 1"), "a subscript target is a setitem, not a rebinding")
    }

    func testAssignmentTargets() {
        XCTAssertEqual(hints.assignmentTarget("w[1, 1] = 0.0"), "w[1, 1]")
        XCTAssertEqual(hints.assignmentTarget("x_clone[0] += 1"), "x_clone[0]")
        XCTAssertNil(hints.assignmentTarget("f(a=1)"))
        XCTAssertNil(hints.assignmentTarget("a <= b"))
        XCTAssertEqual(hints.baseName("w[1, 1]"), "w")
    }

    /// The statement is read by the interpreter's lexer: brackets, `=` and `#` inside strings are text.
    func testStringsAndCommentsAreReadAsPythonDoes() {
        XCTAssertEqual(hints.assignmentTarget("s = \"a=b\""), "s")
        XCTAssertNil(hints.assignmentTarget("print(\"x = 1\")"))
        XCTAssertEqual(hints.outOfPlace("x.add_(f(\")\"))"), "x = x.add(f(\")\"))")
        XCTAssertEqual(hints.outOfPlace("x += 1  # it's fine"), "x = x + 1")
        XCTAssertEqual(trimmed("    label = \"#1\"  # first"), "label = \"#1\"")
        XCTAssertEqual(trimmed("    # only a comment"), "")
    }
}
