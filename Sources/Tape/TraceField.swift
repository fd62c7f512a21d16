/// A key of an event line in a trace file. The compact event storage tags each stored value with
/// its field, so the trace writer, the reader and `Tape`'s decoder share one vocabulary.
enum TraceField: UInt8, CaseIterable, Sendable {
    case kind, tensor, counter, storage, shape, dtype, requiresGrad, base, param, values
    case index, name, call, line, column, endColumn, file, frame, gradMode, inputs, out, inPlace, view
    case node, sequenceNr, op, next, variable, outputNr, version, slot, from, to, text, type, message
    case backward, roots, retain, grads, failedNode, code

    /// The JSON key.
    var key: String {
        switch self {
        case .kind: "k"
        case .tensor: "t"
        case .counter: "vc"
        case .storage: "st"
        case .shape: "shape"
        case .dtype: "dtype"
        case .requiresGrad: "rg"
        case .base: "base"
        case .param: "param"
        case .values: "val"
        case .index: "i"
        case .name: "name"
        case .call: "call"
        case .line: "line"
        case .column: "col"
        case .endColumn: "end"
        case .file: "file"
        case .frame: "frame"
        case .gradMode: "grad"
        case .inputs: "in"
        case .out: "out"
        case .inPlace: "inplace"
        case .view: "view"
        case .node: "n"
        case .sequenceNr: "seq"
        case .op: "op"
        case .next: "next"
        case .variable: "var"
        case .outputNr: "nr"
        case .version: "v"
        case .slot: "slot"
        case .from: "from"
        case .to: "to"
        case .text: "text"
        case .type: "type"
        case .message: "msg"
        case .backward: "b"
        case .roots: "roots"
        case .retain: "retain"
        case .grads: "grads"
        case .failedNode: "fail"
        case .code: "code"
        }
    }

    /// A key's UTF-8 bytes packed little-endian into a word; 0 for keys that cannot be a field
    /// (longer than 8 bytes or containing NUL), so matching a key never builds a `String`.
    static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard bytes.count <= 8 else { return 0 }
        var word: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            if byte == 0 { return 0 }
            word |= UInt64(byte) << (8 * UInt64(offset))
        }
        return word
    }

    /// The key packed by `pack`.
    var packedKey: UInt64 {
        Array(key.utf8).withUnsafeBufferPointer { Self.pack($0) }
    }
}

/// A 256-slot perfect hash from packed keys to fields, found once at start-up.
struct KeyTable: Sendable {
    static let shared = KeyTable()

    let multiplier: UInt64
    let keys: [UInt64]
    let fields: [UInt8]

    private init() {
        let packed = TraceField.allCases.map(\.packedKey)
        var multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        while true {
            var keys = [UInt64](repeating: 0, count: 256)
            var fields = [UInt8](repeating: 0, count: 256)
            var collided = false
            for (field, word) in zip(TraceField.allCases, packed) {
                let slot = Int(truncatingIfNeeded: (word &* multiplier) >> 56)
                if keys[slot] != 0 { collided = true; break }
                keys[slot] = word
                fields[slot] = field.rawValue
            }
            if !collided {
                self.multiplier = multiplier
                self.keys = keys
                self.fields = fields
                return
            }
            multiplier = multiplier &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        }
    }
}
