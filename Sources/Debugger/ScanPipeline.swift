import Dispatch
import Glibc
import Synchronization
import Tape

/// Reads a tape's events for the index a batch at a time (`ScannedBatch`), in tape order. For a
/// large tape a second thread reads the next batches while the caller indexes the ones already
/// read: reading the events' fields is about half of indexing them, and the index was the one
/// single-threaded phase of `tapedeck explain` (issue 9). A small tape is read on the calling
/// thread, where starting a thread would cost more than it saves.
///
/// The reader starts when the pipeline is made, so the caller can size its arrays meanwhile.
final class ScanPipeline: @unchecked Sendable {
    /// Tapes of at least this many events are read on a second thread.
    static var concurrentThreshold: Int { 1 << 16 }

    private let tape: Tape
    /// Whether a second thread reads the batches.
    let isConcurrent: Bool
    /// Events per batch, and batches in the ring (read ahead of the one being indexed).
    private let batchSize: Int
    private let depth: Int
    private let batches: [ScannedBatch]
    /// Batches read and not yet indexed, batch slots free for the reader, the reader's end.
    private let filled = DispatchSemaphore(value: 0)
    private let empty: DispatchSemaphore
    private let done = DispatchSemaphore(value: 0)
    /// Set when the caller stops early: the reader then reads no further batch.
    private let stopped = Atomic<Bool>(false)

    /// A pipeline over `tape`, read on a second thread when `concurrent` (by default, when the
    /// tape has at least `concurrentThreshold` events), which starts reading now. By default a
    /// batch holds 1,024 events (its summaries about 160 KiB) and the ring 8 batches, so that
    /// the ring stays in the shared cache; tests make them small to wrap the ring often.
    init(_ tape: Tape, concurrent: Bool? = nil, batchSize: Int = 1024, depth: Int = 8) {
        precondition(batchSize > 0 && depth > 0, "a pipeline needs a batch and a slot")
        self.tape = tape
        isConcurrent = concurrent ?? (tape.count >= Self.concurrentThreshold)
        self.batchSize = batchSize
        self.depth = isConcurrent ? depth : 1
        empty = DispatchSemaphore(value: self.depth)
        // The ring, and for a concurrent pipeline one more batch that the caller reads into.
        batches = (0..<(isConcurrent ? depth + 1 : 1)).map { _ in ScannedBatch(capacity: batchSize) }
        if isConcurrent {
            Self.startThread { [self] in readAll() }
        }
    }

    /// The reader's thread: a thread of its own rather than a task on Dispatch's global queue,
    /// whose pool is as wide as the machine has cores: the index is itself built on a worker of
    /// that pool when the debugger opens a trace, and waits for the reader, which on one or two
    /// cores could then wait for a free worker.
    private static func startThread(_ body: @escaping @Sendable () -> Void) {
        final class Body {
            let run: @Sendable () -> Void
            init(_ run: @escaping @Sendable () -> Void) { self.run = run }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        precondition(created == 0, "could not start the index's reader thread")
        pthread_detach(thread)
    }

    private var batchCount: Int { (tape.count + batchSize - 1) / batchSize }

    private func range(ofBatch k: Int) -> Range<Int> {
        k * batchSize..<min((k + 1) * batchSize, tape.count)
    }

    /// Whether the caller reads batch `k` itself: every `callerShare`-th batch of a concurrent
    /// pipeline. Reading is more than half of indexing (callgrind, instructions an event: 322
    /// to read against about 215 to index on the `relations` chain, 318 against 225 on the RNN
    /// trace), so the caller, which would otherwise wait for the reader, reads a seventh of the
    /// batches: the two threads then take about as long.
    private func callerReads(_ k: Int) -> Bool { k % Self.callerShare == Self.callerShare - 1 }
    private static var callerShare: Int { 7 }

    /// The reader's loop: each of its batches into the next slot of the ring once the slot is
    /// free, until the last or a stop.
    private func readAll() {
        var slot = 0
        for k in 0..<batchCount where !callerReads(k) {
            empty.wait()
            if stopped.load(ordering: .acquiring) { break }
            tape.read(range(ofBatch: k), into: batches[slot])
            slot = (slot + 1) % depth
            filled.signal()
        }
        done.signal()
    }

    /// Calls `body` with each event of the tape, in order, until it returns false. Call once.
    @inline(__always)
    func forEach(_ body: (_ position: Int, _ event: ScannedEvent) -> Bool) {
        guard isConcurrent else {
            for k in 0..<batchCount {
                tape.read(range(ofBatch: k), into: batches[0])
                guard batches[0].forEach(body) else { return }
            }
            return
        }
        var slot = 0
        for k in 0..<batchCount {
            let goesOn: Bool
            if callerReads(k) {
                tape.read(range(ofBatch: k), into: batches[depth])
                goesOn = batches[depth].forEach(body)
            } else {
                filled.wait()
                goesOn = batches[slot].forEach(body)
                slot = (slot + 1) % depth
                if goesOn { empty.signal() }
            }
            if !goesOn {
                // Stop the reader, and free enough slots that it cannot wait on one forever.
                stopped.store(true, ordering: .releasing)
                for _ in 0...depth { empty.signal() }
                break
            }
        }
        done.wait()
    }
}
