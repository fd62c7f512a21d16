import Autograd
import Tape

/// The torch side of the interpreter: the `torch` namespaces, conversions between Python values and
/// engine types, and the glue (`nn.Module` registration, tape bindings) the interpreter calls into.
final class TorchBindings {
    unowned let interpreter: Interpreter
    let runtime: Runtime
    /// `nn.Module`, the base of every module class.
    let moduleClass: PyClass
    /// `torch.Tensor` and `nn.Parameter`, for `isinstance`.
    let tensorClass: PyClass
    let parameterClass: PyClass
    /// The classes the bindings own, whose methods capture the bindings (cleared after a run).
    var builtinClasses: [PyClass] { [moduleClass, tensorClass, parameterClass] }
    /// The id of the backward call running now (set while `Tensor.backward` runs), for error records.
    var backwardInFlight: Int?
    /// Tape ids of the parameters named through a module (`model[0].weight`), which aliases leave alone.
    private var moduleParameterNames: Set<Int> = []
    /// One object per dtype, so `x.dtype is torch.float32` holds.
    private(set) var dtypes: [DType: DTypeObject] = [:]

    init(interpreter: Interpreter) {
        self.interpreter = interpreter
        runtime = Runtime(recorder: interpreter.recorder)
        let object = interpreter.types["object"]!
        moduleClass = PyClass(name: "Module", bases: [object], module: "torch.nn.modules.module")
        tensorClass = PyClass(name: "Tensor", bases: [object], module: "torch")
        parameterClass = PyClass(name: "Parameter", bases: [tensorClass], module: "torch.nn.parameter")
        for dtype in DType.allCases { dtypes[dtype] = DTypeObject(dtype) }
        installModules()
    }

    // MARK: Errors

    /// Runs an engine call, turning its errors into Python exceptions raised at the current site.
    func run<T>(_ body: () throws -> T) throws(PyException) -> T {
        do {
            return try body()
        } catch let error as AutogradError {
            let kind = ExceptionKind(rawValue: error.pythonType) ?? .runtimeError
            throw interpreter.error(kind, error.message, backward: backwardInFlight)
        } catch let error as PyException {
            throw error
        } catch let error as TorchUnsupported {
            throw unsupported(error.what)
        } catch is TensorTooLarge {
            throw unsupported(TorchBindings.tooLarge)
        } catch {
            throw interpreter.error(.runtimeError, "\(error)")
        }
    }

    func typeError(_ message: String) -> PyException {
        interpreter.error(.typeError, message)
    }

    func unsupported(_ what: String) -> PyException {
        interpreter.error(.notImplementedError, "tapedeck does not support \(what)")
    }

    // MARK: Conversions

    /// What a tensor over `TensorTooLarge.limit` elements is refused as.
    static let tooLarge = "tensors of more than \(TensorTooLarge.limit) elements"

    func tensor(_ value: Value) -> Tensor? {
        if case .object(let o) = value, let t = o as? Tensor { return t }
        return nil
    }

