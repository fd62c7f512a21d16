@testable import Debugger
import Tape
import TorchRules
import XCTest

final class ReplayTests: XCTestCase {
    func testSavedInputMulFailsAtMulOnOtherWithPyTorchsMessage() throws {
        let debugger = try Debugger(tape: Programs.savedInputMul())
        let replay = try XCTUnwrap(debugger.replays.first)
        XCTAssertEqual(replay.steps.map(\.name), ["SumBackward0", "MulBackward0"])
        let failure = try XCTUnwrap(replay.failure)
        XCTAssertEqual(failure.saved.slot, "other")
        XCTAssertEqual(failure.saved.savedVersion, 0)
        XCTAssertEqual(failure.saved.currentVersion, 1)
        XCTAssertEqual(failure.message, Programs.versionMessage(
            "[torch.FloatTensor [5]], which is output 0 of Add,", current: 1, saved: 0))
    }

    func testLeafMutatedUnderNoGradHasNoWhichClause() throws {
        let debugger = try Debugger(tape: Programs.leafInPlaceNoGrad())
        let failure = try XCTUnwrap(debugger.replays.first?.failure)
        XCTAssertEqual(failure.message, Programs.versionMessage("[torch.FloatTensor [3]]", current: 1, saved: 0))
    }

    func testSavedViewOfBumpedParameterReadsAsStrided() throws {
        let debugger = try Debugger(tape: Programs.optimizerStepBetweenBackwards())
        XCTAssertEqual(debugger.replays.count, 2)
        XCTAssertEqual(debugger.replays[0].outcome, .completed)
        XCTAssertEqual(
            debugger.replays[0].steps.map(\.name),
            ["MeanBackward0", "AddmmBackward0", "torch::autograd::AccumulateGrad", "torch::autograd::AccumulateGrad",
             "TBackward0", "torch::autograd::AccumulateGrad"],
            "bias and x accumulate before TBackward0 runs, as torch 2.13 prehooks show")
        let failure = try XCTUnwrap(debugger.replays[1].failure)
        XCTAssertEqual(debugger.replays[1].steps.map(\.name), ["NegBackward0", "MeanBackward0", "AddmmBackward0"])
        XCTAssertEqual(failure.saved.slot, "mat2")
        XCTAssertEqual(failure.message, Programs.versionMessage(
            "[torch.FloatTensor [2, 1]], which is output 0 of AsStrided,", current: 2, saved: 1))
    }

    func testSecondBackwardWithoutRetainGraphFindsTheNodeFreed() throws {
        let debugger = try Debugger(tape: Programs.backwardTwice())
        XCTAssertEqual(debugger.replays[0].outcome, .completed)
        let failure = try XCTUnwrap(debugger.replays[1].failure)
        XCTAssertEqual(debugger.node(failure.node).name, "MulBackward0")
        XCTAssertEqual(failure.saved.slot, "other")
        XCTAssertEqual(failure.saved.status, .freed(byBackward: 0))
        XCTAssertEqual(failure.message, AutogradMessage.backwardTwice)
    }

    func testRetainedGraphCanBeReplayedAgain() throws {
        let debugger = try Debugger(tape: Programs.optimizerStepBetweenBackwards())
        let addmm = try XCTUnwrap(debugger.replays[1].steps.last)
        XCTAssertEqual(addmm.saved.first?.status, .fresh, "retain_graph=True kept mat1")
    }

    func testSavedOutputNamesTheSavingNode() throws {
        let debugger = try Debugger(tape: Programs.reluInPlace())
        let failure = try XCTUnwrap(debugger.replays.first?.failure)
        XCTAssertEqual(debugger.replays[0].steps.map(\.name), ["SumBackward0", "ReluBackward0", "SigmoidBackward0"])
        XCTAssertEqual(failure.saved.slot, "result")
        XCTAssertEqual(failure.message, Programs.versionMessage(
            "[torch.FloatTensor [2, 2]], which is output 0 of Sigmoid,", current: 1, saved: 0))
    }

    /// §5.2 of the reference: `b=a*2; c=b.sin(); d=b.cos(); e=c+d; e.sum().backward()`.
    func testDiamondRunsTheLaterBranchFirstAndWaitsForBothBranches() throws {
        let b = TapeBuilder(source: "")
        let a = b.tensor(shape: [3], requiresGrad: true)
        let acc = b.accumulateGrad(a)
        let mul = b.node("MulBackward0", op: nil, next: [acc, nil])
        let sin = b.node("SinBackward0", op: nil, next: [mul])
        let cos = b.node("CosBackward0", op: nil, next: [mul])
        let add = b.node("AddBackward0", op: nil, next: [sin, cos])
        let sum = b.node("SumBackward0", op: nil, next: [add])
        b.backward(roots: [sum], line: 1)
        let debugger = try Debugger(tape: b.tape)
        XCTAssertEqual(
            debugger.replays[0].steps.map(\.name),
            ["SumBackward0", "AddBackward0", "CosBackward0", "SinBackward0", "MulBackward0", "torch::autograd::AccumulateGrad"])
    }

