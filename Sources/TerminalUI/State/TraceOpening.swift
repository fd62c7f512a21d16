import Debugger
import Dispatch
import Synchronization
import Tape

/// Opens a trace file for the debugger progressively (issue 9): the first events are read,
/// indexed and shown at once, while a background thread reads the rest, indexes and replays
/// the whole tape, and hands the complete state over (`DebuggerState.finishLoading`).
///
/// What still waits for the whole tape: the verdict (the status line says `loading…` instead),
/// the diagnoses of errors later in the file, and backward calls cut by the first chunk.
public final class TraceOpening: Sendable {
    /// Why a trace could not be opened.
    public enum Failure: Error, Sendable {
        /// The file is not a readable trace (`FILE:LINE: what was expected`).
        case trace(TraceError)
        /// The trace refers to something it never announced.
        case tape(DebuggerError)
    }

    /// Where the background load stands.
    public enum Progress: Sendable {
        /// `events` read so far.
        case loading(events: Int)
        /// The whole tape is indexed: its state, or why it failed.
        case loaded(Result<DebuggerState, Failure>)
    }

    /// The bytes read for the first screen (a few thousand events).
    static let firstChunk = 256 << 10

    private let state: Mutex<Progress>
    private let done = DispatchSemaphore(value: 0)

    private init(events: Int) {
        state = Mutex(.loading(events: events))
    }

    /// Where the background load stands now.
    public var progress: Progress { state.withLock { $0 } }

    /// Waits for the background load to end and returns its outcome.
    public func wait() -> Result<DebuggerState, Failure> {
        done.wait()
        done.signal()
        guard case .loaded(let result) = progress else { preconditionFailure("signalled before loading ended") }
        return result
    }

    /// Reads the first events of the trace at `path` and returns the state of the first screen,
    /// with the opening that loads the rest (nil when the first chunk was the whole trace, or
    /// when the first events do not index on their own: then the whole tape was loaded here).
    public static func open(path: String, glyphs: Glyphs = .unicode) throws(Failure) -> (first: DebuggerState, rest: TraceOpening?) {
        let loader: TraceLoader
        do {
            loader = try TraceLoader(contentsOf: path)
            try loader.loadChunk(limit: firstChunk)
        } catch {
            throw .trace(error)
        }
        if !loader.isComplete, let debugger = try? Debugger(tape: loader.completePrefix()) {
            let opening = TraceOpening(events: loader.tape.count)
            nonisolated(unsafe) let rest = loader
            DispatchQueue.global().async { opening.loadRest(rest, glyphs: glyphs) }
            return (DebuggerState(debugger: debugger, glyphs: glyphs, loading: loader.tape.count), opening)
        }
        return (try whole(loader, glyphs: glyphs).get(), nil)
    }

    /// Reads the rest of the trace, publishing the event count after each chunk.
    private func loadRest(_ loader: TraceLoader, glyphs: Glyphs) {
        do {
            while try loader.loadChunk() {
                let events = loader.tape.count
                state.withLock { $0 = .loading(events: events) }
            }
        } catch {
            return finish(.failure(.trace(error)))
        }
        let result = Self.whole(loader, glyphs: glyphs)
        finish(result)
        // Built here once the whole state is out, so that a first `/` finds the table ready (the
        // UI's copies of the state share it) instead of building it on the key.
        if case .success(let complete) = result { _ = complete.searchTable }
    }

    private func finish(_ result: Result<DebuggerState, Failure>) {
        state.withLock { $0 = .loaded(result) }
        done.signal()
    }

    /// The state over the whole tape of `loader`, reading what is left first.
    private static func whole(_ loader: TraceLoader, glyphs: Glyphs) -> Result<DebuggerState, Failure> {
        let tape: Tape
        do {
            tape = try loader.finish()
        } catch {
            return .failure(.trace(error))
        }
        do {
            return .success(DebuggerState(debugger: try Debugger(tape: tape), glyphs: glyphs))
        } catch {
            return .failure(.tape(error))
        }
    }
}
