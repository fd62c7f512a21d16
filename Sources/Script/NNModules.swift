import Autograd
import Foundation

/// `torch.nn`: the `Module` base class with PyTorch's registration rules, the built-in layers, and
/// `torch.nn.functional`.
extension TorchBindings {
    func installNN(_ nn: PyModuleObject, _ functional: PyModuleObject) {
        installModuleMethods()
        nn.members["Module"] = .type(moduleClass)
        parameterClass.construct = Builtin("nn.Parameter") { (a: inout Arguments) throws(PyException) in
            let data = try a.take(0, "data").map { (v) throws(PyException) in try self.requireTensor(v, "Parameter", "data") }
            let grad = try self.bool(a.take(1, "requires_grad") ?? .bool(true))
            return .object(try self.run { try self.runtime.parameter(try data ?? self.runtime.zeros([0]), requiresGrad: grad) })
        }
        nn.members["Parameter"] = .type(parameterClass)
        nn.members["Linear"] = .type(builtinModule("Linear", file: "linear", parameters: ["in_features", "out_features", "bias", "device", "dtype"]) { (instance, a) throws(PyException) in
            let inFeatures = try self.int(try a.required(0, "in_features"), "Linear", "in_features")
            let outFeatures = try self.int(try a.required(1, "out_features"), "Linear", "out_features")
            let hasBias = try self.bool(a.take(2, "bias") ?? .bool(true))
            try self.checkDevice(a.take(3, "device"))
            if let dtype = try self.dtype(a.take(4, "dtype")), dtype != .float32 {
                throw self.unsupported("nn.Linear(dtype=\(dtype.pythonName)): its parameters are float32")
            }
            instance.attributes["in_features"] = .int(inFeatures)
            instance.attributes["out_features"] = .int(outFeatures)
            let layer = try self.run { try Linear(self.runtime, inFeatures: inFeatures, outFeatures: outFeatures, bias: hasBias) }
            instance.module!.setParameter("weight", .object(layer.weight))
            instance.module!.setParameter("bias", layer.bias.map { .object($0) } ?? .none)
        } forward: { (instance, a) throws(PyException) in
            let state = try self.moduleState(instance)
            return try self.linear(try a.required(0, "input"), state.lookup("weight") ?? .none, state.lookup("bias") ?? .none)
        } extraRepr: { instance in
            let bias = instance.module?.lookup("bias").map { !$0.isNone } ?? false
            return "in_features=\(instance.attributes["in_features"].map { (try? self.interpreter.repr($0)) ?? "" } ?? ""), out_features=\(instance.attributes["out_features"].map { (try? self.interpreter.repr($0)) ?? "" } ?? ""), bias=\(bias ? "True" : "False")"
        })
        for (name, function) in [("ReLU", "relu"), ("Sigmoid", "sigmoid"), ("Tanh", "tanh")] {
            let hasInplace = name == "ReLU"
            nn.members[name] = .type(builtinModule(name, file: "activation", parameters: hasInplace ? ["inplace"] : []) { (instance, a) throws(PyException) in
                if hasInplace { instance.attributes["inplace"] = .bool(try self.bool(a.take(0, "inplace"))) }
            } forward: { (instance, a) throws(PyException) in
                let t = try self.requireTensor(try a.required(0, "input"), function)
                let inplace = try self.bool(instance.attributes["inplace"])
                return .object(try self.run { () throws -> Tensor in
                    switch function {
                    case "relu": return inplace ? try t.relu_() : try t.relu()
                    case "sigmoid": return try t.sigmoid()
                    default: return try t.tanh()
                    }
                })
            } extraRepr: { instance in
                self.interpreter.identical(instance.attributes["inplace"] ?? .none, .bool(true)) ? "inplace=True" : ""
            })
        }
        nn.members["Identity"] = .type(builtinModule("Identity", file: "linear", parameters: []) { _, _ in
        } forward: { (_, a) throws(PyException) in try a.required(0, "input") } extraRepr: { _ in "" })
        nn.members["MSELoss"] = .type(builtinModule("MSELoss", file: "loss", parameters: ["size_average", "reduce", "reduction"]) { (instance, a) throws(PyException) in
            _ = a.take(0, "size_average"); _ = a.take(1, "reduce")
            instance.attributes["reduction"] = a.take(2, "reduction") ?? .str("mean")
        } forward: { (instance, a) throws(PyException) in
            try self.mseLoss(try a.required(0, "input"), try a.required(1, "target"), reduction: instance.attributes["reduction"] ?? .str("mean"))
        } extraRepr: { _ in "" })
        nn.members["CrossEntropyLoss"] = .type(builtinModule("CrossEntropyLoss", file: "loss", parameters: ["weight", "size_average", "ignore_index", "reduce", "reduction", "label_smoothing"]) { (instance, a) throws(PyException) in
            try self.checkClassWeights(a.take(0, "weight"), ignoreIndex: a.take(2, "ignore_index"), smoothing: a.take(5, "label_smoothing"))
            _ = a.take(1, "size_average"); _ = a.take(3, "reduce")
            instance.attributes["reduction"] = a.take(4, "reduction") ?? .str("mean")
        } forward: { (instance, a) throws(PyException) in
            try self.classificationLoss(try a.required(0, "input"), try a.required(1, "target"), reduction: instance.attributes["reduction"] ?? .str("mean"), logSoftmax: true)
        } extraRepr: { _ in "" })
        nn.members["Sequential"] = .type(containerClass("Sequential", chains: true))
        nn.members["ModuleList"] = .type(containerClass("ModuleList", chains: false))
        nn.members["functional"] = .object(functional)

        for (name, handler) in Self.functionalHandlers {
            functional.members[name] = builtin("F.\(name)", handler(self))
        }
        for name in ["sigmoid", "tanh", "relu_"] {
            functional.members[name] = functionalForm(name, spelling: "F.\(name)")
        }
        for name in ["softmax", "log_softmax"] {
            functional.members[name] = functionalForm(name, spelling: "F.\(name)")
        }
    }