    /// §5.2: `p.exp().exp().exp() + q.sin()`: q's AccumulateGrad runs as soon as it is ready.
    func testReadyAccumulateGradRunsBeforeTheLongBranchContinues() throws {
        let b = TapeBuilder(source: "")
        let p = b.tensor(shape: [1], requiresGrad: true)
        let q = b.tensor(shape: [1], requiresGrad: true)
        let accP = b.accumulateGrad(p)
        let accQ = b.accumulateGrad(q)
        let exp1 = b.node("ExpBackward0", op: nil, next: [accP])
        let exp2 = b.node("ExpBackward0", op: nil, next: [exp1])
        let exp3 = b.node("ExpBackward0", op: nil, next: [exp2])
        let sin = b.node("SinBackward0", op: nil, next: [accQ])
        let add = b.node("AddBackward0", op: nil, next: [exp3, sin])
        let sum = b.node("SumBackward0", op: nil, next: [add])
        b.backward(roots: [sum], line: 1)
        let steps = try Debugger(tape: b.tape).replays[0].steps.map(\.node)
        XCTAssertEqual(steps, [sum, add, sin, accQ, exp3, exp2, exp1, accP])
    }

    /// §5.2: two roots go through a GraphRoot; the later-created root runs first.
    func testSeveralRootsRunByDescendingSequenceNr() throws {
        let b = TapeBuilder(source: "")
        let a = b.tensor(shape: [1], requiresGrad: true)
        let acc = b.accumulateGrad(a)
        let mul = b.node("MulBackward0", op: nil, next: [acc, nil])
        let sum1 = b.node("SumBackward0", op: nil, next: [mul])
        let exp = b.node("ExpBackward0", op: nil, next: [acc])
        let sum2 = b.node("SumBackward0", op: nil, next: [exp])
        b.backward(roots: [sum1, sum2], line: 1)
        let steps = try Debugger(tape: b.tape).replays[0].steps.map(\.node)
        XCTAssertEqual(steps, [sum2, exp, sum1, mul, acc])
    }

    func testBackwardRejectedBeforeRunningRunsNoNode() throws {
        let b = TapeBuilder(source: "y.backward()\n")
        let x = b.tensor(shape: [3], requiresGrad: true)
        let acc = b.accumulateGrad(x)
        let mul = b.node("MulBackward0", op: nil, next: [acc, nil])
        let call = b.backward(roots: [mul], line: 1)
        b.error(AutogradMessage.nonScalarBackward, line: 1, backward: call)
        let debugger = try Debugger(tape: b.tape)
        XCTAssertEqual(debugger.replays[0].outcome, .rejected(message: AutogradMessage.nonScalarBackward))
        XCTAssertTrue(debugger.replays[0].steps.isEmpty)
    }

    func testTapeReferringToAnUnknownNodeIsRejectedWithItsPosition() {
        var tape = Tape(header: TraceHeader(producer: "tests", path: "p.py", source: ""))
        tape.append(.backward(BackwardCall(id: 0, roots: [Edge(node: 3, inputNr: 0)], site: CallSite(line: 1), retainGraph: false)))
        XCTAssertThrowsError(try Debugger(tape: tape)) { error in
            XCTAssertEqual(error as? DebuggerError, .unknownNode(id: 3, event: 0))
            XCTAssertEqual(String(describing: error), "event 0 (trace line 2): refers to node n3, which no earlier node event announced")
        }
    }
}

extension ReplayTests {
    /// `torch.cat([a, b, c, d]).sum().backward()`: torch 2.13 prehooks log the AccumulateGrads
    /// as a, c, b, d (heap order, not arrival order).
    func testTiedAccumulateGradsRunInHeapOrder() throws {
        let b = TapeBuilder(source: "")
        let leaves = (0..<4).map { _ in b.tensor(shape: [1], requiresGrad: true) }
        let accs = leaves.map { b.accumulateGrad($0) }
        let cat = b.node("CatBackward0", op: nil, next: accs)
        let sum = b.node("SumBackward0", op: nil, next: [cat])
        b.backward(roots: [sum], line: 1)
        let steps = try Debugger(tape: b.tape).replays[0].steps.map(\.node)
        XCTAssertEqual(steps, [sum, cat, accs[0], accs[2], accs[1], accs[3]])
    }

