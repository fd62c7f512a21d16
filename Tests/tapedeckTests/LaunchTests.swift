@testable import tapedeck
import XCTest

/// The engine choice without the binary: a trial on tapedeck's engine that runs long says that its
/// output is held, and a kept trial gives back all of its output.
final class LaunchTests: XCTestCase {
    /// Prints, loops for a while (a long run inside the subset), then fails with a traceback.
    private static let longProgram = """
        import torch
        print("start")
        total = 0
        for i in range(100000):
            total += i
        print(total)
        x = torch.ones(2, requires_grad=True)
        h = torch.sigmoid(x * 2)
        h.add_(1)
        h.sum().backward()

        """

    private func choose(holdNotice: Duration) throws -> (choice: Launch.Choice, notices: [String]) {
        let launch = Launch(targets: [], engine: nil, holdNotice: holdNotice)
        let program = Launch.Program(path: "long.py", bytes: Array(Self.longProgram.utf8), arguments: [])
        let notices = Collected()
        let choice = try launch.choose(program, stdout: { _ in XCTFail("held, not streamed") }, stderr: { _ in XCTFail("held") },
                                       notice: notices.add)
        return (choice, notices.items)
    }

    func testALongTrialSaysItsOutputIsHeldAndKeepsAllOfIt() throws {
        let (choice, notices) = try choose(holdNotice: .zero)
        XCTAssertEqual(notices, ["long.py is running on tapedeck's engine on trial; its output is held until the run ends (--engine tapedeck shows it as it comes)"])
        guard case let .tapedeck(outcome, held?, _) = choice else { return XCTFail("kept on tapedeck's engine: \(choice)") }
        XCTAssertEqual(outcome.exitCode, 1)
        let released = Collected()
        held.release(stdout: { released.add("out: " + $0) }, stderr: { released.add("err: " + $0) })
        let items = released.items
        XCTAssertEqual(Array(items.prefix(2)), ["out: start\n", "out: 4999950000\n"])
        XCTAssertTrue(items.dropFirst(2).allSatisfy { $0.hasPrefix("err: ") }, "\(items)")
        XCTAssertTrue(items.last?.contains("\nRuntimeError: one of the variables needed for gradient computation") ?? false, "\(items)")
    }

    func testAShortTrialSaysNothing() throws {
        let (_, notices) = try choose(holdNotice: .seconds(600))
        XCTAssertEqual(notices, [])
    }
}
