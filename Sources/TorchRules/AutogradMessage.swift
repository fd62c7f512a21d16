/// PyTorch 2.13's autograd error texts, word for word, and how to build the version-mismatch one.
///
/// The engine raises these texts and the debugger rebuilds them from the tape; both use this one
/// definition, so a replayed message is the recorded one byte for byte.
public enum AutogradMessage {
    /// The start of the error raised when a saved tensor's version moved.
    public static let versionMismatchPrefix =
        "one of the variables needed for gradient computation has been modified by an inplace operation: "

    /// The hint PyTorch appends when anomaly detection is off.
    public static let anomalyOffHint =
        "enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."

    /// The hint PyTorch appends when anomaly detection is on (`set_detect_anomaly(True)`).
    public static let anomalyOnHint =
        "the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"

    /// Raised when a node's saved variables were freed by an earlier backward without `retain_graph`.
    public static let backwardTwice =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."

    public static let leafInPlace = "a leaf Variable that requires grad is being used in an in-place operation."
    public static let viewOfLeafInPlace = "a view of a leaf Variable that requires grad is being used in an in-place operation."
    public static let nonScalarBackward = "grad can be implicitly created only for scalar outputs"

    /// The full version-mismatch message for a saved tensor, as `SavedVariable::unpack` builds it.
    ///
    /// - Parameters:
    ///   - dtype: PyTorch's dtype name (`float32`), rendered as the legacy type string.
    ///   - sizes: the current shape for saved inputs and leaves, the save-time shape for saved outputs.
    ///   - gradFn: the `grad_fn.name()` and output number named in the `, which is output N of OP,`
    ///     clause, nil when the clause is omitted (leaves, tensors with no grad_fn).
    ///   - anomalyDetection: whether anomaly detection was on, which changes the hint.
    public static func versionMismatch(
        dtype: String, sizes: [Int], gradFn: (name: String, outputNr: Int)?, current: Int, saved: Int,
        anomalyDetection: Bool = false
    ) -> String {
        var text = versionMismatchPrefix + "[\(legacyTypeString(dtype: dtype)) [\(sizes.map(String.init).joined(separator: ", "))]]"
        if let gradFn {
            text += ", which is output \(gradFn.outputNr) of \(forwardOpName(gradFn.name)),"
        }
        text += " is at version \(current); expected version \(saved) instead. Hint: "
        text += anomalyDetection ? anomalyOnHint : anomalyOffHint
        return text
    }

    /// The CPU legacy type string `Tensor.toString()` gives for a dtype (`torch.FloatTensor`).
    public static func legacyTypeString(dtype: String) -> String {
        switch dtype {
        case "float32", "float": return "torch.FloatTensor"
        case "float64", "double": return "torch.DoubleTensor"
        case "float16", "half": return "torch.HalfTensor"
        case "int64", "long": return "torch.LongTensor"
        case "int32", "int": return "torch.IntTensor"
        case "int16", "short": return "torch.ShortTensor"
        case "int8": return "torch.CharTensor"
        case "uint8": return "torch.ByteTensor"
        case "bfloat16": return "CPUBFloat16Type"
        case "bool": return "CPUBoolType"
        case "complex64", "cfloat": return "CPUComplexFloatType"
        case "complex128", "cdouble": return "CPUComplexDoubleType"
        default: return "torch.\(dtype)"
        }
    }

    /// `Node::forward_op_name()`: `AddBackward0` → `Add`, `PowBackward1` → `Pow1`; names without a
    /// trailing `Backward<digits>` (`torch::autograd::CopySlices`) are kept as they are.
    public static func forwardOpName(_ name: String) -> String {
        let characters = Array(name)
        let marker = Array("Backward")
        guard characters.count >= marker.count,
              let start = stride(from: characters.count - marker.count, through: 0, by: -1)
                .first(where: { Array(characters[$0..<$0 + marker.count]) == marker })
        else { return name }
        let suffix = String(characters[(start + marker.count)...])
        guard suffix.allSatisfy(\.isASCIIDigit) else { return name }
        let stem = String(characters[..<start])
        return suffix.isEmpty || suffix == "0" ? stem : stem + suffix
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
