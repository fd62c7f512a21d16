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

    func testBindingsNameTensorsAsTheProgramDoes() {
        let recorded = events("""
        import torch
        import torch.nn as nn
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.scale = nn.Parameter(torch.ones(2))
        block = Block()
        x = torch.ones(2)
        n = 3
        x += 1
        """)
        let bindings = recorded.compactMap { if case .binding(let b) = $0 { return b } else { return nil } }
        XCTAssertEqual(bindings.map(\.name), ["self.scale", "block.scale", "x", "x"])
        XCTAssertEqual(bindings.map(\.line), [6, 7, 8, 10])
        XCTAssertEqual(bindings[0].tensor, bindings[1].tensor, "binding the module names its parameter again")
        XCTAssertEqual(bindings[2].tensor, bindings[3].tensor, "x += 1 rebinds x to the same tensor")
        let announced = Set(recorded.compactMap { if case .tensor(let info) = $0 { return info.id } else { return nil } })
        XCTAssertTrue(bindings.allSatisfy { announced.contains($0.tensor) })
    }

    func testParametersAreBoundAtTheirDef() {
        let recorded = events("import torch\ndef double(t):\n    return t * 2\nx = torch.ones(2)\ny = double(x)\n")
        let bindings = recorded.compactMap { if case .binding(let b) = $0 { return b } else { return nil } }
        XCTAssertEqual(bindings.map(\.name), ["x", "t", "y"])
        XCTAssertEqual(bindings.map(\.line), [4, 2, 5])
        XCTAssertEqual(bindings[0].tensor, bindings[1].tensor)
    }

    private func bindings(_ source: String) -> [Binding] {
        events(source).compactMap { if case .binding(let b) = $0 { return b } else { return nil } }
    }

    func testBindingAModuleNamesItsParameters() {
        let bound = bindings("import torch.nn as nn\ndisc = nn.Linear(2, 1)\nhead = nn.Linear(2, 1, bias=False)\n")
        XCTAssertEqual(bound.map(\.name), ["disc.weight", "disc.bias", "head.weight"])
        XCTAssertEqual(bound.map(\.line), [2, 2, 3])
    }

    func testContainerChildrenAreNamedByIndexInNamedParametersOrder() {
        let bound = bindings("""
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
        layers = nn.ModuleList([nn.Linear(1, 1)])
        """)
        XCTAssertEqual(bound.map(\.name), [
            "model[0].weight", "model[0].bias", "model[2].weight", "model[2].bias",
            "layers[0].weight", "layers[0].bias",
        ])
    }

    func testUserModulesNameNestedParametersInsideAndOutsideTheirMethods() {
        let bound = bindings("""
        import torch
        import torch.nn as nn
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 2)
                self.scale = nn.Parameter(torch.ones(2))
                self.body = nn.Sequential(nn.Linear(2, 2))
            def forward(self, x):
                return self.body(self.fc(x)) * self.scale
        block = Block()
        y = block(torch.ones(1, 2))
        """)
        XCTAssertEqual(bound.map(\.name), [
            "self.fc.weight", "self.fc.bias", "self.scale", "self.body[0].weight", "self.body[0].bias",
            "block.scale", "block.fc.weight", "block.fc.bias", "block.body[0].weight", "block.body[0].bias",
            "x", "y",
        ])
        XCTAssertEqual(bound[1].tensor, bound[7].tensor, "self.fc.bias and block.fc.bias are one tensor")
    }

    func testAliasesDoNotRenameAModuleParameter() {
        let bound = bindings("""
        import torch
        import torch.nn as nn
        model = nn.Linear(1, 1)
        for p in model.parameters():
            q = p
        w = nn.Parameter(torch.ones(1))
        v = w
        """)
        XCTAssertEqual(bound.map(\.name), ["model.weight", "model.bias", "w", "v"])
    }

    func testLoopVariablesAndArgumentsDoNotRenameModuleParameters() {
        let bound = bindings("""
        import torch
        import torch.nn as nn
        def run(net, x):
            return net(x)
        layers = nn.ModuleList([nn.Linear(1, 1, bias=False), nn.Linear(1, 1, bias=False)])
        for layer in layers:
            pass
        y = run(layers[0], torch.ones(1))
        extra = nn.Linear(1, 1, bias=False)
        for m in [extra]:
            pass
        """)
        XCTAssertEqual(bound.map(\.name), ["layers[0].weight", "layers[1].weight", "x", "y", "extra.weight"])
    }
}
