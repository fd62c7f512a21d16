/// How a field's value is written in a trace line and stored in a `Tape`.
enum FieldType: UInt8, Sendable {
    /// A signed integer (Swift `Int`).
    case int
    /// An unsigned 64-bit integer (`seq`).
    case uint64
    case bool
    case string
    /// `[int]`, such as a shape.
    case ints
    /// `[[int, int]]`: tensor/version pairs or edges without nulls.
    case pairs
    /// `[[int, int] or null]`: `next_functions`.
    case edges
    /// `[number]`, with `"nan"`, `"inf"`, `"-inf"` for non-finite values.
    case doubles
    /// `[{"t":int,"shape":[int],"val":[number]} or null]`: gradients.
    case grads

    /// What a reader expects, for error messages: `field "t" of "tensor" must be an integer`.
    var expectation: String {
        switch self {
        case .int: "an integer"
        case .uint64: "a non-negative integer below 2^64"
        case .bool: "true or false"
        case .string: "a string"
        case .ints: "an array of integers"
        case .pairs: "an array of [integer, integer] pairs"
        case .edges: "an array of [integer, integer] pairs or nulls"
        case .doubles: "an array of numbers"
        case .grads: "an array of {\"shape\", \"val\"} objects or nulls"
        }
    }
}

/// One field an event kind has in a trace: its type, whether a line must have it, and what it means.
struct FieldSpec: Sendable {
    var field: TraceField
    var type: FieldType
    var required: Bool
    var meaning: String
}

/// The fields of each event kind, in the order writers emit them (docs/trace-format.md).
struct TraceSchema: Sendable {
    static let shared = TraceSchema()

    /// Per kind, its fields in writing order.
    let fields: [[FieldSpec]]
    /// `(kind << 6 | field)` → `FieldType.rawValue + 1`, 0 when the kind has no such field.
    let types: [UInt8]
    /// Per kind, a bit per required field.
    let requiredMasks: [UInt64]

    private init() {
        func f(_ field: TraceField, _ type: FieldType, _ meaning: String) -> FieldSpec {
            FieldSpec(field: field, type: type, required: true, meaning: meaning)
        }
        func o(_ field: TraceField, _ type: FieldType, _ meaning: String) -> FieldSpec {
            FieldSpec(field: field, type: type, required: false, meaning: meaning)
        }
        let site = [
            f(.line, .int, "source line"), o(.column, .int, "first column"), o(.endColumn, .int, "end column"),
            o(.file, .string, "source file"), o(.frame, .string, "library frame"),
        ]
        var fields = [[FieldSpec]](repeating: [], count: Event.Kind.allCases.count)
        for kind in Event.Kind.allCases {
            fields[Int(kind.rawValue)] = switch kind {
            case .tensor: [
                f(.tensor, .int, "tensor id"), f(.counter, .int, "version-counter id"), f(.storage, .int, "storage id"),
                f(.shape, .ints, "sizes"), f(.dtype, .string, "dtype"), f(.requiresGrad, .bool, "requires_grad"),
                o(.base, .int, "base tensor"), o(.param, .bool, "is a parameter"), o(.values, .doubles, "values"),
            ]
            case .op: [
                f(.index, .int, "op index"), f(.name, .string, "aten operator"), o(.call, .string, "Python call"),
            ] + site + [
                f(.gradMode, .bool, "grad mode"), f(.inputs, .pairs, "inputs"), f(.out, .pairs, "outputs"),
                o(.inPlace, .bool, "in-place flag"), o(.view, .bool, "view flag"),
            ]
            case .node: [
                f(.node, .int, "node id"), f(.name, .string, "grad_fn name"), f(.sequenceNr, .uint64, "sequence number"),
                o(.op, .int, "creating op"), o(.next, .edges, "next_functions"), o(.variable, .int, "leaf tensor"),
            ]
            case .gradFn: [
                f(.tensor, .int, "tensor id"), o(.node, .int, "grad_fn node"), f(.outputNr, .int, "output number"),
                f(.requiresGrad, .bool, "requires_grad"), f(.version, .int, "version"),
            ]
            case .save: [
                f(.node, .int, "saving node"), f(.slot, .string, "slot name"), f(.tensor, .int, "saved tensor"),
                f(.version, .int, "saved version"), f(.out, .bool, "saved-output flag"),
                o(.outputNr, .int, "output number"), f(.shape, .ints, "shape when saved"),
            ]
            case .bump: [
                f(.counter, .int, "version-counter id"), f(.tensor, .int, "tensor written through"),
                f(.from, .int, "old version"), f(.to, .int, "new version"), f(.op, .int, "op that wrote"),
            ]
            case .values: [f(.tensor, .int, "tensor id"), f(.shape, .ints, "sizes"), f(.values, .doubles, "values")]
            case .binding: [f(.name, .string, "bound name"), f(.tensor, .int, "tensor id"), f(.line, .int, "source line")]
            case .output: [f(.text, .string, "printed text")]
            case .error: [f(.type, .string, "exception type"), f(.message, .string, "exception message")]
                + site + [o(.backward, .int, "backward call")]
            case .backward: [f(.backward, .int, "backward id"), f(.roots, .pairs, "root edges")]
                + site + [o(.retain, .bool, "retain_graph")]
            case .nodeRun, .nodeResult: [
                f(.backward, .int, "backward id"), f(.node, .int, "node id"), o(.grads, .grads, "gradients"),
            ]
            case .release: [f(.node, .int, "node id")]
            case .backwardEnd: [
                f(.backward, .int, "backward id"), o(.failedNode, .int, "failed node"),
                o(.slot, .string, "failed slot"), o(.message, .string, "error message"),
            ]
            case .exit: [f(.code, .int, "exit code")]
            }
        }
        var types = [UInt8](repeating: 0, count: fields.count << 6)
        var masks = [UInt64](repeating: 0, count: fields.count)
        for (kind, specs) in fields.enumerated() {
            for spec in specs {
                types[kind << 6 | Int(spec.field.rawValue)] = spec.type.rawValue + 1
                if spec.required { masks[kind] |= 1 << UInt64(spec.field.rawValue) }
            }
        }
        self.fields = fields
        self.types = types
        self.requiredMasks = masks
    }

    /// The type of `field` in events of `kind`, nil when that kind has no such field.
    @inline(__always)
    func type(of field: TraceField, in kind: Event.Kind) -> FieldType? {
        let raw = types[Int(kind.rawValue) << 6 | Int(field.rawValue)]
        return raw == 0 ? nil : FieldType(stored: raw - 1)
    }
}
