/// The in-place updates optimizers make under no_grad (`lerp_`, `addcmul_`, `addcdiv_`), with
/// float32 arithmetic in the order PyTorch's CPU kernels use. Autograd does not track them here.
extension Tensor {
    /// `exp_avg.lerp_(grad, weight)`: `self + weight * (end - self)` for a small weight, else
    /// `end - (end - self) * (1 - weight)`, each as one fused multiply-add.
    @discardableResult
    func lerp_(_ end: Tensor, weight: Double) throws -> Tensor {
        let small = Swift.abs(weight) < 0.5
        return try optimizerUpdate("aten::lerp_.Scalar", [end]) { a, values in
            let w = Float(weight)
            let (start, stop) = (Float(a), Float(values[0]))
            return small ? Double(start.addingProduct(w, stop - start)) : Double(stop.addingProduct(w - 1, stop - start))
        }
    }

    /// `self.addcmul_(tensor1, tensor2, value=)`: `self + value * tensor1 * tensor2`.
    @discardableResult
    func addcmul_(_ tensor1: Tensor, _ tensor2: Tensor, value: Double) throws -> Tensor {
        try optimizerUpdate("aten::addcmul_", [tensor1, tensor2]) { a, values in
            Double(Float(a) + Float(value) * Float(values[0]) * Float(values[1]))
        }
    }

    /// `self.addcdiv_(tensor1, tensor2, value=)`: `self + value * tensor1 / tensor2`.
    @discardableResult
    func addcdiv_(_ tensor1: Tensor, _ tensor2: Tensor, value: Double) throws -> Tensor {
        try optimizerUpdate("aten::addcdiv_", [tensor1, tensor2]) { a, values in
            Double(Float(a) + Float(value) * Float(values[0]) / Float(values[1]))
        }
    }

    /// Runs an elementwise in-place update of a float32 tensor with same-shaped operands; refuses to
    /// run where autograd would have to record it.
    private func optimizerUpdate(_ aten: String, _ operands: [Tensor], _ element: @escaping (Double, [Double]) -> Double) throws -> Tensor {
        for t in operands where t.shape != shape {
            throw AutogradError.runtimeError(
                "output with shape \(Messages.sizes(shape)) doesn't match the broadcast shape \(Messages.sizes(t.shape))")
        }
        let columns = operands.map { $0.contiguousValues() }
        return try inPlace(aten, others: operands, resultType: dtype, makeNode: {
            throw AutogradError.runtimeError("\(aten) is only supported inside an optimizer step, under no_grad")
        }, compute: {
            contiguousValues().enumerated().map { i, a in dtype.cast(element(a, columns.map { $0[i] })) }
        })
    }
}
