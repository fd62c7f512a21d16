@testable import Debugger
import Tape
import TorchRules
import XCTest

final class BlameTests: XCTestCase {
    func testAugmentedAssignmentIsBlamedWithTheVersionTimeline() throws {
        let report = try Debugger(tape: Programs.savedInputMul()).explain()
        XCTAssertEqual(report.diagnoses.count, 1)
        let diagnosis = report.diagnoses[0]
        XCTAssertEqual(diagnosis.kind, .savedTensorModified)
        XCTAssertEqual(diagnosis.site.line, 10)
        XCTAssertEqual(diagnosis.node?.name, "MulBackward0")
        XCTAssertEqual(diagnosis.saved?.slot, "other")
        XCTAssertEqual(diagnosis.savedName, "a")
        XCTAssertEqual(diagnosis.saveSite?.line, 5)
        XCTAssertEqual(diagnosis.culprit?.site.line, 8)
        XCTAssertEqual(diagnosis.culprit?.text, "a += 1")
        XCTAssertEqual(diagnosis.bumps.map(\.to), [1])
        XCTAssertEqual(diagnosis.replayMessage, diagnosis.message)
        XCTAssertTrue(diagnosis.hint.contains("`a = a + 1`"), diagnosis.hint)
        XCTAssertEqual(report.exitStatus, 1)
    }

    func testNoGradWriteSuggestsCloningFirst() throws {
        let diagnosis = try XCTUnwrap(Debugger(tape: Programs.leafInPlaceNoGrad()).explain().diagnoses.first)
        XCTAssertEqual(diagnosis.culprit?.site.line, 6)
        XCTAssertTrue(diagnosis.hint.contains("torch.no_grad()"), diagnosis.hint)
        XCTAssertTrue(diagnosis.hint.contains("`x = x.clone()`"), diagnosis.hint)
    }

    func testOptimizerStepBetweenForwardAndBackwardIsBlamed() throws {
        let diagnosis = try XCTUnwrap(Debugger(tape: Programs.optimizerStepBetweenBackwards()).explain().diagnoses.first)
        XCTAssertEqual(diagnosis.culprit?.site.line, 10)
        XCTAssertEqual(diagnosis.culprit?.call, "SGD.step")
        XCTAssertEqual(diagnosis.bumps.map(\.from), [1])
        XCTAssertTrue(diagnosis.hint.contains("`opt.step()`"), diagnosis.hint)
        XCTAssertTrue(diagnosis.hint.contains("(line 11)"), diagnosis.hint)
    }

    func testBackwardTwiceBlamesTheBackwardThatFreedTheGraph() throws {
        let report = try Debugger(tape: Programs.backwardTwice()).explain()
        let diagnosis = try XCTUnwrap(report.diagnoses.first)
        XCTAssertEqual(diagnosis.kind, .backwardTwice)
        XCTAssertEqual(diagnosis.culprit?.site.line, 5)
        XCTAssertEqual(diagnosis.culprit?.backward, 0)
        XCTAssertEqual(diagnosis.culprit?.text, "y.backward()")
        XCTAssertTrue(diagnosis.hint.contains("retain_graph=True"))
        XCTAssertEqual(report.exitStatus, 1, "a caught autograd error still counts")
    }

    func testWriteThroughDataIsASilentMutationWarning() throws {
        let report = try Debugger(tape: Programs.writeThroughAlias(detach: false)).explain()
        XCTAssertEqual(report.diagnoses.map(\.kind), [.silentMutation])
        let warning = report.diagnoses[0]
        XCTAssertEqual(warning.severity, .warning)
        XCTAssertEqual(warning.culprit?.site.line, 6)
        XCTAssertEqual(warning.saved?.slot, "result")
        XCTAssertEqual(warning.savedName, "y")
        XCTAssertEqual(report.exitStatus, 0)
    }

