import Tape
import TorchRules
/// A tensor a node saved for backward, with the version it had then (`SavedVariable`).
///
/// Saved inputs and leaves keep the tensor object itself, so error messages show its current
/// shape and grad_fn. A node's own outputs are kept as a data alias (same storage and counter,
/// no grad_fn) to avoid a reference cycle; errors then show the save-time shape and name the
/// saving node. Unpacking checks the version and fails once the graph was freed.
final class SavedVariable {
    /// The slot's name in `Functions.h` (`self`, `other`, `result`, `mat2`).
    let slot: String
    private var original: Tensor?
    private var alias: Tensor?
    /// The output itself, only to name it on the tape.
    private weak var output: Tensor?
    private let isDefined: Bool
    private var isReleased = false
    let savedVersion: Int
    let isOutput: Bool
    let outputNr: Int
    private let isLeaf: Bool
    let shapeAtSave: [Int]
    /// For an output saved by an in-place op on a view: the view's grad_fn at save time, held weakly.
    private let isInPlaceOnView: Bool
    private weak var viewGradFn: Node?

    /// A declared slot that was not saved (conditional saving); unpacks to nil.
    init(unsavedSlot slot: String) {
        self.slot = slot
        isDefined = false
        savedVersion = 0
        isOutput = false
        outputNr = 0
        isLeaf = true
        shapeAtSave = []
        isInPlaceOnView = false
    }

    /// Saves `tensor`; `isOutput` when it is a differentiable output of the saving node.
    init(slot: String, tensor: Tensor, isOutput: Bool, isInPlaceOnView: Bool = false) {
        self.slot = slot
        isDefined = true
        savedVersion = tensor.version
        self.isOutput = isOutput
        isLeaf = !isOutput && tensor.isLeaf
        shapeAtSave = tensor.shape
        self.isInPlaceOnView = isInPlaceOnView
        if isOutput {
            outputNr = tensor.outputNr
            alias = tensor.makeAlias(sharingCounter: true)
            output = tensor
            if isInPlaceOnView { viewGradFn = tensor.gradFn }
        } else {
            outputNr = 0
            original = tensor
        }
    }

    /// The tensor to name in the tape's `.save` event.
    var recordedTensor: Tensor? { original ?? output }

    /// Unpacks for `node`'s backward (or a `_saved_*` read), checking the version.
    func unpack(for node: Node) throws -> Tensor? {
        guard isDefined else { return nil }
        if isReleased { throw AutogradError.runtimeError(AutogradMessage.backwardTwice) }
        guard let tensor = original ?? alias else { return nil }
        let current = tensor.version
        if current != savedVersion {
            var gradFn: Node? = isInPlaceOnView ? viewGradFn : original?.gradFn
            if !isLeaf && gradFn == nil { gradFn = node }
            throw AutogradError.runtimeError(AutogradMessage.versionMismatch(
                dtype: tensor.dtype.rawValue, sizes: tensor.shape, gradFn: gradFn.map { ($0.name, outputNr) },
                current: current, saved: savedVersion, anomalyDetection: tensor.runtime.isAnomalyDetectionEnabled))
        }
        return tensor
    }

    /// Drops the saved data; a later unpack raises "Trying to backward through the graph a second time".
    func release() {
        guard isDefined else { return }
        original = nil
        alias = nil
        isReleased = true
    }
}