    /// `v = b[:2]; v.mul_(w)` wraps MulBackward0 in CopySlices: its saved `self` (a clone) and
    /// `other` (w) are unpacked when CopySlices runs, and a stale `w` names MulBackward0.
    func testCopySlicesUnpacksTheNodeItWraps() throws {
        let b = TapeBuilder(source: "")
        let a = b.tensor(shape: [4], requiresGrad: true)
        let accA = b.accumulateGrad(a)
        let w = b.tensor(shape: [2], requiresGrad: true)
        let accW = b.accumulateGrad(w)
        let base = b.tensor(shape: [4], requiresGrad: true)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 1, inputs: [a], outputs: [base])
        let mulBase = b.node("MulBackward0", op: op0, next: [accA, nil])
        b.gradFn(base, mulBase)
        let view = b.tensor(shape: [2], requiresGrad: true, viewOf: base)
        let op1 = b.op("aten::slice.Tensor", call: "x[...]", line: 2, inputs: [base], outputs: [view], view: true)
        let slice = b.node("SliceBackward0", op: op1, next: [mulBase])
        b.gradFn(view, slice)
        let clone = b.tensor(shape: [2], requiresGrad: true)
        let op2 = b.op("aten::mul_.Tensor", call: "Tensor.mul_", line: 3, inputs: [view, w], outputs: [view], inPlace: true)
        let inner = b.node("MulBackward0", op: op2, next: [slice, accW])
        b.save(inner, "other", w)
        b.save(inner, "self", clone)
        let copySlices = b.node("torch::autograd::CopySlices", op: op2, next: [mulBase, accW])
        b.gradFn(base, copySlices)
        b.op("aten::add_.Tensor", call: "Tensor.add_", line: 4, inputs: [w], outputs: [w], inPlace: true, gradMode: false)
        let sum = b.node("SumBackward0", op: nil, next: [copySlices])
        b.backward(roots: [sum], line: 5)
        let debugger = try Debugger(tape: b.tape)
        XCTAssertEqual(debugger.wrappedNode(of: copySlices), inner)
        let failure = try XCTUnwrap(debugger.replays[0].failure)
        XCTAssertEqual(debugger.replays[0].steps.map(\.node), [sum, copySlices])
        XCTAssertEqual(failure.node, inner)
        XCTAssertEqual(failure.saved.slot, "other")
        XCTAssertEqual(failure.message, Programs.versionMessage("[torch.FloatTensor [2]]", current: 1, saved: 0))
    }
}

extension ReplayTests {
    /// e9 in the reference: `v = b[:2]; v.exp_(); b.add_(1)` names the view's AsStrided grad_fn
    /// while it lives, and falls back to `Exp` once reading `v.grad_fn` rebuilt it.
    private func inPlaceOnViewTape(readViewGradFnAfterBump: Bool) -> Tape {
        let b = TapeBuilder(source: "")
        let a = b.tensor(shape: [4], requiresGrad: true)
        let accA = b.accumulateGrad(a)
        let base = b.tensor(shape: [4], requiresGrad: true)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 1, inputs: [a], outputs: [base])
        let mul = b.node("MulBackward0", op: op0, next: [accA, nil])
        b.gradFn(base, mul)
        let view = b.tensor(shape: [2], requiresGrad: true, viewOf: base)
        let op1 = b.op("aten::slice.Tensor", call: "x[...]", line: 2, inputs: [base], outputs: [view], view: true)
        let slice = b.node("SliceBackward0", op: op1, next: [mul])
        b.gradFn(view, slice)
        let op2 = b.op("aten::exp_", call: "Tensor.exp_", line: 3, inputs: [view], outputs: [view], inPlace: true)
        let exp = b.node("ExpBackward0", op: op2, next: [slice])
        let copySlices = b.node("torch::autograd::CopySlices", op: op2, next: [mul])
        b.gradFn(base, copySlices)
        let asStrided = b.node("AsStridedBackward0", op: nil, next: [copySlices])
        b.gradFn(view, asStrided)
        b.save(exp, "result", view, output: true)
        let op3 = b.op("aten::add_.Tensor", call: "Tensor.add_", line: 4, inputs: [base], outputs: [base], inPlace: true)
        let add = b.node("AddBackward0", op: op3, next: [copySlices, nil])
        b.gradFn(base, add)
        if readViewGradFnAfterBump {
            b.gradFn(view, b.node("AsStridedBackward0", op: nil, next: [add]))
        }
        let sum = b.node("SumBackward0", op: nil, next: [add])
        b.backward(roots: [sum], line: 5)
        return b.tape
    }

    func testOutputOfInPlaceOpOnViewNamesTheLiveViewGradFn() throws {
        let failure = try XCTUnwrap(Debugger(tape: inPlaceOnViewTape(readViewGradFnAfterBump: false)).replays[0].failure)
        XCTAssertEqual(failure.saved.slot, "result")
        XCTAssertEqual(failure.message, Programs.versionMessage(
            "[torch.FloatTensor [2]], which is output 0 of AsStrided,", current: 2, saved: 1))
    }

    func testOutputOfInPlaceOpOnViewFallsBackToTheSavingNodeOnceRebuilt() throws {
        let failure = try XCTUnwrap(Debugger(tape: inPlaceOnViewTape(readViewGradFnAfterBump: true)).replays[0].failure)
        XCTAssertEqual(failure.message, Programs.versionMessage(
            "[torch.FloatTensor [2]], which is output 0 of Exp,", current: 2, saved: 1))
    }
}

