import Foundation
import PythonLexer
@testable import Script
import XCTest

/// The parser never overflows its caller's stack, whatever the caller: each input here is parsed
/// from a thread with a 512 KiB stack (the default for a secondary thread on macOS; libFuzzer's
/// main thread, where the first case overflowed, has 8 MiB). Before `Parser.parse` ran on a stack
/// of its own, this suite died of a native stack overflow (signal 11) instead of a result.
final class ParserStackTests: XCTestCase {
    /// What parsing ended in, read on the small thread; the syntax tree itself is dropped there.
    private enum Outcome: Equatable {
        case parsed(statements: Int)
        case refused(SyntaxError.Kind, message: String, line: Int)
    }

    private static let smallStack = 512 << 10

    private func parseOnSmallStack(_ source: String) -> Outcome {
        let box = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do throws(SyntaxError) {
                box.outcome = .parsed(statements: try Parser.parse(source).count)
            } catch {
                box.outcome = .refused(error.kind, message: error.message, line: error.span.line)
            }
            done.signal()
        }
        thread.stackSize = Self.smallStack
        thread.start()
        done.wait()
        return box.outcome!
    }

    private final class OutcomeBox: @unchecked Sendable {
        var outcome: Outcome?
    }

    /// libFuzzer's finding `crash-d193dd27…` (Tests/BadInputs/fuzz/parser): 198 nested brackets,
    /// `(` and `{`, around `x = (1,`; it overflowed libFuzzer's 8 MiB stack under AddressSanitizer.
    /// python3.11 says `invalid syntax. Maybe you meant '==' or ':=' instead of '='?` at the inner `x = `.
    func testTheFuzzersNestedBracketsFindingIsASyntaxError() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../BadInputs/fuzz/parser/crash-d193dd27.py").standardizedFileURL
        let source = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(parseOnSmallStack(source), .refused(.syntax, message: "invalid syntax", line: 1))
    }

    /// The deepest recursion each nesting limit lets through, as python3.11 ends it.
    func testTheDeepestNestingTheLimitsAllowEndsInPythonsResult() {
        let brackets = "([{" + String(repeating: "(", count: 197)
        let closing = String(repeating: ")", count: 197) + "}])"
        XCTAssertEqual(parseOnSmallStack("x = \(brackets)1\(closing)\n"), .parsed(statements: 1))
        XCTAssertEqual(parseOnSmallStack("x = (\(brackets)1\(closing))\n"), .refused(.syntax, message: "too many nested parentheses", line: 1))
        let recursion = Outcome.refused(.recursion, message: "maximum recursion depth exceeded during compilation", line: 1)
        XCTAssertEqual(parseOnSmallStack("x = " + String(repeating: "1 if 1 else ", count: 5967) + "1\n"), recursion)
        XCTAssertEqual(parseOnSmallStack("x = " + String(repeating: "-", count: 5967) + "1\n"), recursion)
        XCTAssertEqual(parseOnSmallStack("x = " + String(repeating: "not ", count: 5967) + "1\n"), recursion)
        XCTAssertEqual(parseOnSmallStack("x = " + String(repeating: "-", count: 5968) + "1\n"), .refused(.memory, message: "", line: 1))
        let fstring = "x = f'{f\"{" + String(repeating: "-", count: 2900) + "1}\"}'\n"
        XCTAssertEqual(parseOnSmallStack(fstring), .parsed(statements: 1))
    }

    /// 199 brackets around a chain of 5700 prefix operators: the parser's recursion at its deepest
    /// (a full chain of grammar levels per bracket, then one per operator). python3.11 says
    /// `MemoryError` (its parser spends about 28 of its 6000 levels on each bracket, tapedeck one),
    /// tapedeck `RecursionError`; either way one of the two limits, not an overflow.
    func testBracketsAroundAPrefixChainEndInALimit() {
        let source = "x = " + String(repeating: "(", count: 199) + String(repeating: "-", count: 5700) + "1" + String(repeating: ")", count: 199) + "\n"
        guard case .refused(let kind, _, _) = parseOnSmallStack(source) else { return XCTFail("expected a limit") }
        XCTAssertTrue([.recursion, .memory].contains(kind), "\(kind)")
    }

    /// The deepest recursion of all, which `Parser.stackSize` is measured on: four f-strings nested in
    /// the program (python3.11 allows no more: one per kind of quote), each parsed by a parser of its
    /// own, each a chain of 5900 conditional expressions, the innermost in 199 brackets. python3.11
    /// runs out of parser stack.
    func testFourNestedFStringsEachAtTheNestingLimitRunOutOfParserStack() {
        let chain = String(repeating: "1 if 1 else ", count: 5900)
        var source = String(repeating: "(", count: 199) + chain + "1" + String(repeating: ")", count: 199)
        for quote in ["\"", "'", "\"\"\"", "'''"] {
            source = "f\(quote){\(chain)\(source)}\(quote)"
        }
        XCTAssertEqual(parseOnSmallStack("x = \(chain)\(source)\n"), .refused(.memory, message: "", line: 1))
    }
}
