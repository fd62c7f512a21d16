import XCTest
@testable import Tape

/// A well-formed chunk is range-checked from what its parser thread noted (`RangeNotes`), ids
/// relative to the chunk since a thread cannot see the ids of the half before its own. Every
/// rule must still fire, with the same message and the bad event's line, when the bad value is
/// in the second thread's half: each case breaks one rule on a line past 60 % of the file, read
/// as one chunk split at its middle, then in small chunks (many chunks, each split in two).
final class RangeNotesTests: XCTestCase {
    private static let tape = ValidTraceGenerator.tape(seed: 7, events: 1000)
    private static let text = TraceWriter.encode(tape)

    /// How many ids of each space the events before `event` announce (the generator gives each
    /// tensor a new version counter and storage, both numbered like counters).
    private struct Counts {
        var tensors = 0, nodes = 0, ops = 0, backwards = 0, counters = 0

        init(before event: Int) {
            for index in 0..<event {
                switch RangeNotesTests.tape[index] {
                case .tensor(let info):
                    tensors += 1
                    counters = max(counters, info.counter + 1)
                case .node: nodes += 1
                case .op: ops += 1
                case .backward: backwards += 1
                default: break
                }
            }
        }
    }

    /// One broken rule: the first event of `kind` past 60 % of the file (with `key`, when
    /// replacing) gets `key` set to `value` (added when the event lacks it), and the load must
    /// fail on that event's line with `message`.
    private struct Case {
        var kind: Event.Kind
        var key: String
        var value: (Counts, Event) -> String
        var message: (Counts, Event) -> String
        var adds = false
    }

    private let cases: [Case] = [
        Case(kind: .tensor, key: "t", value: { c, _ in "\(c.tensors + 1)" }, message: { c, _ in
            #"field "t" of "tensor" is \#(c.tensors + 1), but the next new tensor id is \#(c.tensors) (ids are dense, in order of first appearance)"#
        }),
        Case(kind: .node, key: "n", value: { c, _ in "\(c.nodes - 1)" }, message: { c, _ in
            #"field "n" of "node" is \#(c.nodes - 1), but the next new node id is \#(c.nodes) (ids are dense, in order of first appearance)"#
        }),
        Case(kind: .op, key: "i", value: { c, _ in "\(c.ops + 1)" }, message: { c, _ in
            #"field "i" of "op" is \#(c.ops + 1), but the next new op id is \#(c.ops) (ids are dense, in order of first appearance)"#
        }),
        Case(kind: .backward, key: "b", value: { c, _ in "\(c.backwards + 1)" }, message: { c, _ in
            #"field "b" of "backward" is \#(c.backwards + 1), but the next new backward call id is \#(c.backwards) (ids are dense, in order of first appearance)"#
        }),
        Case(kind: .gradFn, key: "t", value: { c, _ in "\(c.tensors)" }, message: { c, _ in
            #"field "t" of "gradfn" refers to tensor t\#(c.tensors), which no earlier "tensor" event announced"#
        }),
        Case(kind: .release, key: "n", value: { c, _ in "\(c.nodes)" }, message: { c, _ in
            #"field "n" of "release" refers to node n\#(c.nodes), which no earlier "node" event announced"#
        }),
        Case(kind: .nodeRun, key: "b", value: { c, _ in "\(c.backwards)" }, message: { c, _ in
            #"field "b" of "run" refers to backward call b\#(c.backwards), which no earlier "backward" event announced"#
        }),
        Case(kind: .tensor, key: "vc", value: { c, _ in "\(c.counters + 1)" }, message: { c, _ in
            #"field "vc" of "tensor" is \#(c.counters + 1), but the next new version counter id is \#(c.counters) (ids are dense, in order of first appearance)"#
        }),
        Case(kind: .tensor, key: "st", value: { _, _ in "-1" }, message: { c, _ in
            #"field "st" of "tensor" is -1, but the next new storage id is \#(c.counters) (ids are dense, in order of first appearance)"#
        }),
        Case(kind: .tensor, key: "base", value: { c, _ in "\(c.tensors + 1)" }, message: { c, _ in
            #"field "base" of "tensor" refers to tensor t\#(c.tensors + 1), which no earlier "tensor" event announced"#
        }, adds: true),
        Case(kind: .node, key: "op", value: { _, _ in "-1" }, message: { _, _ in
            #"field "op" of "node" must be a non-negative integer, found -1"#
        }),
        Case(kind: .node, key: "op", value: { c, _ in "\(c.ops + 100_000)" }, message: { c, _ in
            #"field "op" of "node" refers to op #\#(c.ops + 100_000), which no "op" event records"#
        }),
        Case(kind: .bump, key: "vc", value: { _, event in
            guard case .bump(let bump) = event else { return "" }
            return "\(bump.counter + 1)"
        }, message: { _, event in
            guard case .bump(let bump) = event else { return "" }
            return #"field "vc" of "bump" is \#(bump.counter + 1), but tensor t\#(bump.tensor) uses vc\#(bump.counter)"#
        }),
        Case(kind: .gradFn, key: "v", value: { _, _ in "-3" }, message: { _, _ in
            #"field "v" of "gradfn" must be a non-negative integer, found -3"#
        }),
        Case(kind: .op, key: "line", value: { _, _ in "-1" }, message: { _, _ in
            #"field "line" of "op" must be a non-negative integer, found -1"#
        }),
        Case(kind: .tensor, key: "shape", value: { _, _ in "[2,-1]" }, message: { _, _ in
            #"field "shape" of "tensor" has size -1; sizes are non-negative"#
        }),
        Case(kind: .save, key: "shape", value: { _, _ in "[4294967296,4294967296]" }, message: { _, _ in
            #"field "shape" of "save" has 2^63 or more elements"#
        }),
        Case(kind: .op, key: "in", value: { c, _ in "[[0,0],[\(c.tensors),0]]" }, message: { c, _ in
            #"field "in" of "op" refers to tensor t\#(c.tensors), which no earlier "tensor" event announced"#
        }),
        Case(kind: .op, key: "out", value: { _, _ in "[[0,-2]]" }, message: { _, _ in
            #"field "out" of "op" has version -2; versions are non-negative"#
        }),
        Case(kind: .node, key: "next", value: { c, _ in "[null,[\(c.nodes),0]]" }, message: { c, _ in
            #"field "next" of "node" refers to node n\#(c.nodes), which no earlier "node" event announced"#
        }),
        Case(kind: .node, key: "next", value: { _, _ in "[[0,-1]]" }, message: { _, _ in
            #"field "next" of "node" has input number -1; input numbers are non-negative"#
        }),
        Case(kind: .backward, key: "roots", value: { c, _ in "[[\(c.nodes),0]]" }, message: { c, _ in
            #"field "roots" of "backward" refers to node n\#(c.nodes), which no earlier "node" event announced"#
        }),
        Case(kind: .nodeRun, key: "grads", value: { c, _ in #"[null,{"t":\#(c.tensors),"shape":[1],"val":[0.5]}]"# }, message: { c, _ in
            #"field "t" of a gradient in field "grads" of "run" refers to tensor t\#(c.tensors), which no earlier "tensor" event announced"#
        }),
        Case(kind: .nodeResult, key: "grads", value: { _, _ in #"[{"t":-1,"shape":[3,-2],"val":[]}]"# }, message: { _, _ in
            #"field "shape" of a gradient in field "grads" of "result" has size -2; sizes are non-negative"#
        }),
    ]