extension ReplayTests {
    func testInconsistentCountersAreRejectedWithTheirPosition() {
        var skipped = Tape(header: TraceHeader(producer: "tests", path: "p.py", source: ""))
        skipped.append(.tensor(TensorInfo(id: 0, counter: 5, storage: 0, shape: [1], dtype: "float32", requiresGrad: false)))
        XCTAssertThrowsError(try Debugger(tape: skipped)) { error in
            XCTAssertEqual(error as? DebuggerError, .idOutOfOrder(kind: "version counter", id: 5, expected: 0, event: 0))
        }

        var mismatched = Tape(header: TraceHeader(producer: "tests", path: "p.py", source: ""))
        mismatched.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [1], dtype: "float32", requiresGrad: false)))
        mismatched.append(.tensor(TensorInfo(id: 1, counter: 1, storage: 1, shape: [1], dtype: "float32", requiresGrad: false)))
        mismatched.append(.op(OpRecord(index: 0, name: "aten::add_.Tensor", call: "+=", site: CallSite(line: 1), gradMode: true,
                                       inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 0, version: 1)], isInPlace: true)))
        mismatched.append(.bump(VersionBump(counter: 1, tensor: 0, from: 0, to: 1, op: 0)))
        XCTAssertThrowsError(try Debugger(tape: mismatched)) { error in
            XCTAssertEqual(error as? DebuggerError, .counterMismatch(tensor: 0, counter: 1, event: 3))
        }
    }

    /// A node may name the op recorded just after it; one naming an op the tape never records is
    /// reported once the whole tape is read, unless the pass found an error first.
    func testNodesNamingUnknownOpsAreRejectedAfterThePass() throws {
        func tape(nodeOp: Int, thenUnknownTensor: Bool) -> Tape {
            var tape = Tape(header: TraceHeader(producer: "tests", path: "p.py", source: ""))
            tape.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [1], dtype: "float32", requiresGrad: true)))
            tape.append(.node(NodeRecord(id: 0, name: "NegBackward0", sequenceNr: 0, op: nodeOp, next: [])))
            tape.append(.op(OpRecord(index: 0, name: "aten::neg", call: "-", site: CallSite(line: 1), gradMode: true,
                                     inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 0, version: 0)])))
            if thenUnknownTensor { tape.append(.gradFn(GradFnChange(tensor: 9, node: 0, outputNr: 0, requiresGrad: true, version: 0))) }
            return tape
        }
        XCTAssertEqual(try Debugger(tape: tape(nodeOp: 0, thenUnknownTensor: false)).opCount, 1)
        XCTAssertThrowsError(try Debugger(tape: tape(nodeOp: 3, thenUnknownTensor: false))) { error in
            XCTAssertEqual(error as? DebuggerError, .unknownOp(index: 3, event: 1))
        }
        XCTAssertThrowsError(try Debugger(tape: tape(nodeOp: 3, thenUnknownTensor: true))) { error in
            XCTAssertEqual(error as? DebuggerError, .unknownTensor(id: 9, event: 3))
        }
    }

    /// A replay keeps only node ids and the failing step's values: every other step's saved
    /// variables, derived as fresh when asked, read the same as the state at the call's event.
    func testStepsThatRanReadTheirSavedVariablesAsTheStateAtTheCall() throws {
        let tapes = [Programs.savedInputMul(), Programs.optimizerStepBetweenBackwards(), Programs.backwardTwice(),
                     Programs.reluInPlace(), Programs.leafInPlace()]
        var checked = 0
        for tape in tapes {
            let debugger = try Debugger(tape: tape)
            for replay in debugger.replays {
                for (number, step) in replay.steps.enumerated() {
                    if number == replay.steps.count - 1, let failure = replay.failure {
                        XCTAssertTrue(step.saved.contains(failure.saved))
                        XCTAssertTrue(step.saved.contains { $0.status != .fresh })
                        continue
                    }
                    XCTAssertEqual(step.saved, debugger.savedValues(ofNode: step.node, at: replay.event))
                    XCTAssertTrue(step.saved.allSatisfy { $0.status == .fresh })
                    XCTAssertEqual(step.name, debugger.node(step.node).name)
                    XCTAssertEqual(step.sequenceNr, debugger.node(step.node).sequenceNr)
                    checked += step.saved.count
                }
            }
        }
        XCTAssertGreaterThan(checked, 0, "some step that ran saved a variable")
    }
}
