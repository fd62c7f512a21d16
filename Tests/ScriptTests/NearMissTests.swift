@testable import Script
import XCTest

/// Constructs real programs use that PyTorch accepts but tapedeck cannot reproduce: each is refused
/// by name (`NotImplementedError: tapedeck does not support …`), never run with an invented meaning.
/// (Those tapedeck implements are checked against real PyTorch in the conformance case
/// `near_miss_torch_forms`.)
final class NearMissTests: XCTestCase {
    private func lastLine(_ source: String) -> String {
        let result = ConformanceTests.run(path: "prog.py", source: source)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        return String(result.stderr.split(separator: "\n").last ?? "")
    }

    func testTensorWithSizesIsRefusedAsUninitialisedMemory() {
        XCTAssertEqual(lastLine("import torch\nt = torch.Tensor(4, 8)\n"),
                       "NotImplementedError: tapedeck does not support torch.Tensor(*sizes), which returns uninitialised memory; use torch.zeros(...) or torch.empty(...)")
        XCTAssertTrue(lastLine("import torch\nt = torch.Tensor(3)\n").hasPrefix("NotImplementedError: tapedeck does not support torch.Tensor(*sizes)"))
    }

    func testTensorOfATensorIsRefusedAsAnAlias() {
        XCTAssertTrue(lastLine("import torch\nt = torch.Tensor(torch.ones(2))\n")
            .hasPrefix("NotImplementedError: tapedeck does not support torch.Tensor(tensor), which returns an alias"))
    }

    func testAKeywordATorchFunctionDoesNotTakeIsRefusedNotIgnored() {
        XCTAssertEqual(lastLine("import torch\nx = torch.zeros(2, out=None)\n"),
                       "NotImplementedError: tapedeck does not support the keyword argument 'out' of torch.zeros()")
        XCTAssertEqual(lastLine("import torch\nx = torch.ones(2, 3, pin_memory=False)\n"),
                       "NotImplementedError: tapedeck does not support the keyword argument 'pin_memory' of torch.ones()")
    }

    func testTheGeneratorManualSeedReturnsIsRefusedWhenUsed() {
        XCTAssertEqual(lastLine("import torch\ng = torch.manual_seed(0)\ng.initial_seed()\n"),
                       "NotImplementedError: tapedeck does not support torch.Generator.initial_seed")
    }

    func testSoftmaxToAnotherDtypeIsRefusedNotIgnored() {
        XCTAssertEqual(lastLine("import torch\ny = torch.softmax(torch.ones(2, 3), 1, torch.float64)\n"),
                       "NotImplementedError: tapedeck does not support softmax(dtype=)")
        XCTAssertEqual(lastLine("import torch\ny = torch.ones(2, 3).log_softmax(1, dtype=torch.float64)\n"),
                       "NotImplementedError: tapedeck does not support log_softmax(dtype=)")
    }

    func testLinearWithAnotherDtypeIsRefused() {
        XCTAssertEqual(lastLine("import torch\nm = torch.nn.Linear(2, 2, dtype=torch.float64)\n"),
                       "NotImplementedError: tapedeck does not support nn.Linear(dtype=torch.float64): its parameters are float32")
    }

    func testAMethodPythonHasButTapedeckLacksIsRefusedNotAnAttributeError() {
        XCTAssertEqual(lastLine("print('a-b'.partition('-'))\n"), "NotImplementedError: tapedeck does not support str.partition")
        XCTAssertEqual(lastLine("d = {}\nd.popitem()\n"), "NotImplementedError: tapedeck does not support dict.popitem")
        XCTAssertEqual(lastLine("print('a'.no_such_method())\n"), "AttributeError: 'str' object has no attribute 'no_such_method'")
    }

    func testSetDetectAnomalyIsAContextManagerAndAnObjectAsInPyTorch() {
        let result = ConformanceTests.run(path: "prog.py", source: """
            import torch
            with torch.autograd.set_detect_anomaly(True):
                pass
            x = torch.ones(2, requires_grad=True)
            print(repr(torch.autograd.set_detect_anomaly(False)).startswith("<torch.autograd.anomaly_mode.set_detect_anomaly object at 0x"))

            """)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, "True\n")
    }
}
