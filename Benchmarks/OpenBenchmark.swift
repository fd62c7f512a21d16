import Debugger
import Foundation
import Tape
import TerminalUI

/// The whole path `tapedeck FILE` takes before its first frame, on 1,000,000-event trace files:
/// read the trace, build the `Debugger` (index + backward replays), build the `DebuggerState`
/// (steps + diagnoses), render the first frame at 120×40. Each phase is timed on its own, wall
/// and CPU, over several runs; min and median are printed. Two traces: the failing chain the frame
/// benchmark uses (one backward through ~140,000 nodes) and the training loop of `tape-load`.
/// Then the same file opened as `tapedeck FILE` opens it: the first frame from the first events,
/// the rest loaded in the background (`TraceOpening`).
enum OpenBenchmark {
    static func run(events: Int, runs: Int) throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(Measure.loadAverage())")
        for (name, make) in [("chain", FrameBenchmarkTape.make(events:)), ("training", TrainingLoopTrace.make(events:))] {
            try Measure.withTraceFile(make(events), named: "open-\(name)") { try measure(path: $0, name: name, runs: runs) }
        }
    }

    /// Opens the trace at `path` `runs` times and prints each phase's min and median.
    static func measure(path: String, name: String, runs: Int) throws {
        let phases = ["read trace", "Debugger(tape:)", "DebuggerState", "first frame", "total"]
        var wall = Array(repeating: [Double](), count: phases.count)
        var cpu = Array(repeating: [Double](), count: phases.count)
        var summary = ""
        var firstFrame: [Double] = [], wholeTape: [Double] = []
        /// Runs phase `index` and keeps its times.
        func phase<T>(_ index: Int, _ body: () throws -> T) rethrows -> T {
            let (result, seconds, cpuSeconds) = try Measure.timed(body)
            wall[index].append(seconds)
            cpu[index].append(cpuSeconds)
            return result
        }
        for _ in 0..<runs {
            let tape = try phase(0) { try TraceReader.read(contentsOf: path) }
            let debugger = try phase(1) { try Debugger(tape: tape) }
            let state = phase(2) { DebuggerState(debugger: debugger) }
            let frame = phase(3) { state.render(width: 120, height: 40) }
            wall[4].append(wall[0...3].reduce(0) { $0 + $1.last! })
            cpu[4].append(cpu[0...3].reduce(0) { $0 + $1.last! })
            precondition(frame.width == 120)
            summary = "\(tape.count) events, \(state.stepCount) steps, \(debugger.replays.count) backward calls, \(state.failures.count) failures"
            try progressive(path: path, first: &firstFrame, whole: &wholeTape)
        }
        print("open \(name): \(summary), \(runs) runs")
        for (index, phase) in phases.enumerated() {
            let w = wall[index].sorted(), c = cpu[index].sorted()
            print(String(format: "  %@ wall min %7.1f ms, median %7.1f ms; CPU min %7.1f ms, median %7.1f ms",
                         phase.padding(toLength: 16, withPad: " ", startingAt: 0) as NSString, w[0] * 1000, w[w.count / 2] * 1000, c[0] * 1000, c[c.count / 2] * 1000))
        }
        let (f, t) = (firstFrame.sorted(), wholeTape.sorted())
        print(String(format: "  progressive (`tapedeck FILE`): first frame wall min %.1f ms, median %.1f ms, max %.1f ms; "
                     + "whole tape ready wall min %.1f ms, median %.1f ms", f[0] * 1000, f[f.count / 2] * 1000, f[f.count - 1] * 1000,
                     t[0] * 1000, t[t.count / 2] * 1000))
    }

    /// The path `tapedeck FILE` takes now (`TraceOpening`): wall time to the first frame, drawn
    /// from the first events, and to the state over the whole tape, loaded in the background.
    private static func progressive(path: String, first: inout [Double], whole: inout [Double]) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let (state, rest) = try TraceOpening.open(path: path)
        let frame = state.render(width: 120, height: 40)
        first.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        precondition(frame.width == 120)
        if let rest, case .failure(let error) = rest.wait() { throw error }
        whole.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
