@testable import Debugger
import Tape
import TorchRules
import XCTest

final class StateTests: XCTestCase {
    func testTensorStateFollowsTheCursor() throws {
        let debugger = try Debugger(tape: Programs.savedInputMul())
        let a = 1
        let addOp = try XCTUnwrap((0..<debugger.opCount).first { debugger.op($0).call == "+=" })
        let before = debugger.position(ofOp: addOp)
        let beforeState = debugger.tensor(a, at: before)
        XCTAssertEqual(beforeState.name, "a")
        XCTAssertEqual(beforeState.version, 0)
        XCTAssertEqual(beforeState.gradFnName, "MulBackward0")
        let after = debugger.tensor(a, at: debugger.eventCount)
        XCTAssertEqual(after.version, 1)
        XCTAssertEqual(after.gradFnName, "AddBackward0")
        XCTAssertFalse(after.isLeaf)
        XCTAssertEqual(debugger.tensorCount(at: 0), 0)
        XCTAssertEqual(debugger.tensors(at: debugger.eventCount, in: 1..<3).map(\.id), [1, 2])
    }

    func testViewWhoseCounterMovedReadsAsStrided() throws {
        let debugger = try Debugger(tape: Programs.optimizerStepBetweenBackwards())
        let view = try XCTUnwrap((0..<debugger.tensorCount).first { debugger.tensorInfo($0).base != nil })
        let stepOp = try XCTUnwrap((0..<debugger.opCount).first { debugger.op($0).call == "SGD.step" })
        XCTAssertEqual(debugger.tensor(view, at: debugger.position(ofOp: stepOp)).gradFnName, "TBackward0")
        XCTAssertEqual(debugger.tensor(view, at: debugger.eventCount).gradFnName, "AsStridedBackward0")
    }

    func testSavedValuesTurnStaleThenFreed() throws {
        let debugger = try Debugger(tape: Programs.backwardTwice())
        let firstBackward = debugger.replays[0].event
        let saved = debugger.savedValues(at: firstBackward)
        XCTAssertEqual(saved.map(\.slot), ["other", "self"])
        XCTAssertEqual(saved.map(\.status), [.fresh, .fresh])
        let later = debugger.savedValues(at: debugger.replays[1].event)
        XCTAssertEqual(later.map(\.status), [.freed(byBackward: 0), .freed(byBackward: 0)])

        let stale = try Debugger(tape: Programs.savedInputMul())
        XCTAssertEqual(stale.savedValues(at: stale.eventCount).map(\.status), [.fresh, .stale, .stale])
        XCTAssertEqual(stale.savedCount(at: stale.eventCount), 3)
    }

    func testGraphWalksNextFunctionsDownToAccumulateGrad() throws {
        let debugger = try Debugger(tape: Programs.savedInputMul())
        let root = debugger.replays[0].call.roots[0].node
        let tree = debugger.graph(from: root, at: debugger.eventCount)
        XCTAssertEqual(tree.name, "SumBackward0")
        let mul = try XCTUnwrap(tree.children.first)
        XCTAssertEqual(mul.name, "MulBackward0")
        XCTAssertEqual(mul.saved.map(\.status), [.stale, .stale])
        XCTAssertEqual(mul.children.map(\.isRepeat), [false, true], "the second edge to the same node is not expanded again")
        XCTAssertEqual(mul.children[0].children.first?.name, "torch::autograd::AccumulateGrad")
        XCTAssertEqual(mul.children[0].children.first?.variable, 0)
        XCTAssertTrue(debugger.graph(from: root, at: debugger.eventCount, depth: 0).isTruncated)
    }

    func testIncomingGradientsComeFromTheEnginesRunEvents() throws {
        let b = TapeBuilder(source: "")
        let x = b.tensor(shape: [2], requiresGrad: true)
        let acc = b.accumulateGrad(x)
        let sum = b.node("SumBackward0", op: nil, next: [acc])
        let call = b.backward(roots: [sum], line: 1)
        let ones = TensorValues(tensor: -1, shape: [], values: [1])
        b.record(.nodeRun(NodeRun(backward: call, node: sum, incoming: [ones])))
        let debugger = try Debugger(tape: b.tape)
        XCTAssertEqual(debugger.gradients(backward: call, node: sum).incoming, [ones])
        XCTAssertNil(debugger.gradients(backward: call, node: sum).outgoing, "the engine reported no result")
        XCTAssertNil(debugger.gradients(backward: call, node: acc).incoming, "the engine reported no run of it")
        XCTAssertEqual(debugger.grad(of: x, before: debugger.eventCount), nil, "no AccumulateGrad run reached x")
    }

    func testOpsOwnTheirEventsUpToTheirEndPosition() throws {
        let debugger = try Debugger(tape: Programs.savedInputMul())
        XCTAssertEqual(debugger.opCount(at: 0), 0)
        XCTAssertEqual(debugger.opCount(at: debugger.endPosition(ofOp: 0)), 1)
        XCTAssertEqual(debugger.savedCount(at: debugger.position(ofOp: 1) + 1), 0)
        XCTAssertEqual(debugger.savedCount(at: debugger.endPosition(ofOp: 1)), 1, "op #1's save event belongs to it")
        XCTAssertEqual(debugger.opCount(at: debugger.endPosition(ofOp: 2)), 3)
        XCTAssertEqual(debugger.savedCount(at: debugger.endPosition(ofOp: 2)), 3, "the saves of op #2 are in")
        XCTAssertEqual(debugger.opCount(at: debugger.eventCount), debugger.opCount)
    }

    func testUncaughtErrorComesFirst() throws {
        let b = TapeBuilder(source: "v.add_(1)\nx[1:, :] += 1\n")
        b.error(AutogradMessage.viewOfLeafInPlace, line: 1)
        b.error(AutogradMessage.viewOfLeafInPlace, line: 2)
        b.record(.exit(code: 1))
        let report = try Debugger(tape: b.tape).explain()
        XCTAssertEqual(report.diagnoses.map(\.site.line), [2, 1])
    }
}
