import Foundation
import XCTest
@testable import Tape

/// A seeded mutation fuzzer over the trace reader: valid generated traces, mutated byte- and
/// line-wise, must either load (and then decode every event and pass the range checks' promise)
/// or fail with a `TraceError` naming a line of the file — never trap or hang.
///
/// The suite runs a short fixed run; `scripts/fuzz-trace-reader.sh` runs a long one by setting
/// `TAPEDECK_FUZZ_ITERATIONS` and `TAPEDECK_FUZZ_SEED`.
final class TraceFuzzTests: XCTestCase {
    private static let environment = ProcessInfo.processInfo.environment
    private static let iterations = environment["TAPEDECK_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 600
    private static let seed = environment["TAPEDECK_FUZZ_SEED"].flatMap(UInt64.init) ?? 2026

    func testMutatedTracesLoadOrFailWithALine() throws {
        let seeds = (0..<4).map { TraceWriter.encode(ValidTraceGenerator.tape(seed: UInt64($0), events: 300)) }
        for original in seeds {
            XCTAssertNoThrow(try TraceReader.load(original, file: "seed.tdt"), "a generated trace must be valid")
        }
        var random = EventGenerator(seed: Self.seed)
        var outcomes = (loaded: 0, failed: 0)
        for iteration in 0..<Self.iterations {
            var bytes = seeds[random.below(seeds.count)]
            for _ in 0...random.below(4) { mutate(&bytes, &random) }
            let lines = bytes.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            do {
                let tape = try TraceReader.load(bytes, file: "fuzz.tdt")
                outcomes.loaded += 1
                check(tape, iteration: iteration)
            } catch .malformed(_, let line, _) {
                outcomes.failed += 1
                XCTAssertTrue((1...lines).contains(line), "iteration \(iteration): line \(line) of \(lines)")
            } catch {
                outcomes.failed += 1
            }
        }
        XCTAssertGreaterThan(outcomes.loaded, Self.iterations / 20, "mutations should not all be fatal")
        XCTAssertGreaterThan(outcomes.failed, Self.iterations / 4, "mutations should often be caught")
    }

    /// What a loaded tape promises: every event decodes, every shape's element count is representable.
    private func check(_ tape: Tape, iteration: Int) {
        for index in tape.indices {
            let event = tape[index]
            XCTAssertEqual(event.kind, tape.kind(at: index))
            _ = tape.summary(at: index)
            if case let .tensor(info) = event { XCTAssertGreaterThanOrEqual(info.numel, 0, "iteration \(iteration)") }
            XCTAssertNotNil(tape.traceLine(ofEvent: index))
        }
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout EventGenerator) {
        guard !bytes.isEmpty else { return }
        let position = random.below(bytes.count)
        switch random.below(9) {
        case 0:
            bytes[position] = UInt8(truncatingIfNeeded: random.next())
        case 1, 2:
            let numbers = ["-1", "0", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "1e308", "1.5",
                           "null", "\"x\"", "[]", "{}", "1000000000000", "4294967296"]
            guard let digit = bytes[position...].firstIndex(where: { (48...57).contains($0) }) else { return }
            var end = digit
            while end < bytes.count && (48...57).contains(bytes[end]) { end += 1 }
            bytes.replaceSubrange(digit..<end, with: Array(numbers[random.below(numbers.count)].utf8))
        case 3:
            bytes.removeSubrange(position..<min(bytes.count, position + random.below(40) + 1))
        case 4:
            let tokens = ["null", "[", "]", "{", "}", "\"", ",", ":", "\n", "\\", "\u{FF}", "[[[[[[[[", "\"k\":\"op\","]
            bytes.insert(contentsOf: Array(tokens[random.below(tokens.count)].utf8), at: position)
        case 5:
            bytes.removeSubrange(position...)
        default:
            var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
            guard lines.count > 2 else { return }
            let a = 1 + random.below(lines.count - 1), b = 1 + random.below(lines.count - 1)
            switch random.below(3) {
            case 0: lines.swapAt(a, b)
            case 1: lines.remove(at: a)
            default: lines.insert(lines[a], at: b)
            }
            bytes = Array(lines.joined(separator: [10]))
        }
    }
}