    // MARK: Functional building blocks

    /// `F.linear(input, weight, bias)`.
    func linear(_ inputValue: Value, _ weightValue: Value, _ biasValue: Value) throws(PyException) -> Value {
        let input = try requireTensor(inputValue, "linear", "input")
        let weight = try requireTensor(weightValue, "linear", "weight", position: 2)
        let bias = tensor(biasValue)
        return .object(try run { try Functional.linear(input, weight: weight, bias: bias) })
    }

    func mseLoss(_ inputValue: Value, _ targetValue: Value, reduction: Value) throws(PyException) -> Value {
        let input = try requireTensor(inputValue, "mse_loss", "input")
        let target = try requireTensor(targetValue, "mse_loss", "target", position: 2)
        guard case .str(let text) = reduction, let mode = Functional.Reduction(rawValue: text) else {
            throw interpreter.error(.valueError, "\(try interpreter.str(reduction)) is not a valid value for reduction")
        }
        return .object(try run { try Functional.mseLoss(input, target, reduction: mode) })
    }

    /// `F.cross_entropy` / `F.nll_loss` for `[N, C]` scores and `[N]` class indices.
    func classificationLoss(_ inputValue: Value, _ targetValue: Value, reduction: Value, logSoftmax: Bool) throws(PyException) -> Value {
        let function = logSoftmax ? "cross_entropy_loss" : "nll_loss_nd"
        let input = try requireTensor(inputValue, function, "input")
        let target = try requireTensor(targetValue, function, "target", position: 2)
        guard case .str(let text) = reduction, let mode = Functional.Reduction(rawValue: text) else {
            throw interpreter.error(.valueError, "\(try interpreter.str(reduction)) is not a valid value for reduction")
        }
        guard input.dim == 2, target.dim == 1 else { throw unsupported("\(function) of a \(input.dim)-D input") }
        return .object(try run {
            logSoftmax ? try Functional.crossEntropy(input, target, reduction: mode) : try Functional.nllLoss(input, target, reduction: mode)
        })
    }

    /// Class weights, an `ignore_index` other than the default -100 and label smoothing are not supported.
    func checkClassWeights(_ weight: Value?, ignoreIndex: Value?, smoothing: Value?) throws(PyException) {
        if let weight, !weight.isNone { throw unsupported("class weights in a classification loss") }
        if let ignoreIndex, interpreter.index(ignoreIndex) != Functional.ignoreIndex { throw unsupported("ignore_index in a classification loss") }
        if let smoothing, let s = scalar(smoothing), s.doubleValue != 0 { throw unsupported("label_smoothing") }
    }

