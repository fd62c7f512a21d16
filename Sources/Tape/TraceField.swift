/// A key of an event line in a trace file. The compact event storage tags each stored value with
/// its field, so the trace writer, the reader and `Tape`'s decoder share one vocabulary.
@usableFromInline
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

extension TraceField {
    /// Every field by its packed key, in a perfect hash found once at start-up.
    static let byPackedKey = PackedNameTable(allCases.map { ($0.packedKey, $0.rawValue) })
}
