import Foundation

/// Runs work whose native recursion Python's limits bound, but deeper than a caller's stack may hold
/// (the parser, the interpreter), on a thread of its own with a stack of a stated size, and waits for
/// its result. So whether deep input ends in Python's error or a stack overflow never depends on the
/// caller's thread: libFuzzer's 8 MiB main thread, a 512 KiB secondary thread, the interpreter's own.
enum OwnStack {
    /// Calls `body` on a new thread with `size` bytes of stack (reserved, touched only as used) and
    /// returns what it returned, blocking the caller meanwhile.
    static func run<Value: Sendable>(size: Int, _ body: @escaping @Sendable () -> Value) -> Value {
        let box = Box<Value>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return box.value!
    }

    /// Carries the value from the thread back to the caller, which waits until it is set.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}
