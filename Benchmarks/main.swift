import Foundation

// Runs the benchmark named on the command line; see docs/benchmarks.md for the figures.
//   swift run -c release tapedeck-bench tape-load [EVENTS [KEEP.tdt]]   (KEEP.tdt: where to leave the generated trace)
//   swift run -c release tapedeck-bench tape-load-file TRACE.tdt
//   swift run -c release tapedeck-bench tape-scale [RUNS [EVENTS...]]   (10k–3M events against wc -l, orjson, json; peak memory)
//   swift run -c release tapedeck-bench frame                          (keypress to frame on a 1,000,000-event tape)
//   swift run -c release tapedeck-bench search [EVENTS [RUNS]]          (`/` search: the table of text ids against the linear search)
//   swift run -c release tapedeck-bench backward-key [EVENTS [RUNS]]    (the `b` key on a backward call of ~140,000 nodes)
//   swift run -c release tapedeck-bench open [EVENTS [RUNS]]           (trace file to first frame, phase by phase)
//   swift run -c release tapedeck-bench open-file TRACE.tdt [RUNS]
//   swift run -c release tapedeck-bench relations [NODES]              (index, replay, blame and queries over a NODES-node graph)
//   swift run -c release tapedeck-bench explain-file TRACE.tdt [RUNS]  (the whole of `tapedeck explain` against wc -l)
let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks = ["tape-load", "tape-load-file", "tape-scale", "frame", "search", "backward-key", "open", "open-file", "relations", "explain-file"]

do {
    switch arguments.first {
    case "tape-load":
        try TapeLoadBenchmark.run(events: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000,
                                  keep: arguments.count > 2 ? arguments[2] : nil)
    case "tape-load-file" where arguments.count == 2:
        try TapeLoadBenchmark.load(path: arguments[1])
    case "tape-scale":
        let numbers = arguments.dropFirst().compactMap { Int($0) }
        try TapeScaleBenchmark.run(sizes: numbers.count > 1 ? Array(numbers.dropFirst()) : TapeScaleBenchmark.sizes,
                                   runs: numbers.first ?? 5)
    case "tape-load-once" where arguments.count == 2:
        try TapeScaleBenchmark.loadOnce(path: arguments[1])
    case "frame":
        runFrameBenchmark()
    case "search":
        try SearchBenchmark.run(events: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000,
                                runs: arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20)
    case "backward-key":
        try BackwardKeyBenchmark.run(events: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000,
                                     runs: arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20)
    case "open":
        try OpenBenchmark.run(events: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000,
                              runs: arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5)
    case "open-file" where arguments.count >= 2:
        try OpenBenchmark.measure(path: arguments[1], name: arguments[1], runs: arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5)
    case "relations":
        try RelationsBenchmark.run(nodes: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000)
    case "explain-file" where arguments.count >= 2:
        try ExplainBenchmark.run(path: arguments[1], runs: arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5)
    default:
        print("usage: tapedeck-bench BENCHMARK [ARGS]\nbenchmarks: \(benchmarks.joined(separator: ", "))")
    }
} catch {
    print("error: \(error)")
    exit(1)
}
