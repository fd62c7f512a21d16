import Glibc
import XCTest
@testable import TerminalUI

final class DebuggerAppTests: XCTestCase {
    func testWithoutATerminalRunRefusesAndPointsAtExplain() throws {
        try XCTSkipIf(isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1, "the test runs in a terminal")
        let app = DebuggerApp(state: SampleTapes.state(SampleTapes.savedInputMul()))
        XCTAssertThrowsError(try app.run()) { error in
            XCTAssertEqual(error as? TerminalError, .notATerminal)
            XCTAssertTrue("\(error)".contains("tapedeck explain FILE"))
        }
    }
}
