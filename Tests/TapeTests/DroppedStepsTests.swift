import XCTest
@testable import Tape

/// The header's `dropped` field (format 1.1): read, validated and written back.
final class DroppedStepsTests: XCTestCase {
    private let tensor = #"{"k":"tensor","t":0,"vc":0,"st":0,"shape":[3],"dtype":"float32","rg":true}"#

    private func load(_ lines: [String]) throws(TraceError) -> Tape {
        try TraceReader.load(Array((lines.joined(separator: "\n") + "\n").utf8), file: "run.tdt")
    }

    func testReadsTheWindowFromTheHeader() throws {
        let tape = try load([
            #"{"format":"tapedeck-trace","version":"1.1","producer":"p","path":"p.py","source":"","dropped":{"steps":22,"events":3500,"errors":1,"versions":[[0,23]],"later":true}}"#,
            tensor,
        ])
        XCTAssertEqual(tape.header.version, FormatVersion(major: 1, minor: 1))
        XCTAssertEqual(tape.header.dropped, DroppedSteps(steps: 22, events: 3500, errors: 1, versions: [0: 23]))
    }

    func testATraceWithoutAWindowHasNone() throws {
        let tape = try load([#"{"format":"tapedeck-trace","version":"1.0","producer":"p","path":"p.py","source":""}"#])
        XCTAssertNil(tape.header.dropped)
    }

    func testVersionsMustNameAnnouncedCounters() {
        XCTAssertThrowsError(try load([
            #"{"format":"tapedeck-trace","version":"1.1","producer":"p","path":"p.py","source":"","dropped":{"steps":1,"events":2,"errors":0,"versions":[[4,1]]}}"#,
            tensor,
        ])) { error in
            XCTAssertEqual((error as? TraceError)?.description,
                           #"run.tdt:1: "versions" of "dropped" names vc4, which no "tensor" event announces"#)
        }
    }

    func testMalformedWindowNamesTheField() {
        XCTAssertThrowsError(try load([
            #"{"format":"tapedeck-trace","version":"1.1","producer":"p","path":"p.py","source":"","dropped":{"steps":-1}}"#,
        ])) { error in
            XCTAssertEqual((error as? TraceError)?.description,
                           #"run.tdt:1: field "steps" of "dropped" must be a non-negative integer, found -1"#)
        }
    }

    func testWriterWritesVersion11OnlyWithAWindow() throws {
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: ""))
        tape.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [3], dtype: "float32", requiresGrad: true)))
        let plain = String(decoding: TraceWriter.encode(tape), as: UTF8.self)
        XCTAssertTrue(plain.hasPrefix(#"{"format":"tapedeck-trace","version":"1.0","#))
        XCTAssertFalse(plain.contains("dropped"))

        tape.header.dropped = DroppedSteps(steps: 3, events: 40, errors: 0, versions: [0: 2])
        let windowed = TraceWriter.encode(tape)
        XCTAssertTrue(String(decoding: windowed, as: UTF8.self)
            .contains(#""version":"1.1","#))
        let back = try TraceReader.load(windowed, file: "w.tdt")
        XCTAssertEqual(back.header.dropped, tape.header.dropped)
        XCTAssertEqual(Array(back), Array(tape))
    }
}
