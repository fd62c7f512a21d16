import ArgumentParser

/// Which engine runs a program: tapedeck's own (the Python subset, no Python needed) or real
/// PyTorch through the bundled recorder.
enum Engine: String, ExpressibleByArgument, CaseIterable, Sendable {
    case tapedeck
    case torch
}
