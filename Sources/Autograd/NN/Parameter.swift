extension Runtime {
    /// `nn.Parameter(data)`: a leaf that requires grad, sharing `data`'s storage and counter.
    public func parameter(_ data: Tensor, requiresGrad: Bool = true) throws -> Tensor {
        if requiresGrad && !data.dtype.isFloatingPoint {
            throw AutogradError.runtimeError(Messages.onlyFloatComplexRequiresGrad)
        }
        let p = data.makeAlias(sharingCounter: true)
        p.requiresGradFlag = requiresGrad
        p.isParameter = true
        return p
    }
}
