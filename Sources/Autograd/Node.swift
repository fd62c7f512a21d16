import Tape
import TorchRules
/// A grad_fn: one node of the backward graph (`torch.autograd.graph.Node`).
///
/// A node is created by a forward op whose result requires grad. It holds the edges to the
/// nodes its gradients flow to (`next_functions`), the tensors it saved for backward, and the
/// formula that turns the gradients of its forward outputs into gradients of its inputs.
public final class Node {
    /// `grad_fn.name()`: `MulBackward0`, `torch::autograd::CopySlices`, `torch::autograd::AccumulateGrad`.
    public let name: String
    /// `grad_fn._sequence_nr()`; `UInt64.max` for AccumulateGrad.
    public let sequenceNr: UInt64
    /// `next_functions`: one entry per differentiable forward input, nil where none is needed.
    public internal(set) var nextEdges: [GradientEdge?]
    /// For `AccumulateGrad`, the leaf it accumulates into (`.variable`).
    public let variable: Tensor?
    /// For `CopySlices`, the in-place op's node it wraps (it runs inside CopySlices' apply).
    let wrapped: Node?
    /// For `CopySlices`, where the modified view sits in its base's storage.
    let viewGeometry: Geometry?
    /// Saved variables in `Functions.h` declaration order.
    var savedVariables: [SavedVariable] = []
    /// Shape and dtype of each forward output, which the gradients flowing in must match.
    var inputMetadata: [TensorMetadata]
    let formula: BackwardFormula?
    /// Non-leaf tensors whose `retain_grad()` hook lives on this node, with their output number.
    private var retainers: [(tensor: WeakTensor, outputNr: Int)] = []
    /// The op that created the node, once recorded.
    var opIndex: Int?
    var tapeID: Int?

    init(name: String, sequenceNr: UInt64, nextEdges: [GradientEdge?], inputMetadata: [TensorMetadata],
         formula: BackwardFormula?, variable: Tensor? = nil, wrapped: Node? = nil, viewGeometry: Geometry? = nil) {
        self.name = name
        self.sequenceNr = sequenceNr
        self.nextEdges = nextEdges
        self.inputMetadata = inputMetadata
        self.formula = formula
        self.variable = variable
        self.wrapped = wrapped
        self.viewGeometry = viewGeometry
    }

    /// `next_functions` as PyTorch shows it: `(node or None, input_nr)` per forward input.
    public var nextFunctions: [(node: Node?, inputNr: Int)] {
        nextEdges.map { ($0?.node, $0?.inputNr ?? 0) }
    }

    /// Whether this is a leaf's `AccumulateGrad`.
    public var isAccumulateGrad: Bool { variable != nil }

    /// The names of the tensor slots this node saved, in declaration (unpack) order.
    public var savedSlotNames: [String] { savedVariables.map(\.slot) }

    /// `grad_fn._saved_<slot>`: unpacks with the version check; nil when the slot was not saved.
    public func savedTensor(_ slot: String) throws -> Tensor? {
        guard let saved = savedVariables.first(where: { $0.slot == slot }) else {
            throw AutogradError.runtimeError("'\(name)' object has no attribute '_saved_\(slot)'")
        }
        return try saved.unpack(for: self)
    }

    /// `Node::forward_op_name()`: the name without its `Backward<N>` suffix, keeping N unless it is 0.
    public var forwardOpName: String { AutogradMessage.forwardOpName(name) }

    /// Whether the gradient for forward input `i` is needed (`should_compute_output`).
    func needsInput(_ i: Int) -> Bool { i < nextEdges.count && nextEdges[i] != nil }

    /// Registers `tensor` (output `outputNr`) to receive its gradient in `.grad` when this node runs.
    func addRetainer(_ tensor: Tensor, outputNr: Int) {
        if !retainers.contains(where: { $0.tensor.value === tensor }) {
            retainers.append((WeakTensor(value: tensor), outputNr))
        }
    }

    /// Stops `tensor`'s `retain_grad()` hook here (its grad_fn moved on).
    func removeRetainer(_ tensor: Tensor) {
        retainers.removeAll { $0.tensor.value === tensor }
    }

    /// The live tensors that retain their gradient through this node.
    func retainedGradTensors() -> [(Tensor, Int)] {
        retainers.compactMap { entry in entry.tensor.value.map { ($0, entry.outputNr) } }
    }

    /// Frees the saved tensors after a backward pass without `retain_graph`.
    func releaseVariables() {
        for saved in savedVariables { saved.release() }
        wrapped?.releaseVariables()
    }

    /// Whether this node or the node it wraps holds saved variables.
    var hasSavedVariables: Bool { !savedVariables.isEmpty || (wrapped?.hasSavedVariables ?? false) }
}

extension Node: CustomStringConvertible {
    /// The Python type name (`MulBackward0`, `CopySlices`): `name()` without its C++ namespace.
    public var typeName: String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    /// `<MulBackward0 object>`: PyTorch's repr without the memory address.
    public var description: String { "<\(typeName) object>" }
}

/// A gradient edge: the node a gradient flows to and which of its inputs it feeds.
public struct GradientEdge {
    public let node: Node
    public let inputNr: Int
}

/// Shape and dtype of a tensor flowing through the graph (`InputMetadata`).
struct TensorMetadata {
    let shape: [Int]
    let dtype: DType
}

/// Where a view lives inside its base's storage (`TensorGeometry`).
struct Geometry {
    let shape: [Int]
    let strides: [Int]
    let offset: Int

    /// Row-major indices into `base` of this view's elements (the view and base share storage).
    func positions(within base: Geometry) -> [Int] {
        if base.offset == 0 && base.strides == Tensor.contiguousStrides(base.shape) { return elementOffsets }
        var index = [Int: Int]()
        for (i, p) in base.elementOffsets.enumerated() where index[p] == nil { index[p] = i }
        return elementOffsets.map { index[$0] ?? 0 }
    }

    /// Storage indices of the elements in row-major order.
    var elementOffsets: [Int] {
        let count = shape.reduce(1, *)
        if count == 0 { return [] }
        var result = [Int]()
        result.reserveCapacity(count)
        var index = [Int](repeating: 0, count: shape.count)
        var position = offset
        for _ in 0..<count {
            result.append(position)
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                position += strides[d]
                if index[d] < shape[d] { break }
                position -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
        return result
    }
}

/// The inputs of a backward formula: the gradients flowing in, the unpacked saved tensors in
/// declaration order, and which input gradients are wanted.
struct BackwardInputs {
    let grads: [Tensor?]
    let saved: [Tensor?]
    let node: Node

    var grad: Tensor { grads[0]! }
    func needs(_ i: Int) -> Bool { node.needsInput(i) }
}

/// A derivative formula: gradients for each forward input (nil where not needed).
typealias BackwardFormula = (BackwardInputs) throws -> [Tensor?]

/// A weak reference to a tensor, for hooks that must not keep it alive.
struct WeakTensor {
    weak var value: Tensor?
}
