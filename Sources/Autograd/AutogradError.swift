/// An exception raised by a tensor operation, carrying PyTorch's exact message.
public enum AutogradError: Error, Equatable, CustomStringConvertible {
    case runtimeError(String)
    case typeError(String)
    case indexError(String)
    case valueError(String)

    /// The Python exception class name (`RuntimeError`, `TypeError`, ...).
    public var pythonType: String {
        switch self {
        case .runtimeError: "RuntimeError"
        case .typeError: "TypeError"
        case .indexError: "IndexError"
        case .valueError: "ValueError"
        }
    }

    /// The message exactly as `str(e)` renders it in Python.
    public var message: String {
        switch self {
        case .runtimeError(let m), .typeError(let m), .indexError(let m), .valueError(let m): m
        }
    }

    public var description: String { "\(pythonType): \(message)" }
}

/// The exact texts of PyTorch's autograd errors, kept in one place.
enum Messages {
    static let onlyFloatRequiresGrad = "only Tensors of floating point dtype can require gradients"
    static let onlyFloatComplexRequiresGrad = "Only Tensors of floating point and complex dtype can require gradients"
    static let requiresGradNonLeaf = "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
    static let detachView = "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."

    static func sizes(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    static func torchSize(_ shape: [Int]) -> String {
        "torch.Size(" + sizes(shape) + ")"
    }
}
