import ConformanceCases
@testable import Script
import Tape
import XCTest

/// The step and memory budgets and Ctrl-C: a program that never ends or grows without bound is
/// stopped with a message naming the flag, and the stop cannot be caught by the program.
final class BudgetTests: XCTestCase {
    private func run(_ source: String, steps: Int = RunLimits.standard.maxSteps, memory: Int = RunLimits.standard.maxMemory) -> (ConformanceTests.Result, Tape) {
        let out = Collector(), err = Collector()
        let outcome = ProgramRunner(path: "b.py", source: source, limits: RunLimits(maxSteps: steps, maxMemory: memory))
            .run(stdout: { out.append($0) }, stderr: { err.append($0) })
        return (ConformanceTests.Result(stdout: out.text, stderr: err.text, exitCode: outcome.exitCode), outcome.tape)
    }

    func testAnEndlessLoopStopsAtTheStepBudgetWithExit1() {
        let (result, tape) = run("x = 0\nwhile True:\n    pass\n", steps: 10_000)
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stderr, "tapedeck: b.py:3: the program was stopped after 10000 steps (statements executed); raise the budget with --max-steps\n")
        let errors = tape.indices.compactMap { index -> RaisedError? in
            if case let .error(error) = tape[index] { return error } else { return nil }
        }
        XCTAssertEqual(errors.last?.isBudgetStop, true)
        XCTAssertEqual(errors.last?.site.line, 3)
    }

    func testTheProgramCannotCatchTheStopNorRunFinallyBlocks() {
        let source = "while True:\n    try:\n        pass\n    except BaseException:\n        print('caught')\n    finally:\n        pass\n"
        let (result, _) = run(source, steps: 5_000)
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.hasSuffix("raise the budget with --max-steps\n"), result.stderr)
    }

    func testComprehensionsAndBuiltinsCountTheirIterations() {
        let (result, _) = run("x = sum([i for i in range(10 ** 9)])\n", steps: 1_000)
        XCTAssertEqual(result.lastErrorLine, "tapedeck: b.py:1: the program was stopped after 1000 steps (statements executed); raise the budget with --max-steps")
    }

    func testOneOversizedValueIsRefusedBeforeItIsBuilt() {
        let (result, _) = run("s = 'ab' * 10 ** 12\n")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stderr, "tapedeck: b.py:1: the program was stopped before allocating 1907349 MiB, over the 4096 MiB memory budget; raise it with --max-memory\n")
    }

    func testGrowthWithoutBoundStopsAtTheMemoryBudget() {
        let (result, _) = run("a = []\nwhile True:\n    a.append('x' * 100000 + str(len(a)))\n", memory: 64 << 20)
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stderr, "tapedeck: b.py:3: the program was stopped after using more than 64 MiB of memory; raise the budget with --max-memory\n")
    }

    func testCtrlCRaisesKeyboardInterruptWithExit130LikePython() {
        Interruption.pending.store(1, ordering: .relaxed)
        let (result, _) = run("x = 1\ny = 2\n")
        XCTAssertEqual(result.exitCode, 130)
        XCTAssertEqual(result.stderr, "Traceback (most recent call last):\n  File \"b.py\", line 1, in <module>\n    x = 1\nKeyboardInterrupt\n")
    }

    func testKeyboardInterruptEndsAnEndlessLoopAndCanBeCaughtLikeInPython() {
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { Interruption.pending.store(1, ordering: .relaxed) }
        let (result, _) = run("try:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    print('interrupted')\n")
        XCTAssertEqual(result.exitCode, 0)
        XCTAssertEqual(result.stdout, "interrupted\n")
    }

    func testBroadcastingAndMatrixProductsTooLargeToAllocateAreRefused() {
        for op in ["*", "@"] {
            let (result, _) = run("import torch\na = torch.ones(100000, 1)\nb = torch.ones(1, 100000)\nc = a \(op) b\n")
            XCTAssertEqual(result.lastErrorLine, "NotImplementedError: tapedeck does not support tensors of more than 268435456 elements", op)
        }
    }
}
