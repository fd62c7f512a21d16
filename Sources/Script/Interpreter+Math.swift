import Foundation

/// The `math` module: the constants and float functions numeric scripts reach for.
extension Interpreter {
    func installMathModule() {
        let math = PyModuleObject(name: "math", knownNames: [])
        math.members["pi"] = .float(Double.pi)
        math.members["e"] = .float(M_E)
        math.members["tau"] = .float(2 * Double.pi)
        math.members["inf"] = .float(.infinity)
        math.members["nan"] = .float(.nan)
        let unary: [(String, (Double) -> Double, (Double) -> Bool)] = [
            ("sqrt", { $0.squareRoot() }, { $0 >= 0 }), ("exp", { Foundation.exp($0) }, { _ in true }),
            ("log", { Foundation.log($0) }, { $0 > 0 }), ("log2", { Foundation.log2($0) }, { $0 > 0 }),
            ("log10", { Foundation.log10($0) }, { $0 > 0 }), ("sin", { Foundation.sin($0) }, { $0.isFinite }),
            ("cos", { Foundation.cos($0) }, { $0.isFinite }), ("tan", { Foundation.tan($0) }, { $0.isFinite }),
            ("tanh", { Foundation.tanh($0) }, { _ in true }), ("atan", { Foundation.atan($0) }, { _ in true }),
            ("fabs", { Swift.abs($0) }, { _ in true }),
        ]
        for (name, function, domain) in unary {
            math.members[name] = .builtin(Builtin("math.\(name)") { (a: inout Arguments) throws(PyException) in
                let x = try self.mathArgument(try a.required(0, "x"))
                if name == "log", let base = a.take(1, "base") {
                    let b = try self.mathArgument(base)
                    guard x > 0, b > 0, b != 1 else { throw self.error(.valueError, "math domain error") }
                    return .float(Foundation.log(x) / Foundation.log(b))
                }
                guard domain(x) else { throw self.error(.valueError, "math domain error") }
                let result = function(x)
                if result.isInfinite && x.isFinite { throw self.error(.overflowError, "math range error") }
                return .float(result)
            })
        }
        for name in ["floor", "ceil", "trunc"] {
            math.members[name] = .builtin(Builtin("math.\(name)") { (a: inout Arguments) throws(PyException) in
                let value = try a.required(0, "x")
                if let i = self.index(value) { return .int(i) }
                let x = try self.mathArgument(value)
                let rounded = name == "floor" ? x.rounded(.down) : name == "ceil" ? x.rounded(.up) : x.rounded(.towardZero)
                guard let i = Int(exactly: rounded) else {
                    throw self.error(x.isNaN ? .valueError : .overflowError, x.isNaN ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer")
                }
                return .int(i)
            })
        }
        math.members["pow"] = .builtin(Builtin("math.pow") { (a: inout Arguments) throws(PyException) in
            let x = try self.mathArgument(try a.required(0, "x")), y = try self.mathArgument(try a.required(1, "y"))
            if x == 0 && y < 0 { throw self.error(.valueError, "math domain error") }
            return .float(Foundation.pow(x, y))
        })
        for name in ["isnan", "isinf", "isfinite"] {
            math.members[name] = .builtin(Builtin("math.\(name)") { (a: inout Arguments) throws(PyException) in
                let x = try self.mathArgument(try a.required(0, "x"))
                return .bool(name == "isnan" ? x.isNaN : name == "isinf" ? x.isInfinite : x.isFinite)
            })
        }
        math.members["isclose"] = .builtin(Builtin("math.isclose") { (a: inout Arguments) throws(PyException) in
            let x = try self.mathArgument(try a.required(0, "a")), y = try self.mathArgument(try a.required(1, "b"))
            let relative = try a.keyword("rel_tol").map { (v) throws(PyException) in try self.mathArgument(v) } ?? 1e-9
            let absolute = try a.keyword("abs_tol").map { (v) throws(PyException) in try self.mathArgument(v) } ?? 0
            if x == y { return .bool(true) }
            if x.isInfinite || y.isInfinite { return .bool(false) }
            let difference = Swift.abs(x - y)
            return .bool(difference <= Swift.abs(relative * y) || difference <= Swift.abs(relative * x) || difference <= absolute)
        })
        modules["math"] = .object(math)
    }

    private func mathArgument(_ value: Value) throws(PyException) -> Double {
        if let x = numericValue(value) { return x }
        if case .object(let o) = value, case .float(let x)? = try torch.scalarValue(o, as: "float") { return x }
        throw error(.typeError, "must be real number, not \(typeName(value))")
    }
}
