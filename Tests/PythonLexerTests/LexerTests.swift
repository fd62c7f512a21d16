@testable import PythonLexer
import XCTest

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) throws -> [Token.Kind] {
        try Lexer.tokenize(source).map(\.kind)
    }

    func testIndentationProducesIndentAndDedent() throws {
        let tokens = try kinds("if x:\n    y = 1\nz\n")
        XCTAssertEqual(tokens, [
            .name("if"), .name("x"), .op(":"), .newline, .indent, .name("y"), .op("="), .int(1), .newline,
            .dedent, .name("z"), .newline, .end,
        ])
    }

    func testBracketsJoinLinesAndCommentsVanish() throws {
        let tokens = try kinds("f(1,  # one\n  2)\n")
        XCTAssertEqual(tokens, [.name("f"), .op("("), .int(1), .op(","), .int(2), .op(")"), .newline, .end])
    }

    func testNumbersAndStrings() throws {
        XCTAssertEqual(try kinds("1e-5 0x1F 1_000 .5 'a\\n' r'a\\n'"), [
            .float(1e-5), .int(31), .int(1000), .float(0.5), .string("a\n"), .string("a\\n"), .newline, .end,
        ])
    }

    func testSpansAreOneBased() throws {
        let tokens = try Lexer.tokenize("x = foo(1)\n")
        XCTAssertEqual(tokens[2].span, SourceSpan(line: 1, column: 5, endLine: 1, endColumn: 8))
    }

    func testUnterminatedStringIsASyntaxError() {
        XCTAssertThrowsError(try Lexer.tokenize("x = 'abc\n")) { error in
            XCTAssertEqual((error as? SyntaxError)?.message, "unterminated string literal (detected at line 1)")
        }
    }

    func testBadDedentIsReported() {
        XCTAssertThrowsError(try Lexer.tokenize("if x:\n        a\n    b\n")) { error in
            XCTAssertEqual((error as? SyntaxError)?.span.line, 3)
        }
    }

    func testDeepNestingIsRefusedLikeCPython() {
        let source = "x = " + String(repeating: "[", count: 250) + String(repeating: "]", count: 250) + "\n"
        XCTAssertThrowsError(try Lexer.tokenize(source)) { error in
            XCTAssertEqual((error as? SyntaxError)?.message, "too many nested parentheses")
        }
    }
}