    func scalar(_ value: Value) -> Scalar? {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .float(let f): return .float(f)
        default: return nil
        }
    }

    func operand(_ value: Value, _ function: String, _ parameter: String = "other") throws(PyException) -> Operand {
        if let t = tensor(value) { return .tensor(t) }
        if let s = scalar(value) { return .scalar(s) }
        throw typeError("\(function)(): argument '\(parameter)' (position 1) must be Tensor, not \(interpreter.typeName(value))")
    }

    func requireTensor(_ value: Value, _ function: String, _ parameter: String = "input", position: Int = 1) throws(PyException) -> Tensor {
        if let t = tensor(value) { return t }
        throw typeError("\(function)(): argument '\(parameter)' (position \(position)) must be Tensor, not \(interpreter.typeName(value))")
    }

    func int(_ value: Value, _ function: String, _ parameter: String) throws(PyException) -> Int {
        if let i = interpreter.index(value) { return i }
        throw typeError("\(function)(): argument '\(parameter)' must be int, not \(interpreter.typeName(value))")
    }

    func bool(_ value: Value?) throws(PyException) -> Bool {
        guard let value else { return false }
        return try interpreter.truth(value)
    }

    /// Checks a `device=` argument (a string or `torch.device`): only the CPU exists here.
    func checkDevice(_ value: Value?) throws(PyException) {
        guard let value, !value.isNone else { return }
        let name: String
        switch value {
        case .str(let text): name = text
        case .object(let device as DeviceObject): name = device.type
        default: throw typeError("to() received an invalid combination of arguments - got (\(interpreter.typeName(value)))")
        }
        guard name == "cpu" || name.hasPrefix("cpu:") else {
            if name.hasPrefix("cuda") { throw interpreter.error(.assertionError, "Torch not compiled with CUDA enabled") }
            throw unsupported("the '\(name)' device")
        }
    }

    func dtype(_ value: Value?) throws(PyException) -> DType? {
        guard let value, !value.isNone else { return nil }
        if case .object(let o) = value, let d = o as? DTypeObject { return d.dtype }
        throw typeError("dtype must be torch.dtype, not \(interpreter.typeName(value))")
    }

    /// A shape from `f(2, 3)`, `f((2, 3))`, `f([2, 3])` or `f(x.shape)`.
    func shape(_ values: [Value], _ function: String) throws(PyException) -> [Int] {
        var items = values
        if values.count == 1 {
            switch values[0] {
            case .tuple(let t): items = t
            case .list(let l): items = l.items
            case .object(let o) where o is SizeObject: items = (o as! SizeObject).dims.map { .int($0) }
            default: break
            }
        }
        var shape: [Int] = []
        for item in items {
            guard let n = interpreter.index(item) else {
                throw typeError("\(function)(): argument 'size' must be tuple of ints, but found element of type \(interpreter.typeName(item)) at pos \(shape.count)")
            }
            shape.append(n)
        }
        var elements = 1
        for n in shape where n > 0 {
            elements = elements.multipliedReportingOverflow(by: n).partialValue
            if elements > TensorTooLarge.limit || elements <= 0 {
                throw unsupported(TorchBindings.tooLarge)
            }
        }
        return shape
    }

    /// A `dim` argument: one int or a tuple/list of ints.
    func dims(_ value: Value, _ function: String) throws(PyException) -> [Int] {
        switch value {
        case .tuple(let items): return try items.map { (v) throws(PyException) in try int(v, function, "dim") }
        case .list(let l): return try l.items.map { (v) throws(PyException) in try int(v, function, "dim") }
        default: return [try int(value, function, "dim")]
        }
    }

    /// Nested Python lists of numbers (or 0-d tensors) as the engine's `NestedValues`.
    func nested(_ value: Value) throws(PyException) -> NestedValues {
        if let s = scalar(value) { return .scalar(s) }
        switch value {
        case .list(let l): return .list(try l.items.map { (v) throws(PyException) in try nested(v) })
        case .tuple(let t): return .list(try t.map { (v) throws(PyException) in try nested(v) })
        case .object(let o):
            if let t = o as? Tensor {
                return t.tolist()
            }
            if let size = o as? SizeObject { return .list(size.dims.map { .scalar(.int(Int64($0))) }) }
        default: break
        }
        throw typeError("new(): invalid data type '\(interpreter.typeName(value))'")
    }

    /// An optimizer's `params`: an iterable of tensors (parameter groups are not supported).
    func optimizerParameters(_ value: Value) throws(PyException) -> [Tensor] {
        var parameters: [Tensor] = []
        for item in try interpreter.iterate(value) {
            if case .dict = item { throw unsupported("optimizer parameter groups") }
            guard let t = tensor(item) else {
                throw typeError("optimizer can only optimize Tensors, but one of the params is \(interpreter.typeName(item))")
            }
            parameters.append(t)
        }
        if parameters.isEmpty { throw interpreter.error(.valueError, "optimizer got an empty parameter list") }
        return parameters
    }

    func pythonValue(_ scalar: Scalar) -> Value {
        switch scalar {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int(i))
        case .float(let f): return .float(f)
        }
    }

    func pythonValue(_ nested: NestedValues) -> Value {
        switch nested {
        case .scalar(let s): return pythonValue(s)
        case .list(let items): return .list(PyList(items.map { pythonValue($0) }))
        }
    }

    func size(_ dims: [Int]) -> Value { .object(SizeObject(dims)) }

    // MARK: Hooks the interpreter calls

    /// Records that a program name (`x`, `self.weight`) now refers to `value`, so the debugger can call it
    /// that. A module's parameters get the names a PyTorch user would write (`disc.weight`, `model[0].bias`,
    /// `block.fc.weight`), in `named_parameters()` order. An `alias` (a loop variable, a function argument)
    /// names only parameters that have no such name yet, and a plain tensor name never replaces one, so
    /// `for layer in model` or `for p in model.parameters()` keep `model[0].weight`.
    func recordBinding(name: String, value: Value, line: Int, alias: Bool = false) {
        if case .instance(let instance) = value, instance.cls.isSubclass(of: moduleClass) {
            for entry in parameterPaths(instance) {
                guard let t = tensor(entry.value) else { continue }
                let id = runtime.tapeID(of: t)
                guard moduleParameterNames.insert(id).inserted || !alias else { continue }
                let path = entry.path.map { Int($0) != nil ? "[\($0)]" : ".\($0)" }.joined()
                interpreter.recorder.record(.binding(Binding(name: name + path, tensor: id, line: line)))
            }
            return
        }
        guard let t = tensor(value) else { return }
        let id = runtime.tapeID(of: t)
        guard !moduleParameterNames.contains(id) else { return }
        interpreter.recorder.record(.binding(Binding(name: name, tensor: id, line: line)))
    }

    /// The Python-level spelling of a call, for the tape (`Tensor.add_`, `torch.cat`, `nn.ReLU`).
    func callSpelling(_ callee: Value) -> String? {
        switch callee {
        case .builtin(let b): return b.name
        case .instance(let instance): return moduleSpelling(instance.cls)
        case .type(let cls): return moduleSpelling(cls)
        case .function(let f), .boundMethod(_, let f): return f.owner.map { "\($0.name).\(f.name)" } ?? f.name
        case .object(let o): return o.typeName
        default: return nil
        }
    }

    private func moduleSpelling(_ cls: PyClass) -> String {
        cls.module.hasPrefix("torch.nn") ? "nn.\(cls.name)" : cls.name
    }

    func sameObject(_ a: any PyObject, _ b: any PyObject) -> Bool {
        if let x = a as? NodeObject, let y = b as? NodeObject { return x.node === y.node }
        return a === b
    }

    func classOf(_ object: any PyObject) -> PyClass? {
        if let t = object as? Tensor { return t.isParameter ? parameterClass : tensorClass }
        return nil
    }

    /// `int(t)` / `float(t)` of a one-element tensor.
    func scalarValue(_ object: any PyObject, as type: String) throws(PyException) -> Value? {
        guard let t = object as? Tensor else { return nil }
        guard t.numel == 1 else {
            throw interpreter.error(.runtimeError, "a Tensor with \(t.numel) elements cannot be converted to Scalar")
        }
        let value = try run { try t.item() }.doubleValue
        if type == "int" {
            guard value.isFinite, let i = Int(exactly: value.rounded(.towardZero)) else {
                throw interpreter.error(.overflowError, "cannot convert float infinity to integer")
            }
            return .int(i)
        }
        return .float(value)
    }

    func round(_ object: any PyObject, digits: Int?) throws(PyException) -> Value? {
        guard object is Tensor else { return nil }
        throw unsupported("round() of a tensor")
    }

    func absolute(_ object: any PyObject) throws(PyException) -> Value? {
        guard let t = object as? Tensor else { return nil }
        return .object(try run { try t.abs() })
    }
}
