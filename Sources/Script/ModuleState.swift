/// What `nn.Module.__init__` sets up on an instance: registered parameters and child modules in
/// registration order (the order `parameters()` walks), and the training flag.
final class ModuleState {
    /// `_parameters`: a Parameter, or None for a registered-but-absent one (`bias=False`).
    var parameters: [(name: String, value: Value)] = []
    /// `_modules`: child modules.
    var modules: [(name: String, value: Value)] = []
    var training = true

    func lookup(_ name: String) -> Value? {
        if let entry = parameters.first(where: { $0.name == name }) { return entry.value }
        if let entry = modules.first(where: { $0.name == name }) { return entry.value }
        if name == "training" { return .bool(training) }
        return nil
    }

    func setParameter(_ name: String, _ value: Value) {
        modules.removeAll { $0.name == name }
        if let i = parameters.firstIndex(where: { $0.name == name }) {
            parameters[i].value = value
        } else {
            parameters.append((name, value))
        }
    }

    func setModule(_ name: String, _ value: Value) {
        parameters.removeAll { $0.name == name }
        if let i = modules.firstIndex(where: { $0.name == name }) {
            modules[i].value = value
        } else {
            modules.append((name, value))
        }
    }
}
