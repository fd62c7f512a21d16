import XCTest
@testable import Tape

/// The reader reads a trace a chunk at a time (`TraceLoader`): lines straddle chunk boundaries,
/// chunks are parsed in two halves, and line numbers, warnings and errors must not depend on
/// where the chunks fall.
final class TraceChunkTests: XCTestCase {
    private let sizes = [64, 100, 257, 1000, 4096, 1 << 20]

    func testEveryChunkSizeReadsTheSameTapeAndLines() throws {
        let tape = ValidTraceGenerator.tape(seed: 4, events: 3000)
        var lines = TraceWriter.encode(tape).split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        for position in stride(from: lines.count - 2, to: 1, by: -37) { lines.insert(Array(#"{"k":"sync"}"#.utf8), at: position) }
        lines.insert([], at: 5)
        let text = Array(lines.joined(separator: [10]))
        let whole = try TraceReader.decode(text, file: "t.tdt", chunkSize: text.count + 1, validates: true)
        XCTAssertEqual(whole.count, tape.count)
        XCTAssertEqual(Array(whole), Array(tape))
        for size in sizes {
            let read = try TraceReader.decode(text, file: "t.tdt", chunkSize: size, validates: true)
            XCTAssertEqual(Array(read), Array(tape), "chunk size \(size)")
            XCTAssertEqual(read.indices.map { read.traceLine(ofEvent: $0) }, whole.indices.map { whole.traceLine(ofEvent: $0) },
                           "chunk size \(size)")
        }
    }

    func testErrorsAndCutOffWarningNameTheSameLineWhateverTheChunks() throws {
        let tape = ValidTraceGenerator.tape(seed: 9, events: 600)
        let text = TraceWriter.encode(tape)
        let lineStarts = [0] + text.indices.filter { text[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        for badLine in [2, lineStarts.count / 2, lineStarts.count - 2] {
            var broken = text
            broken.replaceSubrange(lineStarts[badLine - 1]..<lineStarts[badLine] - 1, with: Array(#"{"k":"exit","code":"x"}"#.utf8))
            for size in sizes {
                XCTAssertThrowsError(try TraceReader.decode(broken, file: "b.tdt", chunkSize: size)) { error in
                    XCTAssertEqual((error as? TraceError)?.description,
                                   #"b.tdt:\#(badLine): field "code" of "exit" must be an integer, found '"'"#, "chunk size \(size)")
                }
            }
        }
        let cut = Array(text.dropLast(9))
        for size in sizes {
            let read = try TraceReader.decode(cut, file: "c.tdt", chunkSize: size, validates: true)
            XCTAssertEqual(read.count, tape.count - 1, "chunk size \(size)")
            XCTAssertEqual(read.warnings, [.cutOffLastLine(file: "c.tdt", line: lineStarts.count - 1, events: tape.count - 1)])
        }
    }

    /// A prefix handed out while loading ends before any event that names an op not read yet,
    /// so it indexes like a whole tape.
    func testCompletePrefixResolvesEveryReference() throws {
        let text = TraceWriter.encode(ValidTraceGenerator.tape(seed: 2, events: 4000))
        try text.withUnsafeBufferPointer { buffer in
            let loader = try TraceLoader(bytes: buffer, file: "p.tdt", validates: true, chunkSize: 3000)
            var prefixes = 0
            while try loader.loadChunk() {
                let prefix = loader.completePrefix()
                XCTAssertLessThanOrEqual(prefix.count, loader.tape.count)
                XCTAssertNoThrow(try TraceValidator.check(prefix, file: "p.tdt"), "prefix of \(prefix.count) events")
                XCTAssertEqual(Array(prefix), Array(loader.tape.prefix(prefix.count)))
                prefixes += 1
            }
            XCTAssertGreaterThan(prefixes, 3)
            XCTAssertTrue(loader.isComplete)
        }
    }
}