    func testFusedOptimizerWriteIsAnUnbumpedWriteWarning() throws {
        let report = try Debugger(tape: Programs.fusedStepBetweenBackwards()).explain()
        XCTAssertEqual(report.diagnoses.map(\.kind), [.unbumpedWrite], "one warning for `w`, saved as self and other")
        let warning = report.diagnoses[0]
        XCTAssertEqual(warning.severity, .warning)
        XCTAssertEqual(warning.site.line, 8, "the backward call that used the new `w`, not the one before the step")
        XCTAssertEqual(warning.culprit?.site.line, 7)
        XCTAssertEqual(warning.culprit?.name, "aten::_fused_adamw_")
        XCTAssertEqual(warning.savedName, "w")
        XCTAssertEqual(warning.bumps.map(\.from), [0])
        XCTAssertEqual(warning.bumps.map(\.to), [0])
        XCTAssertTrue(warning.message.contains("`opt.step()` (line 7) ran aten::_fused_adamw_, which wrote `w` in place without bumping its version counter"), warning.message)
        XCTAssertTrue(warning.hint.contains("aten::_fused_adamw_ (what `fused=True` optimizers run)"), warning.hint)
        XCTAssertEqual(report.exitStatus, 0)
    }

    func testWriteThroughDetachSuggestsDetachClone() throws {
        let report = try Debugger(tape: Programs.writeThroughAlias(detach: true)).explain()
        XCTAssertEqual(report.diagnoses.map(\.kind), [.savedTensorModified])
        let diagnosis = report.diagnoses[0]
        XCTAssertEqual(diagnosis.culprit?.site.line, 6)
        XCTAssertEqual(diagnosis.replayMessage, diagnosis.message)
        XCTAssertTrue(diagnosis.hint.contains("`d = y.detach().clone()`"), diagnosis.hint)
    }

    func testInplaceReluSuggestsInplaceFalseOnTheConstructorLine() throws {
        let diagnosis = try XCTUnwrap(Debugger(tape: Programs.reluInPlace()).explain().diagnoses.first)
        XCTAssertEqual(diagnosis.culprit?.site.line, 7)
        XCTAssertTrue(diagnosis.hint.contains("line 6: `act = nn.ReLU(inplace=False)`"), diagnosis.hint)
    }

    func testLeafInPlaceErrorBlamesTheInPlaceLineItself() throws {
        let report = try Debugger(tape: Programs.leafInPlace()).explain()
        let diagnosis = try XCTUnwrap(report.diagnoses.first)
        XCTAssertEqual(diagnosis.kind, .leafInPlace)
        XCTAssertEqual(diagnosis.culprit?.site.line, 9)
        XCTAssertEqual(diagnosis.culprit?.text, "x += 1")
        XCTAssertNil(diagnosis.node)
        XCTAssertTrue(diagnosis.hint.contains("torch.no_grad()"), diagnosis.hint)
        XCTAssertTrue(diagnosis.hint.contains("`x = x + 1`"), diagnosis.hint)
    }

    func testOtherAutogradErrorsGetAHintButNoCulprit() throws {
        let b = TapeBuilder(source: "y.backward()\nz.sum().backward()\n")
        b.error(AutogradMessage.nonScalarBackward, line: 1)
        b.error("element 0 of tensors does not require grad and does not have a grad_fn", line: 2)
        b.error("name 'q' is not defined", line: 2, type: "NameError")
        let report = try Debugger(tape: b.tape).explain()
        XCTAssertEqual(report.diagnoses.map(\.kind), [.nonScalarBackward, .noGradFn])
        XCTAssertNil(report.diagnoses[0].culprit)
        XCTAssertTrue(report.diagnoses[0].hint.contains("`y.sum().backward()`"), report.diagnoses[0].hint)
    }
}

