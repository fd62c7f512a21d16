import XCTest
@testable import Tape

/// Property: on generated traces, the fast loader and `ReferenceTraceReader` read the same
/// event from every line. (Foundation's `JSONSerialization` cannot be the reference:
/// on Linux it rounds some 17-digit doubles wrongly, by up to tens of ulp.)
final class LoaderAgreementTests: XCTestCase {
    func testFastLoaderAgreesWithReferenceReaderOnEveryEvent() throws {
        for seed in 0..<6 as Range<UInt64> {
            let bytes = TraceWriter.encode(ValidTraceGenerator.tape(seed: seed, events: seed == 5 ? 12_000 : 800))
            let fast = try TraceReader.load(bytes, file: "generated.tdt")
            let reference = try ReferenceTraceReader.read(bytes)
            XCTAssertEqual(fast.count, reference.count, "seed \(seed)")
            for (index, event) in reference.enumerated() where index < fast.count && fast[index] != event {
                XCTFail("seed \(seed), line \(fast.traceLine(ofEvent: index) ?? -1): fast \(fast[index]), reference \(event)")
                break
            }
        }
    }

    /// The same on arbitrary events (extreme ids, escapes, non-finite values), which the codec
    /// must carry even where the range checks would refuse them.
    func testCodecAgreesWithReferenceReaderOnArbitraryEvents() throws {
        var generator = EventGenerator(seed: 11)
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: ""))
        for _ in 0..<2000 { tape.append(generator.event()) }
        let bytes = TraceWriter.encode(tape)
        let fast = try TraceReader.decode(bytes, file: "arbitrary.tdt")
        let reference = try ReferenceTraceReader.read(bytes)
        XCTAssertEqual(fast.count, reference.count)
        var mismatches = 0
        for (index, event) in reference.enumerated() where fast[index] != event && "\(fast[index])" != "\(event)" {
            mismatches += 1
            if mismatches < 3 { XCTFail("event \(index): fast \(fast[index]), reference \(event)") }
        }
    }
}
