import Script

/// A conformance case run on tapedeck's engine: what it printed, its exit status and its tape.
///
/// `all` runs every case once per test process and is shared by every test that needs the
/// engine's run of the cases (the output comparison, the replay and the screens), so each
/// program runs once, not once per test or per test target.
public struct ConformanceRun: Sendable {
    public var program: ConformanceCase
    public var stdout: String
    public var stderr: String
    /// The exit status and the tape.
    public var outcome: RunOutcome

    /// Runs `program` in its cases folder's terms (its file name as the path, as the tests pass it).
    public init(_ program: ConformanceCase) {
        let out = Collector(), err = Collector()
        outcome = ProgramRunner(path: program.file, source: program.source).run(stdout: out.append, stderr: err.append)
        self.program = program
        stdout = out.text
        stderr = err.text
    }

    /// Every case of `ConformanceCase.directory`, run once, in name order.
    public static let all = Result { try ConformanceCase.all().map(ConformanceRun.init) }
}
