import Synchronization

/// A state's search table, built on the first `/` search instead of with the steps: building it
/// reads every op of the tape (≈ 0.1 s per million events), which a state that is never
/// searched should not pay before its first screen or when the whole tape takes over (issue 9).
///
/// A reference shared by the copies of one state, which all have the same debugger and steps;
/// the lock makes the table built once even when two threads ask at the same time.
final class LazySearchTable: Sendable {
    private let table = Mutex<StepSearch?>(nil)

    /// The table, built by `build` the first time it is asked for.
    func table(building build: () -> StepSearch) -> StepSearch {
        table.withLock { cached in
            if let cached { return cached }
            let built = build()
            cached = built
            return built
        }
    }
}
