import Foundation

/// A program's output held back while tapedeck's engine runs it on trial: shown once that run is
/// kept, dropped when the program goes to real PyTorch instead, so the user sees it once.
final class HeldOutput: @unchecked Sendable {
    /// One write, to stdout or stderr, in the order the program made it.
    private enum Write {
        case out(String)
        case error(String)
    }

    private let lock = NSLock()
    private var writes: [Write] = []

    /// The sink for the program's stdout.
    var stdout: @Sendable (String) -> Void {
        { [self] text in append(.out(text)) }
    }

    /// The sink for the program's stderr.
    var stderr: @Sendable (String) -> Void {
        { [self] text in append(.error(text)) }
    }

    /// Writes what was held, in order, to the given streams.
    func release(stdout: (String) -> Void, stderr: (String) -> Void) {
        lock.lock()
        let held = writes
        writes = []
        lock.unlock()
        for write in held {
            switch write {
            case let .out(text): stdout(text)
            case let .error(text): stderr(text)
            }
        }
    }

    private func append(_ write: Write) {
        lock.lock()
        writes.append(write)
        lock.unlock()
    }
}