extension BlameTests {
    /// Reading `grad_fn._saved_other` after the mutation raises the same error outside backward.
    func testVersionErrorOutsideBackwardFindsTheSavedVariableByItsMessage() throws {
        let b = TapeBuilder(source: "x = torch.ones(5, requires_grad=True)\na = x * 2\ny = a * a\na += 1\nprint(y.grad_fn._saved_other)\n")
        let x = b.tensor("x", shape: [5], requiresGrad: true, line: 1)
        let acc = b.accumulateGrad(x)
        let a = b.tensor("a", shape: [5], requiresGrad: true, line: 2)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 2, inputs: [x], outputs: [a])
        let mulA = b.node("MulBackward0", op: op0, next: [acc, nil])
        b.gradFn(a, mulA)
        let y = b.tensor("y", shape: [5], requiresGrad: true, line: 3)
        let op1 = b.op("aten::mul.Tensor", call: "*", line: 3, inputs: [a, a], outputs: [y])
        let mulY = b.node("MulBackward0", op: op1, next: [mulA, mulA])
        b.gradFn(y, mulY)
        b.save(mulY, "other", a)
        b.save(mulY, "self", a)
        let op2 = b.op("aten::add_.Tensor", call: "+=", line: 4, inputs: [a], outputs: [a], inPlace: true)
        b.gradFn(a, b.node("AddBackward0", op: op2, next: [mulA, nil]))
        b.error(Programs.versionMessage("[torch.FloatTensor [5]], which is output 0 of Add,", current: 1, saved: 0), line: 5)
        let diagnosis = try XCTUnwrap(Debugger(tape: b.tape).explain().diagnoses.first)
        XCTAssertNil(diagnosis.backward)
        XCTAssertEqual(diagnosis.node?.id, mulY)
        XCTAssertEqual(diagnosis.saved?.slot, "other", "both slots match the message; the statement reads `_saved_other`")
        XCTAssertEqual(diagnosis.culprit?.site.line, 4)
    }

    func testAnomalyModeHintIsTakenFromTheRaisedMessage() throws {
        let b = TapeBuilder(source: "")
        let x = b.tensor(shape: [3], requiresGrad: true)
        let acc = b.accumulateGrad(x)
        let y = b.tensor(shape: [3], requiresGrad: true)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 1, inputs: [x, x], outputs: [y])
        let mul = b.node("MulBackward0", op: op0, next: [acc, acc])
        b.gradFn(y, mul)
        b.save(mul, "other", x)
        b.save(mul, "self", x)
        b.op("aten::add_.Tensor", call: "+=", line: 2, inputs: [x], outputs: [x], inPlace: true, gradMode: false)
        let call = b.backward(roots: [mul], line: 3)
        let message = AutogradMessage.versionMismatchPrefix
            + "[torch.FloatTensor [3]] is at version 1; expected version 0 instead. Hint: " + AutogradMessage.anomalyOnHint
        b.error(message, line: 3, backward: call)
        XCTAssertEqual(try Debugger(tape: b.tape).replays[0].failure?.message, message)
    }
}

extension BlameTests {
    func testFailedBackwardIsDiagnosedOnceWhetherOrNotTheErrorNamesIt() throws {
        let b = TapeBuilder(source: "y.backward()\n")
        let x = b.tensor(shape: [2], requiresGrad: true)
        let acc = b.accumulateGrad(x)
        let call = b.backward(roots: [acc], line: 1)
        b.record(.backwardEnd(BackwardEnd(backward: call, failedNode: acc, failedSlot: nil, message: "derivative for foo is not implemented")))
        let unreported = try Debugger(tape: b.tape).explain()
        XCTAssertEqual(unreported.diagnoses.map(\.kind), [.autogradError], "a bwend with no error event still counts")
        b.error("derivative for foo is not implemented", line: 1)
        XCTAssertEqual(try Debugger(tape: b.tape).explain().diagnoses.count, 1, "the propagated error is the same one")
    }
}

