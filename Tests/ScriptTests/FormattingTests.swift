@testable import Script
import XCTest

final class FormattingTests: XCTestCase {
    func testFloatReprMatchesPython() {
        let cases: [(Double, String)] = [
            (1e-05, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
            (0.1 + 0.2, "0.30000000000000004"), (100, "100.0"), (-0.0, "-0.0"), (.infinity, "inf"),
            (-.infinity, "-inf"), (.nan, "nan"), (1.5e-7, "1.5e-07"), (123456789012345678, "1.2345678901234568e+17"),
            (Double(Float(1.1)), "1.100000023841858"), (5e-324, "5e-324"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(FloatFormat.repr(value), expected, "repr(\(value))")
        }
    }

    func testRoundIsCorrectlyRoundedHalfEven() {
        XCTAssertEqual(FloatFormat.round(2.675, digits: 2), 2.67)
        XCTAssertEqual(FloatFormat.round(0.125, digits: 2), 0.12)
        XCTAssertEqual(FloatFormat.round(0.375, digits: 2), 0.38)
        XCTAssertEqual(FloatFormat.round(1234.5, digits: -2), 1200)
    }

    func testFormatSpecParsing() throws {
        let spec = try XCTUnwrap(FormatSpec("*^+#012,.3f"))
        XCTAssertEqual(spec.fill, "*")
        XCTAssertEqual(spec.align, "^")
        XCTAssertEqual(spec.sign, "+")
        XCTAssertTrue(spec.alternate)
        XCTAssertEqual(spec.width, 12)
        XCTAssertEqual(spec.grouping, ",")
        XCTAssertEqual(spec.precision, 3)
        XCTAssertEqual(spec.type, "f")
        XCTAssertNil(FormatSpec(".x"))
    }

    func testStringReprPicksQuotes() {
        XCTAssertEqual(Interpreter.stringRepr("a'b"), "\"a'b\"")
        XCTAssertEqual(Interpreter.stringRepr("a\"b'c"), "'a\"b\\'c'")
        XCTAssertEqual(Interpreter.stringRepr("tab\there\n"), "'tab\\there\\n'")
    }
}
