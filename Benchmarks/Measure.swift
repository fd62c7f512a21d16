import Foundation
import Tape

/// The clocks and the machine fact every benchmark reports its figures with, read one way, and the
/// temporary trace file the file-reading benchmarks load.
enum Measure {
    /// Wall seconds `body` takes.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// `body`'s result with the wall and process CPU seconds it took (the CPU figure is the steadier
    /// one on a shared machine).
    static func timed<T>(_ body: () throws -> T) rethrows -> (result: T, wall: Double, cpu: Double) {
        let (wall, cpu) = (DispatchTime.now().uptimeNanoseconds, cpuSeconds())
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9, cpuSeconds() - cpu)
    }

    /// Writes `tape` to a trace file in the temporary folder (NAME and this process's id in its
    /// name), runs `body` on its path and removes the file.
    static func withTraceFile<T>(_ tape: Tape, named name: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "tapedeck-\(name)-\(getpid()).tdt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TraceWriter.write(tape, toFile: path)
        return try body(path)
    }

    /// CPU seconds this process has used, which other processes on a shared machine do not inflate.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The minor page faults this process has taken and the CPU seconds it has spent in the
    /// kernel: a fresh page's first touch costs a fault and its zeroing, counted as system time.
    static func usage() -> (faults: Int, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (usage.ru_minflt, Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    /// CPU seconds (user + system) used by this process's children that have been waited for:
    /// the difference around one child is that child's CPU time, steady on a shared machine.
    static func childCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The 1-, 5- and 15-minute load averages, to say how busy the machine was during a run.
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown")
            .split(separator: " ").prefix(3).joined(separator: " ")
    }
}
