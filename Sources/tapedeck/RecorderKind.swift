import ArgumentParser

/// Which recorder records a program run by real PyTorch: `python3 -m tapedeck_torch` as it is, or
/// with `--native`, its C++ core (recorder/README.md). Without `--recorder`, `explain` and `graph`
/// prefer the native core, and the debugger and `record` use the Python recorder (`Recording.prefersNative`).
enum RecorderKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Python dispatch: value previews of every tensor and variable names, 7–9× a launch-bound step.
    case python
    /// The C++ core: about 1.5× a launch-bound step, variable names alike, previews of CPU
    /// tensors only; it refuses, naming it, a custom autograd Function's node made before the recording
    /// started.
    case native
}
