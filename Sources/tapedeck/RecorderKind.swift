import ArgumentParser

/// Which recorder records a program run by real PyTorch: `python3 -m tapedeck_torch` as it is, or
/// with `--native`, its C++ core (recorder/README.md). Without `--recorder`, every command prefers
/// the native core and falls back to the Python recorder where the core cannot be built (`Recording`).
enum RecorderKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Python dispatch: value previews of every tensor and variable names, 7–9× a launch-bound step.
    case python
    /// The C++ core: about 1.5× a launch-bound step, variable names and value previews alike (a
    /// GPU tensor's copied asynchronously); it refuses, naming it, a custom autograd Function's node
    /// made before the recording started.
    case native
}
