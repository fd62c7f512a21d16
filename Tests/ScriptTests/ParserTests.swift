import PythonLexer
@testable import Script
import XCTest

final class ParserTests: XCTestCase {
    private func syntaxError(_ source: String) -> SyntaxError? {
        do {
            _ = try Parser.parse(source)
            return nil
        } catch {
            return error
        }
    }

    func testStatementsAndSpans() throws {
        let program = try Parser.parse("x, y = 1, 2\nif x < y:\n    x += 1\nelse:\n    pass\n")
        XCTAssertEqual(program.count, 2)
        guard case .assign(let targets, _) = program[0].kind, case .tuple(let names) = targets[0].kind else {
            return XCTFail("expected a tuple assignment")
        }
        XCTAssertEqual(names.count, 2)
        XCTAssertEqual(program[1].span.line, 2)
    }

    func testFStringFieldsCarryConversionAndSpec() throws {
        let program = try Parser.parse("f'{x!r:>{w}} and {y=}'\n")
        guard case .expression(let expr) = program[0].kind, case .fstring(let parts) = expr.kind else {
            return XCTFail("expected an f-string")
        }
        XCTAssertEqual(parts.count, 3)
        guard case .field(_, let conversion, let spec, _) = parts[0] else { return XCTFail("expected a field") }
        XCTAssertEqual(conversion, "r")
        XCTAssertEqual(spec?.count, 2)
        guard case .field(_, let debugConversion, _, let debugText) = parts[2] else { return XCTFail("expected a field") }
        XCTAssertEqual(debugText, "y=")
        XCTAssertEqual(debugConversion, "r")
    }

    func testPythonSyntaxErrorMessages() {
        XCTAssertEqual(syntaxError("if x\n    y\n")?.message, "expected ':'")
        XCTAssertEqual(syntaxError("return 1\n")?.message, "'return' outside function")
        XCTAssertEqual(syntaxError("break\n")?.message, "'break' outside loop")
        XCTAssertEqual(syntaxError("f(a=1, 2)\n")?.message, "positional argument follows keyword argument")
        XCTAssertEqual(syntaxError("f() = 3\n")?.message, "cannot assign to function call here. Maybe you meant '==' instead of '='?")
        XCTAssertEqual(syntaxError("def f(a=1, b):\n    pass\n")?.message, "non-default argument follows default argument")
        XCTAssertEqual(syntaxError("x = (1,\n")?.span.line, 1)
    }

    func testUnsupportedConstructsAreNamed() {
        XCTAssertEqual(syntaxError("@decorator\nx = 1\n")?.message, "invalid syntax")
        XCTAssertEqual(syntaxError("async def f():\n    pass\n")?.message, "tapedeck does not support 'async'")
        XCTAssertEqual(syntaxError("x = 1j\n")?.message, "tapedeck does not support complex numbers")
    }
}
