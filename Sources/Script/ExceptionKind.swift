/// The built-in exception classes the interpreter itself raises.
enum ExceptionKind: String, CaseIterable {
    case baseException = "BaseException"
    case keyboardInterrupt = "KeyboardInterrupt"
    case systemExit = "SystemExit"
    case exception = "Exception"
    case arithmeticError = "ArithmeticError"
    case zeroDivisionError = "ZeroDivisionError"
    case overflowError = "OverflowError"
    case lookupError = "LookupError"
    case indexError = "IndexError"
    case keyError = "KeyError"
    case runtimeError = "RuntimeError"
    case notImplementedError = "NotImplementedError"
    case recursionError = "RecursionError"
    case typeError = "TypeError"
    case valueError = "ValueError"
    case nameError = "NameError"
    case unboundLocalError = "UnboundLocalError"
    case attributeError = "AttributeError"
    case assertionError = "AssertionError"
    case stopIteration = "StopIteration"
    case importError = "ImportError"
    case moduleNotFoundError = "ModuleNotFoundError"

    /// The base class, nil for `BaseException`.
    var base: ExceptionKind? {
        switch self {
        case .baseException: return nil
        case .keyboardInterrupt, .systemExit, .exception: return .baseException
        case .zeroDivisionError, .overflowError: return .arithmeticError
        case .indexError, .keyError: return .lookupError
        case .notImplementedError, .recursionError: return .runtimeError
        case .unboundLocalError: return .nameError
        case .moduleNotFoundError: return .importError
        default: return .exception
        }
    }
}
