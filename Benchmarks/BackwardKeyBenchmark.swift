import Debugger
import Foundation
import Tape
import TerminalUI
import TestSupport

/// The `b` key (replay backward one node at a time) on one backward call of the whole chain of a
/// 1,000,000-event tape (~140,000 nodes): key to frame bytes from places before, at and deep
/// inside the call, each the best of `runs` tries, next to the linear scans of the steps that
/// the key made before (the same run's baseline).
enum BackwardKeyBenchmark {
    static func run(events: Int, runs: Int) throws {
        let tape = FrameBenchmarkTape.make(events: events, message: FrameBenchmarkTape.fullMessage)
        let debugger = try Debugger(tape: tape)
        let initial = DebuggerState(debugger: debugger)
        guard let call = initial.index.step(ofBackward: 0) else {
            print("backward-key benchmark: the generated tape has no backward call")
            return
        }
        let nodes = debugger.replays[0].steps.count
        print("backward-key benchmark: \(tape.count) events, \(initial.stepCount) steps, backward call at step \(call + 1) with \(nodes) nodes; load average \(Measure.loadAverage())")
        let places = [("first op", 0), ("middle of the forward pass", call / 2), ("the backward call", call),
                      ("first node", call + 1), ("middle node", call + 1 + nodes / 2), ("last node but one", call + nodes - 1)]
        for (name, step) in places {
            var state = DebuggerState.jump(initial, toStep: step)
            state.resize(width: 120, height: 40)
            let frame = state.render(width: 120, height: 40)
            var best = Double.infinity
            var after = state
            for _ in 0..<runs {
                after = state
                let time = Measure.seconds {
                    after.reduce(.character("b"))
                    _ = Presenter.runs(from: frame, to: after.render(width: 120, height: 40))
                }
                best = min(best, time)
            }
            let scans = Measure.seconds { precondition(state.scannedBackwardTarget() == after.cursor, "the linear scans find another step") }
            print(String(format: "  from %@ (step %d → %d): key to frame %.3f ms (best of %d); the linear scans it made before %.3f ms",
                         name, step + 1, after.cursor + 1, best * 1000, runs, scans * 1000))
        }
    }
}
