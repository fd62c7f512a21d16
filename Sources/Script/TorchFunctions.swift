import Autograd

/// The functions of `torch` that are neither factories nor tensor methods (`torch.where`,
/// `torch.manual_seed`, `torch.set_grad_enabled`...), and those of `torch.nn.functional` that
/// are not a tensor method's functional form (`F.relu(x, inplace=True)`, `F.linear`, the losses).
extension TorchBindings {
    /// `torch.NAME`, each a named handler below (`torch.manual_seed` is `torchManualSeed`).
    static let torchFunctionHandlers: [String: FunctionHandler] = [
        "set_grad_enabled": TorchBindings.torchSetGradEnabled,
        "is_grad_enabled": TorchBindings.torchIsGradEnabled,
        "manual_seed": TorchBindings.torchManualSeed,
        "where": TorchBindings.torchWhere,
        "is_tensor": TorchBindings.torchIsTensor,
        "numel": TorchBindings.torchNumel,
        "device": TorchBindings.torchDevice,
    ]

    /// `F.NAME`, each a named handler below (`F.cross_entropy` is `functionalCrossEntropy`).
    static let functionalHandlers: [String: FunctionHandler] = [
        "relu": TorchBindings.functionalRelu,
        "linear": TorchBindings.functionalLinear,
        "cross_entropy": TorchBindings.functionalCrossEntropy,
        "nll_loss": TorchBindings.functionalNllLoss,
        "mse_loss": TorchBindings.functionalMseLoss,
    ]

    private func torchSetGradEnabled(_ a: inout Arguments) throws(PyException) -> Value {
        .object(GradModeContext(kind: .setGradEnabled, enabled: try bool(try a.required(0, "mode")), torch: self))
    }

    private func torchIsGradEnabled(_ a: inout Arguments) throws(PyException) -> Value {
        .bool(runtime.isGradEnabled)
    }

    private func torchManualSeed(_ a: inout Arguments) throws(PyException) -> Value {
        let seed = try int(try a.required(0, "seed"), "manual_seed", "seed")
        try a.finish(maxPositional: 1)
        runtime.manualSeed(UInt64(bitPattern: Int64(seed)))
        return .object(GeneratorObject())
    }

    private func torchWhere(_ a: inout Arguments) throws(PyException) -> Value {
        let condition = try requireTensor(try a.required(0, "condition"), "where", "condition")
        guard let x = a.take(1, "input"), let y = a.take(2, "other") else { throw unsupported("torch.where(condition) with one argument") }
        return .object(try run { try Tensor.where(condition, try self.operand(x, "where", "input"), try self.operand(y, "where")) })
    }

    private func torchIsTensor(_ a: inout Arguments) throws(PyException) -> Value {
        .bool(tensor(try a.required(0, "obj")) != nil)
    }

    private func torchNumel(_ a: inout Arguments) throws(PyException) -> Value {
        .int(try requireTensor(try a.required(0, "input"), "numel").numel)
    }

    /// `torch.device(...)`: the CPU, the only device there is here.
    private func torchDevice(_ a: inout Arguments) throws(PyException) -> Value {
        let value = try a.required(0, "type")
        try checkDevice(value)
        return .object(DeviceObject(type: "cpu"))
    }

    private func functionalRelu(_ a: inout Arguments) throws(PyException) -> Value {
        let t = try requireTensor(try a.required(0, "input"), "relu")
        let inplace = try bool(a.take(1, "inplace"))
        return .object(try run { inplace ? try t.relu_() : try t.relu() })
    }

    private func functionalLinear(_ a: inout Arguments) throws(PyException) -> Value {
        try linear(try a.required(0, "input"), try a.required(1, "weight"), a.take(2, "bias") ?? .none)
    }

    private func functionalCrossEntropy(_ a: inout Arguments) throws(PyException) -> Value {
        let input = try a.required(0, "input"), target = try a.required(1, "target")
        try checkClassWeights(a.take(2, "weight"), ignoreIndex: a.take(4, "ignore_index"), smoothing: a.take(7, "label_smoothing"))
        _ = a.take(3, "size_average"); _ = a.take(5, "reduce")
        return try classificationLoss(input, target, reduction: a.take(6, "reduction") ?? .str("mean"), logSoftmax: true)
    }

    private func functionalNllLoss(_ a: inout Arguments) throws(PyException) -> Value {
        let input = try a.required(0, "input"), target = try a.required(1, "target")
        try checkClassWeights(a.take(2, "weight"), ignoreIndex: a.take(4, "ignore_index"), smoothing: nil)
        _ = a.take(3, "size_average"); _ = a.take(5, "reduce")
        return try classificationLoss(input, target, reduction: a.take(6, "reduction") ?? .str("mean"), logSoftmax: false)
    }

    private func functionalMseLoss(_ a: inout Arguments) throws(PyException) -> Value {
        let input = try a.required(0, "input"), target = try a.required(1, "target")
        _ = a.take(2, "size_average"); _ = a.take(3, "reduce")
        return try mseLoss(input, target, reduction: a.take(4, "reduction") ?? .str("mean"))
    }
}
