@testable import Debugger
import Tape
import XCTest

/// The relations the views read from the debugger's one index: who bumped what, which node an op
/// made, what was printed, which tensors share a counter.
final class RelationsTests: XCTestCase {
    func testWhoBumpedWhatAndWhatEachOpMade() throws {
        let debugger = try Debugger(tape: Programs.savedInputMul())
        let end = debugger.eventCount
        let a = try XCTUnwrap(debugger.tensors(at: end).first { $0.name == "a" }?.info.id)
        let bump = try XCTUnwrap(debugger.bump(of: a, to: 1))
        XCTAssertEqual([bump.tensor, bump.from, bump.to], [a, 0, 1])
        XCTAssertEqual(debugger.op(bump.op).call, "+=")
        XCTAssertEqual(debugger.bumps(ofOp: bump.op), [bump])
        XCTAssertNil(debugger.bump(of: a, to: 2), "a was written once")
        XCTAssertNil(debugger.bump(of: a, to: 0), "version 0 is where every counter starts")
        let mul = try XCTUnwrap((0..<debugger.opCount).first { debugger.op($0).call == "*" })
        XCTAssertEqual(debugger.firstNode(ofOp: mul).map { debugger.node($0).name }, "MulBackward0")
        XCTAssertNil(debugger.firstNode(ofOp: debugger.opCount), "past the last op")
        XCTAssertEqual(debugger.line(ofOp: mul), 4)
        XCTAssertTrue(debugger.tensors(sharingCounter: debugger.tensorInfo(a).counter).contains(a))
        XCTAssertEqual(debugger.console(before: end, limit: 10).map(\.kind), [.output, .error], "the print, then the error")
        XCTAssertEqual(debugger.console(before: end, limit: 1).map(\.kind), [.error], "the newest first to go")
        XCTAssertEqual(debugger.console(before: 0, limit: 10).count, 0)
    }
}
