/// The resources one program run may use before tapedeck stops it: a program that loops
/// forever or allocates without bound must end with a clear message, never hang or eat the machine.
public struct RunLimits: Sendable, Equatable {
    /// The most statements (and comprehension iterations) the run may execute.
    public var maxSteps: Int
    /// The most bytes of memory the process may hold while the run executes (resident set size).
    public var maxMemory: Int

    public init(maxSteps: Int = RunLimits.standard.maxSteps, maxMemory: Int = RunLimits.standard.maxMemory) {
        self.maxSteps = maxSteps
        self.maxMemory = maxMemory
    }

    /// Generous enough for any sample and test program (they run well under 10^6 steps and 1 GiB),
    /// small enough that `while True: pass` stops within a minute and growth stops before swapping.
    public static let standard = RunLimits(steps: 100_000_000, memory: 4 << 30)

    private init(steps: Int, memory: Int) {
        maxSteps = steps
        maxMemory = memory
    }
}
