import XCTest
@testable import Tape

final class TraceReaderTests: XCTestCase {
    private let headerLine = #"{"format":"tapedeck-trace","version":"1.0","producer":"t","path":"p.py","source":"x"}"#

    private func read(_ lines: [String], file: String = "run.tdt") throws(TraceError) -> Tape {
        try TraceReader.decode(Array((lines.joined(separator: "\n") + "\n").utf8), file: file)
    }

    private func failure(_ lines: [String], file: String = "run.tdt") -> String? {
        do {
            _ = try read(lines, file: file)
            return nil
        } catch {
            return error.description
        }
    }

    func testReadsHeader() throws {
        let tape = try read([headerLine])
        XCTAssertEqual(tape.header, TraceHeader(producer: "t", path: "p.py", source: "x"))
        XCTAssertEqual(tape.count, 0)
    }

    func testIgnoresUnknownFieldsAndSkipsUnknownKinds() throws {
        let tape = try read([
            #"{"format":"tapedeck-trace","version":"1.7","future":{"a":[1,{"b":null}]},"producer":"t","path":"p","source":""}"#,
            #"{"k":"hologram","t":1,"what":[[[]]]}"#,
            #"{"k":"bump","extra":"x","vc":3,"t":4,"from":0,"to":1,"op":7,"more":[1.5e3,true,null,{"q":"\u0041"}]}"#,
            #"{"k":"wayfuturekind"}"#,
        ])
        XCTAssertEqual(tape.header.version, FormatVersion(major: 1, minor: 7))
        XCTAssertEqual(Array(tape), [.bump(VersionBump(counter: 3, tensor: 4, from: 0, to: 1, op: 7))])
    }

    func testKindNeedNotComeFirstAndNullMeansAbsent() throws {
        let tape = try read([
            headerLine,
            #"{"n":5,"name":"MulBackward0","seq":3,"op":null,"next":[[2,0],null],"var":null,"k":"node"}"#,
            #" { "t" : 4 , "k" : "gradfn" , "n" : null , "nr" : 0 , "rg" : true , "v" : 2 } "#,
            "",
            "   ",
            #"{"k":"exit","code":1}"# + "\r",
        ])
        XCTAssertEqual(Array(tape), [
            .node(NodeRecord(id: 5, name: "MulBackward0", sequenceNr: 3, op: nil, next: [Edge(node: 2, inputNr: 0), nil])),
            .gradFn(GradFnChange(tensor: 4, node: nil, outputNr: 0, requiresGrad: true, version: 2)),
            .exit(code: 1),
        ])
    }

