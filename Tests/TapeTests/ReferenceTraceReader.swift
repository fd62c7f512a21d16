@testable import Tape

/// A deliberately simple trace reader — a plain recursive-descent JSON parser (`ReferenceJSON`),
/// one dictionary per line, each field looked up by its key — that the fast byte-level
/// `TraceReader` must agree with.
enum ReferenceTraceReader {
    struct Mismatch: Error { var line: Int; var why: String }

    static func read(_ bytes: [UInt8]) throws -> [Event] {
        var events: [Event] = []
        for (index, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated().dropFirst() {
            guard !line.allSatisfy({ $0 == 0x20 }) else { continue }
            guard case let .object(object) = try ReferenceJSON.parse(line) else {
                throw Mismatch(line: index + 1, why: "not an object")
            }
            if let event = try event(Fields(object: object, line: index + 1)) { events.append(event) }
        }
        return events
    }

    /// One line's fields, read with the types the format gives them.
    struct Fields {
        var object: [String: ReferenceJSON]
        var line: Int

        static func int(_ value: ReferenceJSON?) -> Int? {
            guard case let .number(text) = value else { return nil }
            return Int(text)
        }
        static func array(_ value: ReferenceJSON?) -> [ReferenceJSON] {
            guard case let .array(items) = value else { return [] }
            return items
        }
        func int(_ key: String) throws -> Int {
            guard let value = Self.int(object[key]) else { throw Mismatch(line: line, why: "\(key) is not an integer") }
            return value
        }
        func optionalInt(_ key: String) throws -> Int? { object[key] == nil || object[key] == .null ? nil : try int(key) }
        func string(_ key: String) -> String { optionalString(key) ?? "" }
        func optionalString(_ key: String) -> String? {
            guard case let .string(text) = object[key] else { return nil }
            return text
        }
        func bool(_ key: String) -> Bool { object[key] == .bool(true) }
        func ints(_ key: String) -> [Int] { Self.array(object[key]).compactMap(Self.int) }
        func pairs(_ key: String) -> [(Int, Int)] {
            Self.array(object[key]).map { pair in
                let items = Self.array(pair).compactMap(Self.int)
                return (items[0], items[1])
            }
        }
        func doubles(_ key: String) -> [Double] {
            Self.array(object[key]).map { value in
                switch value {
                case .string("nan"): .nan
                case .string("inf"): .infinity
                case .string("-inf"): -.infinity
                case let .number(text): Double(text)!
                default: .nan
                }
            }
        }
        func site() throws -> CallSite {
            CallSite(line: try int("line"), column: try optionalInt("col") ?? 0, endColumn: try optionalInt("end") ?? 0,
                     file: optionalString("file"), frame: optionalString("frame"))
        }
        func grads() throws -> [TensorValues?] {
            try Self.array(object["grads"]).map { value in
                guard case let .object(gradient) = value else { return nil }
                let fields = Fields(object: gradient, line: line)
                return TensorValues(tensor: try fields.optionalInt("t") ?? -1, shape: fields.ints("shape"), values: fields.doubles("val"))
            }
        }
    }

    private static func event(_ f: Fields) throws -> Event? {
        switch f.string("k") {
        case "tensor":
            return .tensor(TensorInfo(id: try f.int("t"), counter: try f.int("vc"), storage: try f.int("st"), shape: f.ints("shape"),
                                      dtype: f.string("dtype"), requiresGrad: f.bool("rg"), base: try f.optionalInt("base"),
                                      isParameter: f.bool("param"), values: f.doubles("val")))
        case "op":
            return .op(OpRecord(index: try f.int("i"), name: f.string("name"), call: f.string("call"), site: try f.site(),
                                gradMode: f.bool("grad"), inputs: f.pairs("in").map { TensorVersion(tensor: $0.0, version: $0.1) },
                                outputs: f.pairs("out").map { TensorVersion(tensor: $0.0, version: $0.1) },
                                isInPlace: f.bool("inplace"), isView: f.bool("view")))
        case "node":
            let next: [Edge?] = Fields.array(f.object["next"]).map { edge in
                let items = Fields.array(edge).compactMap(Fields.int)
                return items.count == 2 ? Edge(node: items[0], inputNr: items[1]) : nil
            }
            guard case let .number(seq) = f.object["seq"], let sequenceNr = UInt64(seq) else { throw Mismatch(line: f.line, why: "seq") }
            return .node(NodeRecord(id: try f.int("n"), name: f.string("name"), sequenceNr: sequenceNr,
                                    op: try f.optionalInt("op"), next: next, variable: try f.optionalInt("var")))
        case "gradfn":
            return .gradFn(GradFnChange(tensor: try f.int("t"), node: try f.optionalInt("n"), outputNr: try f.int("nr"),
                                        requiresGrad: f.bool("rg"), version: try f.int("v")))
        case "save":
            return .save(SavedSlot(node: try f.int("n"), slot: f.string("slot"), tensor: try f.int("t"), savedVersion: try f.int("v"),
                                   isOutput: f.bool("out"), outputNr: try f.optionalInt("nr") ?? 0, shape: f.ints("shape")))
        case "bump":
            return .bump(VersionBump(counter: try f.int("vc"), tensor: try f.int("t"), from: try f.int("from"), to: try f.int("to"), op: try f.int("op")))
        case "values":
            return .values(TensorValues(tensor: try f.int("t"), shape: f.ints("shape"), values: f.doubles("val")))
        case "bind":
            return .binding(Binding(name: f.string("name"), tensor: try f.int("t"), line: try f.int("line")))
        case "print":
            return .output(f.string("text"))
        case "error":
            return .error(RaisedError(type: f.string("type"), message: f.string("msg"), site: try f.site(), backward: try f.optionalInt("b")))
        case "backward":
            return .backward(BackwardCall(id: try f.int("b"), roots: f.pairs("roots").map { Edge(node: $0.0, inputNr: $0.1) },
                                          site: try f.site(), retainGraph: f.bool("retain")))
        case "run":
            return .nodeRun(NodeRun(backward: try f.int("b"), node: try f.int("n"), incoming: try f.grads()))
        case "result":
            return .nodeResult(NodeResult(backward: try f.int("b"), node: try f.int("n"), outgoing: try f.grads()))
        case "release":
            return .release(node: try f.int("n"))
        case "bwend":
            return .backwardEnd(BackwardEnd(backward: try f.int("b"), failedNode: try f.optionalInt("fail"),
                                            failedSlot: f.optionalString("slot"), message: f.optionalString("msg")))
        case "exit":
            return .exit(code: try f.int("code"))
        default:
            return nil
        }
    }
}
