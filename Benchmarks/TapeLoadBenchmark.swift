import Foundation
import Tape

/// Times writing and loading a realistic trace, and reports the tape's memory per event.
///
/// The load budget is 1,000,000 events in 0.25 s at no more than 64 bytes each in memory. The
/// baseline is Foundation's `JSONSerialization` parsing the same lines into dictionaries (only
/// parsing: it builds no tape), measured once.
enum TapeLoadBenchmark {
    static func run(events: Int, keep: String?) throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpuModel()), "
              + "\(ProcessInfo.processInfo.physicalMemory >> 30) GiB RAM")
        let tape = TrainingLoopTrace.make(events: events)
        let path = keep ?? NSTemporaryDirectory() + "tapedeck-bench-\(getpid()).tdt"
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: path) } }

        let writeTime = try Measure.seconds { try TraceWriter.write(tape, toFile: path) }
        let fileSize = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("events: \(tape.count), file: \(fileSize / 1_000_000) MB (\(fileSize / tape.count) bytes/line), "
              + "write: \(format(writeTime))")

        let loaded = try load(path: path)
        guard loaded == tape else {
            print("MISMATCH: the loaded tape differs from the written one")
            exit(1)
        }

        let kinds = Dictionary(grouping: 0..<tape.count, by: tape.kind(at:)).mapValues(\.count)
        print("mix: " + Event.Kind.allCases.compactMap { kind in kinds[kind].map { "\(kind.traceName) \($0 * 100 / tape.count)%" } }
            .joined(separator: ", "))

        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cpuStart = Measure.cpuSeconds()
        let baseline = try Measure.seconds {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                _ = try JSONSerialization.jsonObject(with: line)
            }
        }
        print("baseline: Foundation JSONSerialization, parse only, one run: \(format(baseline)), "
              + "CPU time \(format(Measure.cpuSeconds() - cpuStart))")
    }

    /// Loads the trace at `path` seven times and reports the min and median time and the memory.
    @discardableResult
    static func load(path: String) throws -> Tape {
        let fileSize = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var loaded = try TraceReader.read(contentsOf: path)
        var times: [Double] = []
        var cpuTimes: [Double] = []
        for _ in 0..<7 {
            let (tape, wall, cpu) = try Measure.timed { try TraceReader.read(contentsOf: path) }
            loaded = tape
            times.append(wall)
            cpuTimes.append(cpu)
        }
        times.sort()
        cpuTimes.sort()
        print("load: min \(format(times[0])), median \(format(times[times.count / 2])) over \(times.count) runs "
              + "(\(Int(Double(fileSize) / times[0] / 1_000_000)) MB/s); CPU time min \(format(cpuTimes[0])), "
              + "median \(format(cpuTimes[cpuTimes.count / 2]))")
        print("memory: \(loaded.memoryFootprint / max(loaded.count, 1)) bytes/event (\(loaded.memoryFootprint / 1_000_000) MB)")
        var ops = 0
        let scan = Measure.seconds {
            for event in loaded where event.kind == .op { ops += 1 }
        }
        print("decode every event once (tape[i] for all i): \(format(scan)) (\(ops) ops)")
        return loaded
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.3f s", seconds)
    }

    private static func cpuModel() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }
}
