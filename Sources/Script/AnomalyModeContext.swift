import Autograd

/// `torch.autograd.set_detect_anomaly(mode, check_nan=True)`: turns anomaly detection on or off as
/// soon as it is called (so it also works as a plain call), and as a context manager restores the
/// previous mode when the block ends, as PyTorch's class does.
final class AnomalyModeContext: PyObject {
    private let previous: Bool
    private let runtime: Runtime

    init(mode: Bool, runtime: Runtime) {
        self.runtime = runtime
        previous = runtime.isAnomalyDetectionEnabled
        runtime.isAnomalyDetectionEnabled = mode
    }

    var typeName: String { "set_detect_anomaly" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "<torch.autograd.anomaly_mode.set_detect_anomaly object at \(interpreter.address(of: self))>"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "__enter__":
            return interpreter.method("set_detect_anomaly.__enter__") { _ in .none }
        case "__exit__":
            return interpreter.method("set_detect_anomaly.__exit__") { _ in
                self.runtime.isAnomalyDetectionEnabled = self.previous
                return .none
            }
        default: return nil
        }
    }
}
