import XCTest
@testable import Tape
import TestSupport

/// `EventLineReader` predicts each line's keys from the last line of its kind and skips parsing
/// them when the bytes match. Property: whatever the key order, spacing, unknown keys or nulls,
/// mixed with lines in the writer's order, every line reads as `ReferenceTraceReader` reads it;
/// and a bad line reads with the same message whether its keys were predicted or not.
final class KeyPredictionTests: XCTestCase {
    private static func kind(_ pairs: [(key: String, value: [UInt8])]) -> Event.Kind? {
        guard let value = pairs.first(where: { $0.key == "k" })?.value else { return nil }
        let name = String(decoding: value.dropFirst().dropLast(), as: UTF8.self)
        return Event.Kind.allCases.first { $0.traceName == name }
    }

    /// The line rewritten: keys shuffled, spaces around keys and colons, unknown keys (short,
    /// longer than a prediction holds, escaped), a key spelled with an escape, and `null` for
    /// optional fields the line lacks; each only sometimes.
    private static func scramble(_ line: ArraySlice<UInt8>, _ random: inout EventGenerator) -> [UInt8] {
        var pairs = TraceLinePairs.pairs(line).map { (key: "\"\($0.key)\"", value: $0.value) }
        if let kind = kind(pairs.map { (String($0.key.dropFirst().dropLast()), $0.value) }), random.chance(50) {
            for spec in TraceSchema.shared.fields[Int(kind.rawValue)]
            where !spec.required && !pairs.contains(where: { $0.key == "\"\(spec.field.key)\"" }) && random.chance(50) {
                pairs.insert((key: "\"\(spec.field.key)\"", value: Array("null".utf8)), at: random.below(pairs.count + 1))
            }
        }
        if random.chance(30) {
            let unknowns = ["\"zz\"", "\"a_rather_long_unknown_key\"", "\"q\\u0071\"", "\"\""]
            let unknown = unknowns[random.below(unknowns.count)]
            pairs.insert((key: unknown, value: Array("[1,{\"a\":[null]},\"s\"]".utf8)), at: random.below(pairs.count + 1))
        }
        if random.chance(20), case let index = random.below(pairs.count), pairs[index].key.count > 3 {
            let key = pairs[index].key
            pairs[index].key = "\"\\u00\(String(key.utf8.dropFirst().first!, radix: 16))\(key.dropFirst(2))"
        }
        if random.chance(50) {
            for index in pairs.indices.dropLast() { pairs.swapAt(index, index + random.below(pairs.count - index)) }
        }
        var out: [UInt8] = Array("{".utf8)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += Array(",".utf8) }
            if random.chance(10) { out += Array(" ".utf8) }
            out += Array(pair.key.utf8)
            if random.chance(10) { out += Array("  ".utf8) }
            out += Array(":".utf8) + pair.value
        }
        return out + Array("}".utf8)
    }

    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 10, omittingEmptySubsequences: false).filter { !$0.isEmpty }
    }

    func testScrambledLinesReadAsTheReferenceReadsThem() throws {
        for seed in 0..<4 as Range<UInt64> {
            let original = TraceWriter.encode(ValidTraceGenerator.tape(seed: seed, events: 1500))
            var random = EventGenerator(seed: seed &+ 100)
            let lines = Self.lines(original)
            var bytes = Array(lines[0]) + [10]
            var scrambled = 0
            for line in lines.dropFirst() {
                // Runs of lines in the writer's order, so predictions are learned, then broken.
                if random.chance(35) {
                    bytes += Self.scramble(line, &random)
                    scrambled += 1
                } else {
                    bytes += line
                }
                bytes.append(10)
            }
            XCTAssertGreaterThan(scrambled, 300)
            let reference = try ReferenceTraceReader.read(bytes)
            let expected = try TraceReader.load(original, file: "original.tdt")
            for chunkSize in [TraceLoader.defaultChunkSize, 4096, 300] {
                let fast = try TraceReader.decode(bytes, file: "scrambled.tdt", chunkSize: chunkSize, validates: true)
                XCTAssertEqual(fast.count, reference.count, "seed \(seed), chunk \(chunkSize)")
                XCTAssertEqual(fast.count, expected.count, "seed \(seed), chunk \(chunkSize)")
                for index in 0..<min(fast.count, reference.count) where fast[index] != reference[index] || fast[index] != expected[index] {
                    XCTFail("seed \(seed), chunk \(chunkSize), line \(fast.traceLine(ofEvent: index) ?? -1): "
                        + "fast \(fast[index]), reference \(reference[index]), original \(expected[index])")
                    break
                }
            }
        }
    }

    /// What decoding `bytes` gives: the events, or the error's line and message.
    private static func outcome(_ bytes: [UInt8]) -> Result<[Event], TraceError> {
        Result { () throws(TraceError) in
            let tape = try TraceReader.decode(bytes, file: "bad.tdt", chunkSize: TraceLoader.defaultChunkSize)
            return (0..<tape.count).map { tape[$0] }
        }
    }

    /// Each line of a generated trace, broken at each of its keys (the value replaced, the pair
    /// dropped, the colon missing, the line ending after the colon), after the lines before it
    /// (whose keys predict its own) and alone after the header (nothing predicted): the same
    /// message, at its own line.
    func testBadLineGivesTheSameMessageWhetherPredictedOrNot() throws {
        let lines = Self.lines(TraceWriter.encode(ValidTraceGenerator.tape(seed: 7, events: 400)))
        let header = Array(lines[0]) + [10]
        var before = header
        var compared = 0
        for (index, line) in lines.enumerated().dropFirst() {
            defer { before += line + [10] }
            guard index % 7 == 3 else { continue }
            let pairs = TraceLinePairs.pairs(line)
            for (position, pair) in pairs.enumerated() {
                func joined(_ replace: (Int, String) -> String?) -> [UInt8] {
                    let parts = pairs.enumerated().compactMap { offset, pair in
                        replace(offset, "\"\(pair.key)\":" + String(decoding: pair.value, as: UTF8.self))
                    }
                    return Array(("{" + parts.joined(separator: ",") + "}").utf8)
                }
                let wrongValue = joined { $0 == position ? "\"\(pair.key)\":@" : $1 }
                let dropped = joined { $0 == position ? nil : $1 }
                let noColon = joined { $0 == position ? "\"\(pair.key)\" " + String(decoding: pair.value, as: UTF8.self) : $1 }
                let cut = Array(String(decoding: joined { $1 }, as: UTF8.self)
                    .components(separatedBy: ",\"\(pair.key)\":")[0].utf8) + Array(",\"\(pair.key)\":".utf8)
                for (what, bad) in [("value", wrongValue), ("dropped", dropped), ("colon", noColon), ("cut", cut)] {
                    let predicted = Self.outcome(before + bad + [10])
                    let alone = Self.outcome(header + bad + [10])
                    switch (predicted, alone) {
                    case let (.failure(.malformed(_, line, message)), .failure(.malformed(_, 2, aloneMessage))):
                        XCTAssertEqual(line, index + 1, "line \(index + 1), key \(pair.key), \(what)")
                        XCTAssertEqual(message, aloneMessage, "line \(index + 1), key \(pair.key), \(what)")
                        compared += 1
                    case let (.success(events), .success(aloneEvents)):
                        XCTAssertEqual(events.last, aloneEvents.last, "line \(index + 1), key \(pair.key), \(what)")
                    default:
                        XCTFail("line \(index + 1), key \(pair.key), \(what): predicted \(predicted), alone \(alone)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 300)
    }
}
