/// A torch feature the engine or the bindings do not provide, reported as `NotImplementedError`.
struct TorchUnsupported: Error {
    var what: String
}
