import Debugger
import Foundation
import Tape

/// The whole of `tapedeck explain TRACE` in process, phase by phase — read the trace, build the
/// `Debugger` (index + every backward replay), blame (`explain()`), the report's text — against
/// `wc -l` on the same file in the same run (issue 9: the whole command at ≥ 500 MB/s and within
/// 20× of `wc -l`). Wall and process CPU time per phase, min–max and median over the runs.
enum ExplainBenchmark {
    static func run(path: String, runs: Int) throws {
        let bytes = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        print("explain \(path): \(Int(bytes)) bytes, \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(Measure.loadAverage()), \(runs) runs")
        let phases = ["read trace", "Debugger(tape:)", "explain()", "report text", "total"]
        var wall = Array(repeating: TapeScaleBenchmark.Samples(), count: phases.count)
        var cpu = Array(repeating: TapeScaleBenchmark.Samples(), count: phases.count)
        var faults = Array(repeating: [Int](), count: phases.count)
        var system = Array(repeating: TapeScaleBenchmark.Samples(), count: phases.count)
        var wc = TapeScaleBenchmark.Samples()
        var summary = ""
        for _ in 0..<runs {
            wc.add(try TapeScaleBenchmark.shell(["wc", "-l", path]).wall)
            var laps: [(wall: Double, cpu: Double, faults: Int, system: Double)] = []
            var usage = Measure.usage()
            var clock = (wall: DispatchTime.now().uptimeNanoseconds, cpu: Measure.cpuSeconds())
            func lap() {
                let now = (wall: DispatchTime.now().uptimeNanoseconds, cpu: Measure.cpuSeconds())
                let used = Measure.usage()
                laps.append((Double(now.wall - clock.wall) / 1e9, now.cpu - clock.cpu,
                             used.faults - usage.faults, used.system - usage.system))
                usage = used
                clock = (DispatchTime.now().uptimeNanoseconds, Measure.cpuSeconds())
            }
            let tape = try TraceReader.read(contentsOf: path)
            lap()
            let debugger = try Debugger(tape: tape)
            lap()
            let report = debugger.explain()
            lap()
            let text = report.text()
            lap()
            laps.append((laps.reduce(0) { $0 + $1.wall }, laps.reduce(0) { $0 + $1.cpu },
                         laps.reduce(0) { $0 + $1.faults }, laps.reduce(0) { $0 + $1.system }))
            for (index, lap) in laps.enumerated() {
                wall[index].add(lap.wall)
                cpu[index].add(lap.cpu)
                faults[index].append(lap.faults)
                system[index].add(lap.system)
            }
            summary = "\(tape.count) events, \(debugger.nodeCount) nodes, \(debugger.replays.count) backward calls, "
                + "\(debugger.replays.reduce(0) { $0 + $1.steps.count }) nodes replayed, \(report.diagnoses.count) diagnoses, \(text.utf8.count) bytes of report"
        }
        print("  \(summary)")
        for (index, phase) in phases.enumerated() {
            print("  \(phase.padding(toLength: 16, withPad: " ", startingAt: 0)) wall \(wall[index]); CPU \(cpu[index]); "
                  + "of it system \(system[index]); page faults \(faults[index].min() ?? 0)–\(faults[index].max() ?? 0)")
        }
        print("  wc -l (baseline): \(wc)")
        let total = wall[phases.count - 1].median
        print(String(format: "  whole explain: %.0f MB/s wall (%.0f MB/s CPU), %.1f× wc -l (medians)",
                     bytes / total / 1e6, bytes / cpu[phases.count - 1].median / 1e6, total / wc.median))
    }
}
