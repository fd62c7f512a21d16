import Foundation
import Tape

/// Loads `TrainingLoopTrace` traces of 10k, 100k, 1M and 3M events and measures, in the same
/// run, each load against its baselines (issue 9): `wc -l` on the same file, Python's `orjson`
/// and `json` loading every line (when installed), the loader's memory per event and the peak
/// resident memory of a process that only loads (`tape-load-once`), and the load including
/// process start: of that process, and of the whole `tapedeck explain` when the `tapedeck`
/// binary was built next to this one (`swift build -c release`), each as wall and CPU time.
enum TapeScaleBenchmark {
    static let sizes = [10_000, 100_000, 1_000_000, 3_000_000]

    static func run(sizes: [Int], runs: Int) throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(Measure.loadAverage()); \(runs) runs each, min–max, median")
        let python = pythonBaselines()
        let baseline = try processBaseline()
        print("peak RSS of a process that loads a one-event trace (runtime + Foundation): \(mebibytes(baseline)) MiB")
        let tapedeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tapedeck").path
        let explains = FileManager.default.isExecutableFile(atPath: tapedeck)
        print(explains ? "whole command: \(tapedeck) explain" : "no tapedeck binary next to this one: `swift build -c release` adds the whole-command row")
        for events in sizes {
            try Measure.withTraceFile(TrainingLoopTrace.make(events: events), named: "scale-\(events)") { path in
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                print("\n\(events) events, \(size / 1_000_000) MB (\(size / events) bytes/line)")
                var load = Samples(), cpu = Samples(), wc = Samples(), orjson = Samples(), json = Samples()
                var start = Samples(), startCPU = Samples(), explain = Samples(), explainCPU = Samples()
                var peak = 0, footprint = 0
                for run in 0..<runs {
                    let (_, loadWall, loadCPU) = try Measure.timed { try TraceReader.read(contentsOf: path) }
                    load.add(loadWall)
                    cpu.add(loadCPU)
                    wc.add(try Measure.seconds { try shell(["wc", "-l", path]) })
                    let once = try shell([CommandLine.arguments[0], "tape-load-once", path])
                    start.add(once.wall)
                    startCPU.add(once.cpu)
                    if explains, events <= 100_000 {
                        let command = try shell([tapedeck, "explain", path])
                        explain.add(command.wall)
                        explainCPU.add(command.cpu)
                    }
                    let fields = once.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
                    if fields.count == 2 { (peak, footprint) = (max(peak, fields[0]), fields[1]) }
                    if python.orjson, run < 3 || events <= 1_000_000 { orjson.add(try pythonLoad(path, module: "orjson")) }
                    if run == 0 && events <= 1_000_000 { json.add(try pythonLoad(path, module: "json")) }
                }
                let rate = Double(size) / load.median / 1e6
                print("  load (in process): \(load) wall, \(cpu) CPU; \(Int(rate)) MB/s")
                print("  wc -l: \(wc); load / wc -l = \(ratio(load.median, wc.median))")
                if !orjson.values.isEmpty { print("  orjson, every line: \(orjson); orjson / load = \(ratio(orjson.median, load.median))") }
                if !json.values.isEmpty { print("  python json, every line, one run: \(json); json / load = \(ratio(json.median, load.median))") }
                print("  process start + load + exit: \(start) wall, \(startCPU) CPU")
                if !explain.values.isEmpty { print("  `tapedeck explain`, its own process: \(explain) wall, \(explainCPU) CPU") }
                print("  memory: \(footprint / events) bytes/event (\(mebibytes(footprint)) MiB); peak RSS of a load-only process \(mebibytes(peak)) MiB "
                      + "= footprint + \(mebibytes(peak - footprint)) MiB = process baseline + footprint + \(mebibytes(peak - footprint - baseline)) MiB")
            }
        }
    }

    /// Loads `path` once and prints the peak resident set size and the tape's footprint, in bytes.
    ///
    /// The peak is `VmHWM` of /proc/self/status, this process's own address space. Not
    /// `getrusage`'s `ru_maxrss`: Linux carries it across `execve`, and a process started by
    /// `Process` (vfork-style spawn, sharing the parent's memory until exec) reports the
    /// benchmark's own peak, with its generated 3M-event trace, instead of the loader's.
    static func loadOnce(path: String) throws {
        let tape = try TraceReader.read(contentsOf: path)
        print("\(peakResidentBytes()) \(tape.memoryFootprint)")
    }

    private static func peakResidentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kilobytes * 1024
    }

    /// The peak resident memory of a process that loads a one-event trace: the Swift runtime and
    /// Foundation, which every `tapedeck` process carries before it reads anything.
    private static func processBaseline() throws -> Int {
        var tape = Tape(header: TraceHeader(producer: "tapedeck-bench", path: "", source: ""))
        tape.append(.exit(code: 0))
        return try Measure.withTraceFile(tape, named: "scale-empty") { path in
            let once = try shell([CommandLine.arguments[0], "tape-load-once", path])
            return once.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }.first ?? 0
        }
    }

    /// Wall times of a sample, printed as `min–max, median`.
    struct Samples: CustomStringConvertible {
        var values: [Double] = []
        mutating func add(_ value: Double) { values.append(value) }
        var median: Double { values.sorted()[values.count / 2] }
        var description: String {
            String(format: "%.4f–%.4f s, median %.4f s", values.min() ?? 0, values.max() ?? 0, values.isEmpty ? 0 : median)
        }
    }

    private static func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.1f×", a / b) }

    /// Bytes in MiB to two decimals: the peak's margin under footprint + 16 MiB is a fraction of one.
    private static func mebibytes(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1_048_576) }

    private static func pythonBaselines() -> (orjson: Bool, json: Bool) {
        let orjson = (try? shell(["python3", "-c", "import orjson"]))?.status == 0
        print("baselines: wc -l; python3 json; orjson \(orjson ? "installed" : "not installed (pip install orjson to add it)")")
        return (orjson, true)
    }

    /// Seconds Python takes to parse every line of `path` with `module` (`loads`), timed inside
    /// Python so interpreter start-up is excluded.
    private static func pythonLoad(_ path: String, module: String) throws -> Double {
        let script = """
            import sys, time, \(module) as m
            data = open(sys.argv[1], 'rb').read()
            start = time.perf_counter()
            events = [m.loads(line) for line in data.splitlines()]
            print(time.perf_counter() - start)
            """
        let result = try shell(["python3", "-c", script, path])
        return Double(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
    }

    @discardableResult
    static func shell(_ arguments: [String]) throws -> (status: Int32, output: String, wall: Double, cpu: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        let cpu = Measure.childCPUSeconds()
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), wall, Measure.childCPUSeconds() - cpu)
    }
}
