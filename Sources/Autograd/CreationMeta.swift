/// How a view was created (`CreationMeta` in PyTorch), which forbids some in-place ops on it.
enum CreationMeta: Equatable {
    /// Made with grad mode on by a single-output view op.
    case normal
    /// Made under `torch.no_grad()`, or a view of such a view.
    case noGradMode
    /// One of several views returned by one op (`unbind`), or a view of one.
    case multipleOutputs

    private static let noGradTail = " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."
    private static let multipleOutputsTail = " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one."

    /// The error for an in-place op on `view` with grad mode on (`handle_view_on_rebase`), or,
    /// when `indirect`, for reading the grad_fn of a view whose base or sibling was modified.
    /// Nil when the view may be modified.
    func error(for view: Tensor, indirect: Bool = false) -> String? {
        let fn = view.gradFnStorage
        let modified = indirect ? "its base or another view of its base has been" : "is being"
        switch self {
        case .normal:
            return nil
        case .noGradMode:
            let prefix = fn.map { "Output \(view.outputNr) of \($0.forwardOpName) is a view of a view which was created in" }
                ?? "A view was created in"
            return prefix + " no_grad mode and \(modified) modified inplace with grad mode enabled." + CreationMeta.noGradTail
        case .multipleOutputs:
            guard let fn else {
                return "A view was created in no_grad mode and \(modified) modified inplace with grad mode enabled." + CreationMeta.multipleOutputsTail
            }
            return "Output \(view.outputNr) of \(fn.forwardOpName) is a view and \(modified) modified inplace." + CreationMeta.multipleOutputsTail
        }
    }
}