    func testOptionalFieldsTakeTheirDefaults() throws {
        let tape = try read([
            headerLine,
            #"{"k":"tensor","t":0,"vc":0,"st":0,"shape":[2],"dtype":"float32","rg":false}"#,
            #"{"k":"op","i":0,"name":"aten::add_.Tensor","call":"+=","line":9,"grad":true,"in":[[0,0]],"out":[[0,1]]}"#,
            #"{"k":"op","i":1,"name":"aten::detach","call":null,"line":5,"grad":true,"in":[],"out":[],"view":true}"#,
            #"{"k":"save","n":5,"slot":"other","t":4,"v":0,"out":false,"shape":[5]}"#,
            #"{"k":"run","b":0,"n":9,"grads":[{"shape":[],"val":[1]},null,{}]}"#,
            #"{"k":"backward","b":0,"roots":[[9,0]],"line":10}"#,
        ])
        XCTAssertEqual(Array(tape), [
            .tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [2], dtype: "float32", requiresGrad: false)),
            .op(OpRecord(index: 0, name: "aten::add_.Tensor", call: "+=", site: CallSite(line: 9), gradMode: true,
                         inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 0, version: 1)])),
            .op(OpRecord(index: 1, name: "aten::detach", call: "", site: CallSite(line: 5), gradMode: true, inputs: [], outputs: [], isView: true)),
            .save(SavedSlot(node: 5, slot: "other", tensor: 4, savedVersion: 0, isOutput: false, shape: [5])),
            .nodeRun(NodeRun(backward: 0, node: 9, incoming: [
                TensorValues(tensor: -1, shape: [], values: [1]), nil, TensorValues(tensor: -1, shape: [], values: []),
            ])),
            .backward(BackwardCall(id: 0, roots: [Edge(node: 9, inputNr: 0)], site: CallSite(line: 10), retainGraph: false)),
        ])
    }

    func testDecodesStringEscapesAndNonFiniteSpellings() throws {
        let tape = try read([
            headerLine,
            #"{"k":"print","text":"\u00e9\uD83D\uDE00\ud800x\uDC00\n\t\"\\\/\b\f\r\u0000"}"#,
            #"{"k":"values","t":1,"shape":[6],"val":[NaN,Infinity,-Infinity,"inf",1E2,-0]}"#,
        ])
        XCTAssertEqual(tape[0], .output("é😀\u{FFFD}x\u{FFFD}\n\t\"\\/\u{8}\u{C}\r\u{0}"))
        guard case .values(let values) = tape[1] else { return XCTFail("not values") }
        XCTAssertTrue(values.values[0].isNaN)
        XCTAssertEqual(Array(values.values.dropFirst()), [.infinity, -.infinity, .infinity, 100, -0.0])
        XCTAssertEqual(values.values[5].sign, .minus)
    }

    func testParsesDoublesExactly() throws {
        let texts = ["0.1", "0.7310585975646973", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
                     "9007199254740993", "123456789012345678901234567890", "1e-400", "0.30000000000000004", "4.35",
                     "1.00000000000000011102230246251565404236316680908203125", "3.4028234663852886e38"]
        let tape = try read([headerLine, #"{"k":"values","t":1,"shape":[],"val":[\#(texts.joined(separator: ","))]}"#])
        guard case .values(let values) = tape[0] else { return XCTFail("not values") }
        XCTAssertEqual(values.values, texts.map { Double($0)! })
    }

    func testParsesRandomDecimalsLikeTheStandardLibrary() throws {
        var generator = EventGenerator(seed: 3)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digits = String(generator.next() % 10_000_000_000_000_000_000).prefix(1 + generator.below(19))
            let point = generator.below(digits.count + 1)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text += "0" }
            if generator.chance(50) { text += "e\(generator.below(70) - 35)" }
            texts.append(text)
            texts.append(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF).description)
            texts.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7F7F_FFFF)).description)
        }
        let tape = try read([headerLine, #"{"k":"values","t":1,"shape":[],"val":[\#(texts.joined(separator: ","))]}"#])
        guard case .values(let values) = tape[0] else { return XCTFail("not values") }
        for (text, value) in zip(texts, values.values) where Double(text)!.bitPattern != value.bitPattern {
            XCTFail("\(text) read as \(value), expected \(Double(text)!)")
        }
    }

    /// The scanner's fast paths (a key or kind of up to 7 bytes read 8 bytes at once, an
    /// integer of up to 19 digits without overflow checks) agree with the byte-by-byte reading
    /// at their edges: escapes, 7- and 8-byte keys, 19- and 20-digit numbers, the end of the input.
    func testFastPathsAgreeAtTheirEdges() throws {
        let plain = try read([headerLine, #"{"k":"op","i":1,"name":"a","call":"b","line":1,"grad":true,"in":[],"out":[],"inplace":true}"#,
                              #"{"k":"node","n":0,"name":"A","seq":18446744073709551615}"#,
                              #"{"k":"backward","b":0,"line":1,"roots":[]}"#])
        let escaped = try read([headerLine, #"{"k":"op","i":1,"name":"a","call":"b","line":1,"grad":true,"in":[],"out":[],"inplace":true}"#,
                                #"{"k":"node","n":0,"name":"A","seq":0018446744073709551615}"#,
                                #"{"k":"backward","b":0,"line":1,"roots":[]}"#])
        XCTAssertEqual(Array(plain), Array(escaped))
        XCTAssertEqual(plain.count, 3)
        guard case .op(let op) = plain[0], case .node(let node) = plain[1] else { return XCTFail("not op, node") }
        XCTAssertTrue(op.isInPlace)
        XCTAssertEqual(node.sequenceNr, UInt64.max)
        // An 8-byte key is not one of the 7-byte ones it starts with.
        XCTAssertEqual(Array(try read([headerLine, #"{"k":"exit","code":3,"inplacex":1}"#])), [.exit(code: 3)])
        // 19 digits, 20 digits, and one more than the largest value.
        let cases: [(String, Int?)] = [("1234567890123456789", 1_234_567_890_123_456_789), ("9223372036854775807", Int.max),
                                       ("-9223372036854775808", Int.min), ("00000000000000000001", 1),
                                       ("9223372036854775808", nil), ("12345678901234567890", nil)]
        for (text, expected) in cases {
            let line = #"{"k":"exit","code":\#(text)}"#
            if let expected {
                XCTAssertEqual(Array(try read([headerLine, line])), [.exit(code: expected)], text)
            } else {
                XCTAssertEqual(failure([headerLine, line]), #"run.tdt:2: field "code" of "exit" is out of range for a 64-bit integer"#, text)
            }
        }
        XCTAssertTrue(failure([headerLine, #"{"k":"node","n":0,"name":"A","seq":18446744073709551616}"#])?.hasSuffix("is out of range for a 64-bit integer") == true)
        // A key and a number that end the input, with no bytes after them to read ahead.
        let bytes = Array((headerLine + "\n" + #"{"k":"exit","code":7}"#).utf8)
        XCTAssertEqual(Array(try TraceReader.decode(bytes, file: "run.tdt")), [.exit(code: 7)])
    }

    func testErrorsNameFileLineAndWhatWasExpected() {
        let cases: [([String], String)] = [
            ([], "run.tdt:1: expected the trace header"),
            (["garbage"], "run.tdt:1: expected the trace header"),
            ([#"{"version":"1.0"}"#], #"run.tdt:1: expected "format":"tapedeck-trace" in the header"#),
            ([#"{"format":"other","version":"1.0"}"#], #"run.tdt:1: expected "format":"tapedeck-trace" in the header, found "other""#),
            ([#"{"format":"tapedeck-trace","version":"one"}"#], #"run.tdt:1: expected "version" as "MAJOR.MINOR""#),
            ([headerLine, "{}"], #"run.tdt:2: expected "k" (event kind) in object"#),
            ([headerLine, "", #"{"t":1}"#], #"run.tdt:3: expected "k" (event kind) in object"#),
            ([headerLine, #"{"k":"tensor","t":"4"}"#], #"run.tdt:2: field "t" of "tensor" must be an integer"#),
            ([headerLine, #"{"k":"tensor","t":1.5}"#], #"run.tdt:2: field "t" of "tensor" must be an integer"#),
            ([headerLine, #"{"k":"tensor","t":99999999999999999999}"#], #"run.tdt:2: field "t" of "tensor" is out of range"#),
            ([headerLine, #"{"k":"bump","vc":3,"t":4,"from":0,"to":1}"#], #"run.tdt:2: expected "op" (op that wrote) in "bump" event"#),
            ([headerLine, #"{"k":"bump","vc":null,"t":4,"from":0,"to":1,"op":2}"#], #"run.tdt:2: field "vc" of "bump" must be an integer, found null"#),
            ([headerLine, #"{"k":"node","n":1,"name":"A","seq":-1}"#], #"run.tdt:2: field "seq" of "node" must be an integer"#),
            ([headerLine, #"{"k":"op","i":1,"name":"a","call":"b","line":1,"grad":true,"in":[[1]],"out":[]}"#], #"run.tdt:2: expected ',' in a pair of field "in" of "op""#),
            ([headerLine, #"{"k":"tensor","shape":[1,"x"]}"#], #"run.tdt:2: each element of field "shape" of "tensor" must be an integer"#),
            ([headerLine, #"{"k":"print","text":"abc}"#], #"run.tdt:2: expected '"' to close the string before the end of the line"#),
            ([headerLine, #"{"k":"print","text":"a\qb"}"#], #"run.tdt:2: expected an escape"#),
            ([headerLine, #"{"k":"print","text":"\u12G4"}"#], #"run.tdt:2: expected 4 hex digits after \u in string"#),
            ([headerLine, #"{"k":"exit","code":1} x"#], "run.tdt:2: expected the end of the line after the object, found 'x'"),
            ([headerLine, #"{"k":"exit","code":1"#], #"run.tdt:2: expected ',' or '}' in the "exit" event, found end of line"#),
            ([headerLine, #"{"k":"exit" "code":1}"#], #"run.tdt:2: expected ',' or '}' in the "exit" event"#),
            ([headerLine, #"{"k":"rg","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#], "run.tdt:2: expected values nested at most 64 deep"),
        ]
        for (lines, expected) in cases {
            let message = failure(lines)
            XCTAssertTrue(message?.hasPrefix(expected) == true, "\(lines): got \(message ?? "success"), expected \(expected)")
        }
    }

    /// The range checks made after parsing (dense ids) name the file's line too, past blank lines
    /// and lines of kinds this build skips (`sync`), not "event + 2".
    func testRangeErrorsNameTheRealLineOfTheFile() {
        let tensor = #"{"k":"tensor","t":3,"vc":0,"st":0,"shape":[2],"dtype":"float32","rg":false}"#
        let lines = [headerLine, "", #"{"k":"sync","vc":0}"#, "", tensor]
        XCTAssertThrowsError(try TraceReader.load(Array((lines.joined(separator: "\n") + "\n").utf8), file: "run.tdt")) { error in
            XCTAssertEqual((error as? TraceError)?.description,
                           #"run.tdt:5: field "t" of "tensor" is 3, but the next new tensor id is 0 (ids are dense, in order of first appearance)"#)
        }
    }

    func testRejectsNewerMajorVersionNamingFileAndVersions() {
        let message = failure([#"{"format":"tapedeck-trace","version":"2.1","producer":"future"}"#], file: "runs/new.tdt")
        XCTAssertEqual(message, "runs/new.tdt: trace format version 2.1 is newer than this tapedeck reads (1.1); upgrade tapedeck to open it")
        XCTAssertThrowsError(try read([#"{"format":"tapedeck-trace","version":"2.0"}"#])) { error in
            XCTAssertEqual(error as? TraceError, .unsupportedVersion(file: "run.tdt", found: FormatVersion(major: 2, minor: 0), supported: TraceHeader.currentVersion))
        }
    }

    func testMissingFileIsAnIOError() {
        XCTAssertThrowsError(try TraceReader.read(contentsOf: "/nonexistent/dir/x.tdt")) { error in
            XCTAssertEqual((error as? TraceError)?.description, "/nonexistent/dir/x.tdt: cannot open: No such file or directory")
        }
    }

    /// Every prefix of a valid trace, and random bytes, either load or fail with a typed error that
    /// names the file and a line the input has.
    func testTruncationsAndGarbageLoadOrNameTheirLine() {
        var generator = EventGenerator(seed: 7)
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: "é"))
        for _ in 0..<40 { tape.append(generator.event()) }
        let bytes = TraceWriter.encode(tape)
        var loaded = 0
        for length in 0...bytes.count {
            let prefix = Array(bytes[..<length])
            do {
                _ = try TraceReader.decode(prefix, file: "cut.tdt")
                loaded += 1
            } catch {
                assertNamesALine(error, of: prefix, file: "cut.tdt")
            }
        }
        XCTAssertGreaterThan(loaded, 40)
        XCTAssertLessThan(loaded, bytes.count, "a trace cut inside a line must not load")
        var rejected = 0
        for trial in 0..<300 {
            var garbage = Array(bytes.prefix(100))
            for _ in 0..<(trial % 50 + 1) { garbage.append(UInt8(truncatingIfNeeded: generator.next())) }
            garbage += bytes.suffix(from: 100).map { generator.chance(2) ? UInt8(truncatingIfNeeded: generator.next()) : $0 }
            do {
                _ = try TraceReader.decode(garbage, file: "garbage.tdt")
            } catch {
                rejected += 1
                assertNamesALine(error, of: garbage, file: "garbage.tdt")
            }
        }
        XCTAssertEqual(rejected, 300, "every line after the header is garbled, so none of them loads")
    }

    /// A malformed trace's error is `FILE:LINE: what`, with LINE one of the input's lines.
    private func assertNamesALine(_ error: TraceError, of bytes: [UInt8], file: String, line: UInt = #line) {
        guard case .malformed(let name, let number, let message) = error else {
            return XCTFail("expected a malformed-trace error, got \(error.description)", line: line)
        }
        XCTAssertEqual(name, file, line: line)
        XCTAssertFalse(message.isEmpty, line: line)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        XCTAssertTrue((1...max(1, lines)).contains(number), "\(error.description) names a line the \(lines)-line input lacks", line: line)
    }
}