/// Traces recorded with a step window (`--keep-steps`): a culprit in a dropped step is never
/// replaced by a later write, and the run is still an autograd error.
final class DroppedStepsBlameTests: XCTestCase {
    /// `kept = (w * w).sum()` saved `w` at v0 in a dropped step; two optimizer steps there moved `w`
    /// to v2; the kept step bumps it to v3 (`w.add_(1)`, line 11) and `kept.backward()` fails.
    private func windowedTape(versions: String) throws -> Tape {
        let message = "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 3; expected version 0 instead."
        let lines = [
            #"{"format":"tapedeck-trace","version":"1.1","producer":"t","path":"train.py","source":"","dropped":{"steps":3,"events":40,"errors":0,"versions":\#(versions)}}"#,
            #"{"k":"tensor","t":0,"vc":0,"st":0,"shape":[3],"dtype":"float32","rg":true,"param":true}"#,
            #"{"k":"node","n":0,"name":"torch::autograd::AccumulateGrad","seq":18446744073709551615,"next":[],"var":0}"#,
            #"{"k":"node","n":1,"name":"MulBackward0","seq":6,"next":[[0,0],[0,0]]}"#,
            #"{"k":"save","n":1,"slot":"other","t":0,"v":0,"out":false,"nr":0,"shape":[3]}"#,
            #"{"k":"save","n":1,"slot":"self","t":0,"v":0,"out":false,"nr":0,"shape":[3]}"#,
            #"{"k":"tensor","t":1,"vc":1,"st":1,"shape":[],"dtype":"float32","rg":true}"#,
            #"{"k":"node","n":2,"name":"SumBackward0","seq":7,"next":[[1,0]]}"#,
            #"{"k":"gradfn","t":1,"n":2,"nr":0,"rg":true,"v":0}"#,
            #"{"k":"bind","name":"kept","t":1,"line":9}"#,
            #"{"k":"op","i":0,"name":"aten::add_.Tensor","call":"Tensor.add_","line":11,"grad":false,"in":[[0,2]],"out":[[0,3]],"inplace":true}"#,
            #"{"k":"bump","vc":0,"t":0,"from":2,"to":3,"op":0}"#,
            #"{"k":"backward","b":0,"roots":[[2,0]],"line":12,"retain":false}"#,
            #"{"k":"run","b":0,"n":2}"#,
            #"{"k":"run","b":0,"n":1}"#,
            #"{"k":"bwend","b":0,"fail":1,"slot":"other","msg":"\#(message)"}"#,
            #"{"k":"error","type":"RuntimeError","msg":"\#(message)","line":12,"b":0}"#,
            #"{"k":"exit","code":1}"#,
        ]
        return try TraceReader.load(Array((lines.joined(separator: "\n") + "\n").utf8), file: "train.tdt")
    }

    func testWriteInADroppedStepIsNotBlamedOnALaterOne() throws {
        let report = try Debugger(tape: windowedTape(versions: "[[0,2]]")).explain()
        XCTAssertEqual(report.verdict, .autogradErrors(count: 1))
        let diagnosis = try XCTUnwrap(report.diagnoses.first)
        XCTAssertEqual(diagnosis.saved?.savedVersion, 0)
        XCTAssertEqual(diagnosis.saved?.currentVersion, 3)
        XCTAssertNil(diagnosis.culprit)
        XCTAssertEqual(diagnosis.droppedWritesTo, 2)
        XCTAssertEqual(diagnosis.bumps.map(\.isCulprit), [false])
        XCTAssertTrue(diagnosis.hint.contains("one of the 3 earlier steps this trace dropped"))
        let text = report.text()
        XCTAssertTrue(text.contains("v2  bumped in the dropped steps (not in this trace)  <- culprit, not recorded"))
        XCTAssertTrue(text.contains("3 earlier steps (40 events) were dropped"))
        XCTAssertTrue(report.json().contains("\"dropped\": {\n    \"steps\": 3"))
    }

    func testWriteInTheKeptStepsIsStillTheCulprit() throws {
        // Without the dropped versions the kept `add_` is the first write past v0.
        let report = try Debugger(tape: windowedTape(versions: "[]")).explain()
        let diagnosis = try XCTUnwrap(report.diagnoses.first)
        XCTAssertEqual(diagnosis.culprit?.op, 0)
        XCTAssertNil(diagnosis.droppedWritesTo)
    }
}
