/// An instance of a program-defined class (including `nn.Module` subclasses).
final class PyInstance {
    let cls: PyClass
    var attributes: [String: Value] = [:]
    /// Set by `nn.Module.__init__`: the registered parameters and child modules.
    var module: ModuleState?

    init(cls: PyClass) {
        self.cls = cls
    }
}
