#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work whose native recursion Python's limits bound, but deeper than a caller's stack may hold
/// (the parser, the interpreter), on a thread of its own with a stack of a stated size, and waits for
/// its result. So whether deep input ends in Python's error or a stack overflow never depends on the
/// caller's thread: libFuzzer's 8 MiB main thread, a 512 KiB secondary thread, the interpreter's own.
///
/// A POSIX thread joined before returning, not a Foundation `Thread`: that one cannot be joined, and
/// under libFuzzer's leak checker the result it carried back was still held (reported as a leak)
/// after the caller had returned.
enum OwnStack {
    /// Calls `body` on a new thread with `size` bytes of stack (reserved, touched only as used) and
    /// returns what it returned, blocking the caller until the thread has ended. Where no such thread
    /// can be made (the system refuses the stack), `body` runs on the caller's thread.
    static func run<Value>(size: Int, _ body: @escaping () -> Value) -> Value {
        let result = Outcome<Value>()
        let job = Job { result.value = body() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, size) == 0 else { return body() }
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        guard pthread_create(&thread, &attributes, { context in
            #if canImport(Darwin)
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().run()
            #else
            Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().run()
            #endif
            return nil
        }, context) == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return body()
        }
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
        return result.value!
    }

    /// What the thread runs; handed to it retained, released when it ends.
    private final class Job {
        let run: () -> Void

        init(_ run: @escaping () -> Void) {
            self.run = run
        }
    }

    /// The body's result: set by the thread before it ends, read by the caller after joining it, so
    /// no lock is needed.
    private final class Outcome<Value> {
        var value: Value?
    }
}