    // MARK: Classes

    /// A built-in layer class: its `__init__` registers state, `forward` computes, `extra_repr` prints.
    private func builtinModule(
        _ name: String, file: String, parameters: [String],
        initialize: @escaping (PyInstance, inout Arguments) throws(PyException) -> Void,
        forward: @escaping (PyInstance, inout Arguments) throws(PyException) -> Value,
        extraRepr: @escaping (PyInstance) -> String
    ) -> PyClass {
        let cls = PyClass(name: name, bases: [moduleClass], module: "torch.nn.modules.\(file)")
        cls.attributes["__init__"] = builtin("\(name).__init__") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, name)
            if instance.module == nil { instance.module = ModuleState() }
            try initialize(instance, &a)
            try a.finish(maxPositional: parameters.count)
            return .none
        }
        cls.attributes["forward"] = builtin("\(name).forward") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, name)
            return try forward(instance, &a)
        }
        cls.attributes["extra_repr"] = builtin("\(name).extra_repr") { (a: inout Arguments) throws(PyException) in
            .str(extraRepr(try self.moduleSelf(&a, name)))
        }
        return cls
    }

    /// `nn.Sequential` (chains its children in `forward`) and `nn.ModuleList` (a plain container).
    private func containerClass(_ name: String, chains: Bool) -> PyClass {
        let cls = PyClass(name: name, bases: [moduleClass], module: "torch.nn.modules.container")
        cls.attributes["__init__"] = builtin("\(name).__init__") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, name)
            if instance.module == nil { instance.module = ModuleState() }
            let items = chains ? a.positional : try a.take(0, "modules").map { (v) throws(PyException) in try self.interpreter.iterate(v) } ?? []
            for (i, item) in items.enumerated() {
                guard case .instance(let child) = item, child.cls.isSubclass(of: self.moduleClass) else {
                    throw self.typeError("\(self.interpreter.typeName(item)) is not a Module subclass")
                }
                instance.module!.setModule(String(i), item)
            }
            return .none
        }
        cls.attributes["append"] = builtin("\(name).append") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, name)
            let item = try a.required(0, "module")
            let state = try self.moduleState(instance)
            state.setModule(String(state.modules.count), item)
            return .instance(instance)
        }
        if chains {
            cls.attributes["forward"] = builtin("\(name).forward") { (a: inout Arguments) throws(PyException) in
                let instance = try self.moduleSelf(&a, name)
                var value = try a.required(0, "input")
                for child in try self.moduleState(instance).modules {
                    self.interpreter.enter(self.interpreter.currentSpan, call: self.callSpelling(child.value))
                    value = try self.interpreter.call(child.value, [value])
                }
                return value
            }
        }
        return cls
    }

    /// The registries `nn.Module.__init__` creates; PyTorch's AttributeError when it never ran.
    private func moduleState(_ instance: PyInstance) throws(PyException) -> ModuleState {
        guard let state = instance.module else {
            throw interpreter.error(.attributeError, "'\(instance.cls.name)' object has no attribute '_parameters'")
        }
        return state
    }

    private func moduleSelf(_ a: inout Arguments, _ name: String) throws(PyException) -> PyInstance {
        guard !a.positional.isEmpty, case .instance(let instance) = a.positional.removeFirst() else {
            throw typeError("descriptor '\(name)' requires a 'Module' object")
        }
        return instance
    }

    /// The methods every module inherits from `nn.Module`.
    private func installModuleMethods() {
        let cls = moduleClass
        cls.attributes["__init__"] = builtin("Module.__init__") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, "Module.__init__")
            if instance.module == nil { instance.module = ModuleState() }
            return .none
        }
        cls.attributes["parameters"] = builtin("Module.parameters") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, "parameters")
            return .list(PyList(self.namedParameters(instance).map(\.value)))
        }
        cls.attributes["named_parameters"] = builtin("Module.named_parameters") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, "named_parameters")
            return .list(PyList(self.namedParameters(instance).map { .tuple([.str($0.name), $0.value]) }))
        }
        cls.attributes["children"] = builtin("Module.children") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, "children")
            return .list(PyList(instance.module?.modules.map(\.value) ?? []))
        }
        cls.attributes["named_children"] = builtin("Module.named_children") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, "named_children")
            return .list(PyList(instance.module?.modules.map { .tuple([.str($0.name), $0.value]) } ?? []))
        }
        cls.attributes["zero_grad"] = builtin("Module.zero_grad") { (a: inout Arguments) throws(PyException) in
            let instance = try self.moduleSelf(&a, "zero_grad")
            let toNone = try self.bool(a.take(0, "set_to_none") ?? .bool(true))
            for entry in self.namedParameters(instance) {
                guard let p = self.tensor(entry.value) else { continue }
                try self.zeroGrad(p, setToNone: toNone)
            }
            return .none
        }
        for name in ["train", "eval"] {
            cls.attributes[name] = builtin("Module.\(name)") { (a: inout Arguments) throws(PyException) in
                let instance = try self.moduleSelf(&a, name)
                let mode = name == "train" ? try self.bool(a.take(0, "mode") ?? .bool(true)) : false
                self.setTraining(instance, mode)
                return .instance(instance)
            }
        }
        cls.attributes["extra_repr"] = builtin("Module.extra_repr") { _ in .str("") }
        for name in ["to", "cpu"] {
            cls.attributes[name] = builtin("Module.\(name)") { (a: inout Arguments) throws(PyException) in
                let instance = try self.moduleSelf(&a, name)
                for value in a.positional + a.keywords.map(\.value) {
                    if case .object(let d as DTypeObject) = value, d.dtype != .float32 { throw self.unsupported("Module.to(\(d.dtype.pythonName))") }
                    if case .object(let d) = value, d is DTypeObject { continue }
                    try self.checkDevice(value)
                }
                return .instance(instance)
            }
        }
    }

    func zeroGrad(_ p: Tensor, setToNone: Bool) throws(PyException) {
        guard let grad = p.grad else { return }
        if setToNone {
            try run { try p.setGrad(nil) }
        } else {
            try run { () throws in
                if grad.gradFn != nil { _ = try grad.detach_() }
                _ = try grad.zero_()
            }
        }
    }

    private func setTraining(_ instance: PyInstance, _ mode: Bool) {
        instance.module?.training = mode
        for child in instance.module?.modules ?? [] {
            if case .instance(let c) = child.value { setTraining(c, mode) }
        }
    }

    /// `named_parameters()`: own parameters in registration order, then each child's, skipping repeats.
    func namedParameters(_ instance: PyInstance) -> [(name: String, value: Value)] {
        parameterPaths(instance).map { ($0.path.joined(separator: "."), $0.value) }
    }

    /// The parameters `named_parameters()` lists, each with its path of attribute names (`["0", "weight"]`).
    func parameterPaths(_ instance: PyInstance) -> [(path: [String], value: Value)] {
        var seen: Set<ObjectIdentifier> = []
        var result: [(path: [String], value: Value)] = []
        func walk(_ instance: PyInstance, _ prefix: [String]) {
            guard let state = instance.module else { return }
            for entry in state.parameters {
                guard let t = tensor(entry.value), seen.insert(ObjectIdentifier(t)).inserted else { continue }
                result.append((prefix + [entry.name], entry.value))
            }
            for child in state.modules {
                if case .instance(let c) = child.value { walk(c, prefix + [child.name]) }
            }
        }
        walk(instance, [])
        return result
    }

    // MARK: Hooks from the interpreter

    /// `model(x)`: runs `forward`, as `nn.Module.__call__` does.
    func callModule(_ instance: PyInstance, _ positional: [Value], keywords: [(name: String, value: Value)]) throws(PyException) -> Value {
        guard instance.module != nil else {
            throw interpreter.error(.attributeError, "'\(instance.cls.name)' object has no attribute '_backward_hooks'")
        }
        guard let forward = instance.cls.lookup("forward") else {
            throw interpreter.error(.notImplementedError, "Module [\(instance.cls.name)] is missing the required \"forward\" function")
        }
        return try interpreter.call(interpreter.bind(forward, to: .instance(instance)), positional, keywords: keywords)
    }

    /// PyTorch's `Module.__setattr__`: Parameters and Modules are registered, the rest is a plain attribute.
    func setModuleAttribute(_ instance: PyInstance, _ name: String, _ value: Value) throws(PyException) -> Bool {
        guard instance.cls.isSubclass(of: moduleClass) else { return false }
        let isParameter = tensor(value)?.isParameter ?? false
        var isModule = false
        if case .instance(let child) = value, child.cls.isSubclass(of: moduleClass) { isModule = true }
        if isParameter {
            guard let state = instance.module else {
                throw interpreter.error(.attributeError, "cannot assign parameters before Module.__init__() call")
            }
            instance.attributes.removeValue(forKey: name)
            state.setParameter(name, value)
            return true
        }
        if let state = instance.module, state.parameters.contains(where: { $0.name == name }) {
            guard value.isNone else {
                let typeName = tensor(value).map { $0.dtype.legacyTypeString } ?? interpreter.typeName(value)
                throw typeError("cannot assign '\(typeName)' as parameter '\(name)' (torch.nn.Parameter or None expected)")
            }
            state.setParameter(name, value)
            return true
        }
        if isModule {
            guard let state = instance.module else {
                throw interpreter.error(.attributeError, "cannot assign module before Module.__init__() call")
            }
            instance.attributes.removeValue(forKey: name)
            state.setModule(name, value)
            return true
        }
        if let state = instance.module, state.modules.contains(where: { $0.name == name }) {
            guard value.isNone else {
                throw typeError("cannot assign '\(interpreter.typeName(value))' as child module '\(name)' (torch.nn.Module or None expected)")
            }
            state.setModule(name, value)
            return true
        }
        if name == "training", case .bool(let flag) = value, let state = instance.module {
            state.training = flag
            return true
        }
        return false
    }

    /// The children of an `nn.Sequential` / `nn.ModuleList`, for `len`, indexing and iteration.
    private func containerChildren(_ instance: PyInstance) -> [Value]? {
        guard instance.cls.mro.contains(where: { ($0.name == "Sequential" || $0.name == "ModuleList") && $0.module == "torch.nn.modules.container" }) else {
            return nil
        }
        return instance.module?.modules.map(\.value) ?? []
    }

    func moduleLength(_ instance: PyInstance) -> Int? {
        containerChildren(instance)?.count
    }

    func moduleItems(_ instance: PyInstance) -> [Value]? {
        containerChildren(instance)
    }

    func moduleItem(_ instance: PyInstance, _ index: Value) throws(PyException) -> Value? {
        guard let children = containerChildren(instance) else { return nil }
        if case .slice = index {
            let picked = try interpreter.getItem(.list(PyList(children)), index)
            let copy = PyInstance(cls: instance.cls)
            copy.module = ModuleState()
            for (i, child) in (try interpreter.iterate(picked)).enumerated() { copy.module!.setModule(String(i), child) }
            return .instance(copy)
        }
        guard let i = interpreter.index(index) else {
            throw typeError("\(instance.cls.name) indices must be integers or slices, not \(interpreter.typeName(index))")
        }
        let resolved = i < 0 ? i + children.count : i
        guard resolved >= 0 && resolved < children.count else {
            throw interpreter.error(.indexError, "index \(i) is out of range")
        }
        return children[resolved]
    }

    /// `repr(module)`: `Name(extra)` or the multi-line form listing children, as `nn.Module.__repr__`.
    func moduleRepr(_ instance: PyInstance) throws(PyException) -> String? {
        guard instance.cls.isSubclass(of: moduleClass) else { return nil }
        var extraLines: [String] = []
        if let method = instance.cls.lookup("extra_repr") {
            let extra = try interpreter.str(try interpreter.call(interpreter.bind(method, to: .instance(instance)), []))
            if !extra.isEmpty { extraLines = extra.components(separatedBy: "\n") }
        }
        var childLines: [String] = []
        for child in instance.module?.modules ?? [] {
            let text = try interpreter.repr(child.value).replacingOccurrences(of: "\n", with: "\n  ")
            childLines.append("(\(child.name)): \(text)")
        }
        let lines = extraLines + childLines
        var out = instance.cls.name + "("
        if !lines.isEmpty {
            if extraLines.count == 1 && childLines.isEmpty {
                out += extraLines[0]
            } else {
                out += "\n  " + lines.joined(separator: "\n  ") + "\n"
            }
        }
        return out + ")"
    }
}
