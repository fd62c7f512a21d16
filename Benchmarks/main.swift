import Foundation

// Runs the benchmark named on the command line; see docs/benchmarks.md for the figures.
//   swift run -c release tapedeck-bench tape-load [EVENTS [KEEP.tdt]]   (KEEP.tdt: where to leave the generated trace)
//   swift run -c release tapedeck-bench tape-load-file TRACE.tdt
let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks = ["tape-load", "tape-load-file"]

do {
    switch arguments.first {
    case "tape-load":
        try TapeLoadBenchmark.run(events: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000,
                                  keep: arguments.count > 2 ? arguments[2] : nil)
    case "tape-load-file" where arguments.count == 2:
        try TapeLoadBenchmark.load(path: arguments[1])
    default:
        print("usage: tapedeck-bench BENCHMARK [ARGS]\nbenchmarks: \(benchmarks.joined(separator: ", "))")
    }
} catch {
    print("error: \(error)")
    exit(1)
}
