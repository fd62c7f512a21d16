import Debugger
import Foundation
import Tape
import TerminalUI
import TestSupport

/// `/` search over 1,000,000-event tapes (issue 9: ≤ 5 ms): the table of text ids (`StepSearch`)
/// against the linear search it replaced (every step's text built and lowercased, kept in
/// TestSupport as the baseline), in the same run and on the same tapes, with the matches of both compared.
/// Also times building the table, which `DebuggerState` does once when a tape is loaded.
enum SearchBenchmark {
    /// Op names, node names, tensor ids and names, a needle with a space and one that matches nothing.
    static let needles = ["h", "mul", "MulBackward0", "t123456", "4321", "t5 h", "backward", "zz"]

    static func run(events: Int, runs: Int) throws {
        print("search benchmark: \(events) events, \(runs) runs of each search; load average \(Measure.loadAverage())")
        for (name, tape) in [("chain", FrameBenchmarkTape.make(events: events)), ("training", TrainingLoopTrace.make(events: events))] {
            let debugger = try Debugger(tape: tape)
            let index = StepIndex(debugger: debugger)
            let builds = (0..<runs).map { _ in Measure.timed { StepSearch(debugger: debugger, index: index) } }
            let table = builds[0].result
            print("  \(name): \(tape.count) events, \(index.steps.count) steps; building the table \(Self.range(builds.map(\.cpu))) ms CPU, \(Self.range(builds.map(\.wall))) ms wall")
            let texts = (0..<runs).map { _ in Measure.timed { SearchTexts(debugger: debugger) }.cpu }
            print("    of which SearchTexts (every op decoded, texts interned) \(Self.range(texts)) ms CPU")
            let state = DebuggerState(debugger: debugger)
            let linearTexts = Measure.timed { state.linearSearchTexts().count }
            print(String(format: "    the linear search's step texts alone: %.0f ms CPU", linearTexts.cpu * 1000))
            for needle in needles {
                let linear = Measure.timed { state.linearSearch(needle) }
                let fast = (0..<runs).map { _ in Measure.timed { table.matches(for: needle) } }
                let cpu = fast.map(\.cpu).sorted()
                let same = fast.allSatisfy { $0.result == linear.result }
                print(String(format: "    %-14@ %7d matches  table %@ ms CPU (median %.3f)  linear %.0f ms CPU, %.0f ms wall  %.0fx  %@",
                             "\"\(needle)\"", linear.result.count, Self.range(cpu), cpu[cpu.count / 2] * 1000,
                             linear.cpu * 1000, linear.wall * 1000, linear.cpu / cpu[cpu.count / 2], same ? "same matches" : "MATCHES DIFFER"))
            }
        }
        print("  load average after: \(Measure.loadAverage())")
    }

    /// `min–max` of `seconds`, in milliseconds.
    private static func range(_ seconds: [Double]) -> String {
        String(format: "%.3f–%.3f", (seconds.min() ?? 0) * 1000, (seconds.max() ?? 0) * 1000)
    }
}
