/// A class: defined by the program, or built in (`int`, `RuntimeError`, `nn.Module`).
final class PyClass {
    let name: String
    let bases: [PyClass]
    var attributes: [String: Value]
    /// How calling the class makes an instance, for built-in classes; nil for `class` statements.
    var construct: Builtin?
    /// The dotted module path PyTorch prints in a class repr (`torch.nn.modules.linear`), or `__main__`.
    let module: String

    init(name: String, bases: [PyClass], attributes: [String: Value] = [:], module: String = "builtins", construct: Builtin? = nil) {
        self.name = name
        self.bases = bases
        self.attributes = attributes
        self.module = module
        self.construct = construct
    }

    /// Method resolution order, depth-first (enough for single inheritance and simple mixins).
    var mro: [PyClass] {
        var result = [self]
        for base in bases {
            for cls in base.mro where !result.contains(where: { $0 === cls }) { result.append(cls) }
        }
        return result
    }

    func lookup(_ name: String) -> Value? {
        for cls in mro {
            if let value = cls.attributes[name] { return value }
        }
        return nil
    }

    func isSubclass(of other: PyClass) -> Bool {
        mro.contains { $0 === other }
    }
}