    /// The whole file as one chunk (split at its middle, so the line is in the second half), then small chunks.
    private var sizes: [Int] { [Self.text.count + 1, 4096, 1000, 257] }

    func testEveryRuleFiresInTheSecondThreadsHalfNamingTheLine() throws {
        // Past 256 KiB the header's chunk would be cut short and the file not read as one chunk.
        XCTAssertLessThan(Self.text.count, 256 << 10)
        for rule in cases {
            let (broken, line, expected) = try XCTUnwrap(breaking(rule), "no \(rule.kind.traceName) event with \(rule.key)")
            for size in sizes {
                XCTAssertThrowsError(try TraceReader.decode(broken, file: "r.tdt", chunkSize: size, validates: true)) { error in
                    XCTAssertEqual((error as? TraceError)?.description, "r.tdt:\(line): \(expected)", "chunk size \(size)")
                }
            }
        }
    }

    /// Values at the very edge of their rule (a view of itself, a node naming the next op,
    /// which a later event records) pass from the notes as they did when decoded.
    func testValuesAtTheEdgeOfTheirRulePass() throws {
        let edges = [
            Case(kind: .tensor, key: "base", value: { c, _ in "\(c.tensors)" }, message: { _, _ in "" }, adds: true),
            Case(kind: .node, key: "op", value: { c, _ in "\(c.ops)" }, message: { _, _ in "" }),
            Case(kind: .gradFn, key: "t", value: { c, _ in "\(c.tensors - 1)" }, message: { _, _ in "" }),
        ]
        for edge in edges {
            let (edited, _, _) = try XCTUnwrap(breaking(edge))
            let whole = try TraceReader.decode(edited, file: "e.tdt", chunkSize: edited.count + 1)
            XCTAssertNoThrow(try TraceValidator.check(whole, file: "e.tdt"))
            for size in sizes {
                let read = try TraceReader.decode(edited, file: "e.tdt", chunkSize: size, validates: true)
                XCTAssertEqual(Array(read), Array(whole), "chunk size \(size)")
            }
        }
    }

    /// The trace with `rule` broken, the line broken and the message expected there.
    private func breaking(_ rule: Case) -> (text: [UInt8], line: Int, message: String)? {
        var lines = Self.text.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var offset = 0
        for (index, line) in lines.enumerated() {
            defer { offset += line.utf8.count + 1 }
            let event = index - 1
            guard offset > Self.text.count * 6 / 10, event >= 0, event < Self.tape.count,
                  Self.tape.kind(at: event) == rule.kind else { continue }
            let counts = Counts(before: event)
            let value = rule.value(counts, Self.tape[event])
            if rule.adds {
                lines[index] = String(line.dropLast()) + #","\#(rule.key)":\#(value)}"#
            } else {
                guard let edited = Self.replacing(rule.key, in: line, with: value) else { continue }
                lines[index] = edited
            }
            return (Array(lines.joined(separator: "\n").utf8), index + 1, rule.message(counts, Self.tape[event]))
        }
        return nil
    }

    /// `line` with the value of its first `"key":` replaced by `value` (the writer's lines
    /// are compact and these keys come at the top level before any nested one).
    private static func replacing(_ key: String, in line: String, with value: String) -> String? {
        let bytes = Array(line.utf8)
        let pattern = Array(#""\#(key)":"#.utf8)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: pattern) }) else { return nil }
        let valueStart = start + pattern.count
        var end = valueStart
        var depth = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                if depth == 0 { break }
                depth -= 1
            }
            if byte == UInt8(ascii: ",") && depth == 0 { break }
            end += 1
        }
        return String(decoding: bytes[..<valueStart] + Array(value.utf8) + bytes[end...], as: UTF8.self)
    }
}
