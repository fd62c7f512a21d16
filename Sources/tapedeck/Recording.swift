/// How a program run by real PyTorch is recorded, as `--recorder` and `--keep-steps` ask: options
/// handed to the recorder (`TorchRecorder`). Either one names real PyTorch as the engine, as
/// `--engine torch` does, since only a recording of real PyTorch has a recorder or steps to drop.
struct Recording: Equatable, Sendable {
    /// The recorder asked for, nil when `--recorder` was not given: then the native core records
    /// where it can be built, and the Python recorder where it cannot, saying why (`--prefer-native`).
    var recorder: RecorderKind?
    /// `--keep-steps N`: only the last N steps and the running one are kept.
    var keepSteps: Int?
    /// Whether the trace keeps value previews: the debugger shows them; `explain` and `graph`,
    /// whose output reads none, record without them (`--values 0`, `withoutPreviews`).
    var previews = true

    /// How a command whose output reads no value previews records (`explain`'s report, `graph`'s
    /// picture): without them, about a tenth of a launch-bound step less for the native core and
    /// two fifths for the Python recorder (docs/benchmarks.md, `native --values 0`). It asks for
    /// nothing (`isRequested`): a program inside the subset stays on tapedeck's engine.
    var withoutPreviews: Recording {
        var recording = self
        recording.previews = false
        return recording
    }

    /// Whether either option was given.
    var isRequested: Bool { recorder != nil || keepSteps != nil }

    /// The options as the user wrote them, for the line saying why real PyTorch runs.
    var options: String {
        var written: [String] = []
        if let recorder { written.append("--recorder \(recorder.rawValue)") }
        if let keepSteps { written.append("--keep-steps \(keepSteps)") }
        return written.joined(separator: " ")
    }

    /// The recorder's own options (`python3 -m tapedeck_torch`, recorder/tapedeck_torch/__main__.py).
    var arguments: [String] {
        recorderArguments + (keepSteps.map { ["--keep-steps", String($0)] } ?? []) + (previews ? [] : ["--values", "0"])
    }

    /// The recorder's option choosing the recorder: none for the Python one.
    private var recorderArguments: [String] {
        switch recorder {
        case .native: ["--native"]
        case .python: []
        case nil: ["--prefer-native"]
        }
    }
}
