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
    /// Whether the trial has ended, after which no notice is given.
    private var finished = false

    /// Calls `notice` once, `delay` from now, if the trial is still running then: a long run
    /// inside the subset would otherwise show nothing until it ends, like a hung program.
    func notice(after delay: Duration, _ notice: @escaping @Sendable () -> Void) {
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            lock.lock()
            defer { lock.unlock() }
            if !finished { notice() }
        }
    }

    /// Marks the trial ended: a notice not yet given never will be.
    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
    }

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
