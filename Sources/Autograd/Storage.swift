/// The memory a tensor and all its views read and write: one flat array of elements.
///
/// Elements of every dtype are held as `Double` (float32 values are kept rounded to `Float`,
/// integers and bools as whole numbers), which keeps the kernels dtype-agnostic.
final class Storage {
    var data: [Double]
    /// The storage's id on the tape, assigned the first time an event names it.
    var tapeID: Int?

    init(_ data: [Double]) {
        self.data = data
    }
}

/// A tensor's `_version`: shared by views, `detach()` and saved-tensor unpacks, bumped by every
/// successful in-place op (`VariableVersion` in PyTorch).
final class VersionCounter {
    var version = 0
    /// The counter's id on the tape, assigned the first time an event names it.
    var tapeID: Int?
}
