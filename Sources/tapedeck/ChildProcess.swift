import Foundation
import Synchronization

/// The python3 process tapedeck waits on (the PyTorch recorder, or `python3 PROGRAM` for `run
/// --engine torch`), ended together with tapedeck, and tapedeck's temporary files removed on the way
/// out. A terminal sends Ctrl-C and a hang-up to both, but a SIGTERM or SIGHUP sent to tapedeck alone
/// (`kill PID`, a supervisor, an editor stopping it) used to kill tapedeck and leave python3 running a
/// program nobody waits for, forever if it loops, and the recording's
/// `/tmp/tapedeck-UUID.tdt.partial` behind. While the child runs, those signals are passed on to it;
/// tapedeck waits (at most `graceNanoseconds`) for it to end, removes the temporary files, then dies
/// of the signal as before (status 128 + N). A second SIGINT, which makes tapedeck exit 130 at once
/// (`Interruption`), ends the child with SIGTERM and removes the files first too; the first one is
/// left to the child, which the terminal sent it to as well.
enum ChildProcess {
    /// The child being waited on, 0 when none.
    private static let running = Atomic<Int32>(0)
    /// SIGINTs received while waiting.
    private static let interrupts = Atomic<Int>(0)
    private static let forwarded: [Int32] = [SIGTERM, SIGHUP]
    /// How long a signal handler waits for the child to end before removing the files anyway.
    private static let graceNanoseconds = 2_000_000_000
    /// The paths to remove, as C strings made before the handlers are installed (a handler may
    /// only call async-signal-safe functions: `unlink`, not Foundation); nil-terminated.
    nonisolated(unsafe) private static var temporary: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    /// Waits for `process` (already started) to end, passing SIGTERM and SIGHUP on to it meanwhile
    /// and removing the files at `removing` if a signal ends tapedeck; the handlers that were
    /// installed before are put back afterwards.
    static func wait(for process: Process, removing paths: [String] = []) {
        guarding(removing: paths, child: process.processIdentifier) { process.waitUntilExit() }
    }

    /// Runs `body` with SIGTERM, SIGHUP and a second SIGINT ending `child` (when not 0) and removing
    /// the files at `paths` before tapedeck dies of them (`tapedeck record` writing its trace's
    /// temporary file has no child); the handlers installed before are put back afterwards.
    static func guarding<Result, Failure: Error>(
        removing paths: [String], child: Int32 = 0, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: paths.count + 1)
        for (index, path) in paths.enumerated() { list[index] = strdup(path) }
        list[paths.count] = nil
        temporary = list
        interrupts.store(0, ordering: .relaxed)
        running.store(child, ordering: .relaxed)
        let previous = forwarded.map { number in
            signal(number) { number in
                ChildProcess.end(passing: number)
                signal(number, SIG_DFL)
                raise(number)
            }
        }
        let previousInterrupt = signal(SIGINT) { _ in
            guard ChildProcess.interrupts.add(1, ordering: .relaxed).newValue > 1 else { return }
            ChildProcess.end(passing: SIGTERM)
            _exit(130)
        }
        defer {
            signal(SIGINT, previousInterrupt)
            for (number, handler) in zip(forwarded, previous) { signal(number, handler) }
            running.store(0, ordering: .relaxed)
            temporary = nil
            for index in 0..<paths.count { free(list[index]) }
            list.deallocate()
        }
        return try body()
    }

    /// From a signal handler: sends `number` to the child, waits for it to end, removes the files.
    private static func end(passing number: Int32) {
        let child = running.load(ordering: .relaxed)
        if child > 0 {
            kill(child, number)
            var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
            var waited = 0
            // waitpid: the child's pid once it ended, -1 once Foundation has reaped it, 0 while it runs.
            while waitpid(child, nil, WNOHANG) == 0, waited < graceNanoseconds {
                nanosleep(&pause, nil)
                waited += pause.tv_nsec
            }
        }
        guard let list = temporary else { return }
        var index = 0
        while let path = list[index] {
            unlink(path)
            index += 1
        }
    }
}
