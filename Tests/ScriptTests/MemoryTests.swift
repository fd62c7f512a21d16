import Autograd
@testable import Script
import Tape
import XCTest

final class MemoryTests: XCTestCase {
    /// A finished run must not keep its interpreter (and every tensor it made) alive.
    func testInterpreterIsFreedAfterARun() throws {
        weak var escaped: Interpreter?
        try runAndRelease { escaped = $0 }
        XCTAssertNil(escaped)
    }

    /// Nor its torch bindings, their autograd runtime and the tape recorder: the built-in classes'
    /// constructors (`nn.Parameter`, `torch.Tensor`) capture the bindings, which hold the classes.
    func testTorchBindingsRuntimeAndRecorderAreFreedAfterARun() throws {
        weak var bindings: TorchBindings?
        weak var runtime: Runtime?
        weak var recorder: TapeRecorder?
        try runAndRelease {
            bindings = $0.torch
            runtime = $0.torch.runtime
            recorder = $0.recorder
        }
        XCTAssertNil(bindings)
        XCTAssertNil(runtime)
        XCTAssertNil(recorder)
    }

    private func runAndRelease(_ observe: (Interpreter) -> Void) throws {
        let recorder = TapeRecorder(header: TraceHeader(producer: "test", path: "m.py", source: ""))
        let source = "import torch\nimport torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n        return x\nm = M()\nf = lambda: m\ny = m(torch.ones(2) * 2)\n"
        let interpreter = Interpreter(path: "m.py", source: source, recorder: recorder, write: { _ in })
        observe(interpreter)
        try interpreter.run(try Parser.parse(source))
        interpreter.releaseReferences()
    }
}
