import Foundation
import TestSupport
import XCTest
@testable import Tape

/// `DecimalParser` must give, bit for bit, the double that `Double(String)` gives for the same
/// text, on seeded generated numbers of every kind that reaches a different path: Clinger's,
/// Eisel–Lemire's (one or two multiplications, normal, subnormal, overflow), more than 19 digits
/// (the `w`/`w + 1` check and the standard library behind it) and exact halfway cases.
final class DecimalParserTests: XCTestCase {
    private var random = SplitMix64(seed: 9)
    /// The first 20 numbers that parsed differently, and how many did.
    private var mismatches: [String] = []
    private var mismatchCount = 0
    private var checked = 0

    override func tearDown() {
        XCTAssertEqual(mismatches, [], "\(mismatchCount) of \(checked) numbers parse differently from Double(String)")
        super.tearDown()
    }

    /// Parses `text` whole, as the scanner would inside a line (a `,` after it, not counted).
    private func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8) + Array(",".utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Double? in
            guard let (value, end) = DecimalParser.parse(buffer.baseAddress!, from: 0, to: buffer.count),
                  end == buffer.count - 1
            else { return nil }
            return value
        }
    }

    /// Records a mismatch (the first 20 in full, to keep the failure readable) unless `text`
    /// parses to the same bits as `Double(text)`.
    private func check(_ text: String) {
        checked += 1
        let expected = Double(text)
        let parsed = parse(text)
        guard parsed?.bitPattern != expected?.bitPattern else { return }
        mismatchCount += 1
        guard mismatches.count < 20, let expected else {
            if expected == nil { mismatches.append("\(text): Double(String) rejects it") }
            return
        }
        mismatches.append("\(text): \(parsed.map { "\($0) (0x\(String($0.bitPattern, radix: 16)))" } ?? "nil"), expected \(expected) (0x\(String(expected.bitPattern, radix: 16)))")
    }

    private func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }

    private func randomFinite() -> Double {
        while true {
            let value = Double(bitPattern: random.next())
            if value.isFinite { return value }
        }
    }

    private func seventeenDigits(_ value: Double) -> String { String(format: "%.17g", value) }

    func testRandomDoublesShortestAndSeventeenDigits() {
        for _ in 0..<20_000 {
            let value = randomFinite()
            check(value.description)
            check(seventeenDigits(value))
        }
        // Values of the size a trace holds: uniform in (-1, 1) and up to a few thousand.
        for _ in 0..<20_000 {
            let value = (Double(random.next() >> 11) / Double(1 << 53) - 0.5) * (below(2) == 0 ? 2 : 5_000)
            check(value.description)
            check(seventeenDigits(value))
        }
    }

    func testFloat32ValuesPrintedAsDoubles() {
        for _ in 0..<30_000 {
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            guard float.isFinite else { continue }
            check(Double(float).description)
            check(seventeenDigits(Double(float)))
            check(float.description)
        }
        for _ in 0..<20_000 {
            let preview = Double(Float(Double(random.next() >> 11) / Double(1 << 53) * 2 - 1))
            check(preview.description)
        }
    }

    func testRandomDigitStringsWithExponents() {
        for _ in 0..<60_000 {
            var digits = (0..<1 + below(25)).map { _ in Character(String(below(10))) }
            if below(4) != 0 { digits[0] = Character(String(1 + below(9))) }
            var text = String(digits)
            if below(2) == 0 {
                let point = below(digits.count + 1)
                text = String(digits[..<point]).ifEmpty("0") + "." + String(digits[point...]).ifEmpty("0")
            }
            let exponent = below(701) - 350
            let marker = ["e", "E"][below(2)]
            let sign = exponent < 0 ? "-" : (below(2) == 0 ? "+" : "")
            check((below(2) == 0 ? "-" : "") + text + marker + sign + String(exponent.magnitude))
        }
    }

    /// `significand·2^exponent` written out in full: `123.456`, `0.000123`, `4096`.
    private static func exactDecimal(_ significand: UInt64, timesTwoToThe exponent: Int) -> String {
        guard exponent < 0 else { return Natural(significand).shifted(left: exponent).decimal }
        let fractionDigits = -exponent
        let digits = (Natural(significand) * Natural.power(5, fractionDigits)).decimal
        let padded = String(repeating: "0", count: max(fractionDigits + 1 - digits.count, 0)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -fractionDigits)
        return padded[..<point] + "." + padded[point...]
    }

    /// `text` with its last digit moved by `delta` (±1), wrapping within 0–9: a midpoint's last
    /// digit is odd, so the result is a near miss on either side, never the midpoint.
    private static func lastDigit(of text: String, plus delta: Int) -> String {
        let last = text.last!.wholeNumberValue! + delta
        return text.dropLast() + String((last + 10) % 10)
    }

    func testPowersOfFiveTableHoldsItsDefinition() {
        let (smallest, largest) = (DecimalParser.smallestPowerOfFive, DecimalParser.largestPowerOfFive)
        let table = DecimalParser.powersOfFive
        XCTAssertEqual(table.count, 2 * (largest - smallest + 1))
        let one = Natural(1)
        for q in smallest...largest {
            let entry = Natural(high: table[2 * (q - smallest)], low: table[2 * (q - smallest) + 1])
            XCTAssertEqual(entry.bitLength, 128, "5^\(q)")
            let power = Natural.power(5, abs(q))
            if q >= 0 {
                // The top 128 bits of 5^q, truncated.
                let dropped = max(power.bitLength - 128, 0)
                XCTAssertTrue(entry.shifted(left: dropped) <= power.shifted(left: max(128 - power.bitLength, 0)), "5^\(q)")
                XCTAssertTrue(power.shifted(left: max(128 - power.bitLength, 0)) < (entry + one).shifted(left: dropped), "5^\(q)")
            } else if q >= -27 {
                // entry = ⌊2^b / 5^-q⌋ + 1, b = 127 + bit length: (entry - 1)·5^-q ≤ 2^b < entry·5^-q.
                let twoToTheB = one.shifted(left: 127 + power.bitLength)
                XCTAssertTrue(entry.predecessor * power <= twoToTheB && twoToTheB < entry * power, "5^\(q)")
            } else {
                // entry = ⌊m / 2^k⌋, m = ⌊2^b / 5^-q⌋ + 1, b = 128 + 2·bit length, k = bit length + 1
                // (m has 129 + bit length bits): entry·2^k - 1 ≤ 2^b / 5^-q < (entry + 1)·2^k - 1.
                let twoToTheB = one.shifted(left: 128 + 2 * power.bitLength)
                let k = power.bitLength + 1
                XCTAssertTrue(entry.shifted(left: k).predecessor * power <= twoToTheB, "5^\(q)")
                XCTAssertTrue(twoToTheB < (entry + one).shifted(left: k).predecessor * power, "5^\(q)")
            }
        }
    }

    func testEveryPowerOfFiveInTheTable() {
        // Each decimal exponent once with a short, a 17-digit and a 19-digit significand, so
        // that every entry of `powersOfFive` is read at least once with each word.
        for exponent in DecimalParser.smallestPowerOfFive - 5...DecimalParser.largestPowerOfFive + 5 {
            for significand in ["1", "7", "12345678901234567", "9999999999999999999", "1844674407370955161"] {
                check("\(significand)e\(exponent)")
            }
            check("\(random.next() % 10_000_000_000_000_000_000)e\(exponent)")
        }
    }

    func testHalfwayCasesAndTheirNeighbours() {
        var cases: [Double] = [1, 2, 0x1p52, 0x1p53, 0x1p-1022, .greatestFiniteMagnitude / 2, 0x1p-1074, 0x1p-1060]
        for _ in 0..<600 { cases.append(abs(randomFinite())) }
        for _ in 0..<300 { cases.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x7FFF_FFFF))) }
        for _ in 0..<300 { cases.append(Double(random.next() >> UInt64(below(64))).nextUp) }
        for _ in 0..<200 { cases.append(Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF)) }
        for value in cases where value.isFinite && value < .greatestFiniteMagnitude {
            // The midpoint between `value` and the next double up: (2·m + 1)·2^(e - 1).
            let significand = value.significandBitPattern | (value.exponentBitPattern == 0 ? 0 : 1 << 52)
            let exponent = Int(max(value.exponentBitPattern, 1)) - 1075
            let midpoint = Self.exactDecimal(significand * 2 + 1, timesTwoToThe: exponent - 1)
            for text in [midpoint, Self.lastDigit(of: midpoint, plus: 1), Self.lastDigit(of: midpoint, plus: -1)] {
                check(text)
                check("-" + text)
            }
        }
    }

    func testSubnormalsAndTheEndsOfTheRange() {
        for _ in 0..<10_000 {
            let value = Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF)
            check(value.description)
            check(seventeenDigits(value))
        }
        let edges = [
            "5e-324", "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "2.47032822920623272e-324", "3e-324", "7.4e-324", "1e-323", "2.2250738585072011e-308",
            "2.2250738585072012e-308", "2.2250738585072014e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623158079e308", "1.797693134862315807937289714053e308",
            "1.7976931348623159e308", "1.8e308", "1e308", "9.9999999999999999e307",
            "1e309", "1e400", "123456789e999999", "-1e309", "1e999999999", "0.0000001e315",
            "1e-324", "1e-400", "1e-999999999", "-1e-400", "123456789012345678901234567890e-360",
            "4.9e-324", "2.5e-324", "2.4e-324",
        ]
        edges.forEach(check)
        check(Double.greatestFiniteMagnitude.description)
        check(Double.leastNormalMagnitude.description)
        check(Double.leastNonzeroMagnitude.description)
        check(seventeenDigits(Double.greatestFiniteMagnitude))
        check(seventeenDigits(Double.leastNormalMagnitude.nextDown))
    }

    func testZerosAndLeadingZeros() {
        for zero in ["0", "-0", "0.0", "-0.0", "0e0", "-0e10", "-0.000e-5", "0.0000000000000000000000000e999", "00", "-000.000"] {
            check(zero)
        }
        XCTAssertEqual(parse("-0")?.bitPattern, (-0.0).bitPattern)
        XCTAssertEqual(parse("-0.0e5")?.sign, .minus)
        for _ in 0..<10_000 {
            let zeros = String(repeating: "0", count: below(40))
            let digits = String(random.next() >> UInt64(below(64)))
            let exponent = below(2) == 0 ? "" : "e\(below(60) - 30)"
            check("0.\(zeros)\(digits)\(exponent)")
            check("-\(zeros)\(digits).0\(zeros)\(exponent)")
        }
    }

    func testNotANumberLeavesNil() {
        for text in ["", "-", "+1", ".5", "-.5", "1.", "1.e5", "1e", "1e+", "1e-", "-x", "e5", "1.-5"] {
            XCTAssertNil(parse(text), text)
        }
    }

    func testScannerReadsNumbersBetweenSeparators() throws {
        let bytes = Array("[0.12345678901234567, -0, 1e-400,2.5E+3 ,-Infinity]".utf8)
        let values = try bytes.withUnsafeBufferPointer { buffer throws -> [Double] in
            var scanner = TraceScanner(base: buffer.baseAddress!, count: buffer.count, file: "n.tdt")
            defer { scanner.deallocate() }
            try scanner.expect(UInt8(ascii: "["), "'['")
            var values: [Double] = []
            repeat { values.append(try scanner.double("a value")) } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"), "']'")
            return values
        }
        XCTAssertEqual(values.map(\.bitPattern), [0.12345678901234567, -0.0, 0, 2500, -.infinity].map(\.bitPattern))
    }
}

private extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
