import Foundation
import Synchronization

/// The python3 process tapedeck waits on (the PyTorch recorder, or `python3 PROGRAM` for `run
/// --engine torch`), ended together with tapedeck. A terminal sends Ctrl-C and a hang-up to both,
/// but a SIGTERM or SIGHUP sent to tapedeck alone (`kill PID`, a supervisor, an editor stopping
/// it) used to kill tapedeck and leave python3 running a program nobody waits for, forever if it
/// loops. While the child runs, those signals are passed on to it, then tapedeck dies of the
/// signal as before (status 128 + N).
enum ChildProcess {
    /// The child being waited on, 0 when none.
    private static let running = Atomic<Int32>(0)
    private static let forwarded: [Int32] = [SIGTERM, SIGHUP]

    /// Waits for `process` (already started) to end, passing SIGTERM and SIGHUP on to it meanwhile;
    /// the handlers that were installed before are put back afterwards.
    static func wait(for process: Process) {
        running.store(process.processIdentifier, ordering: .relaxed)
        let previous = forwarded.map { number in
            signal(number) { number in
                let child = ChildProcess.running.load(ordering: .relaxed)
                if child > 0 { kill(child, number) }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
        process.waitUntilExit()
        for (number, handler) in zip(forwarded, previous) { signal(number, handler) }
        running.store(0, ordering: .relaxed)
    }
}
