extension Event {
    /// Which case an event is, without its payload: cheap to read from a `Tape` with `kind(at:)`
    /// (no decoding), so a view can filter or colour rows before it decodes any of them.
    public enum Kind: UInt8, CaseIterable, Hashable, Sendable {
        case tensor, op, node, gradFn, save, bump, values, binding, output, error
        case backward, nodeRun, nodeResult, release, backwardEnd, exit

        /// The event's `"k"` in a trace file (docs/trace-format.md).
        public var traceName: String {
            switch self {
            case .tensor: "tensor"
            case .op: "op"
            case .node: "node"
            case .gradFn: "gradfn"
            case .save: "save"
            case .bump: "bump"
            case .values: "values"
            case .binding: "bind"
            case .output: "print"
            case .error: "error"
            case .backward: "backward"
            case .nodeRun: "run"
            case .nodeResult: "result"
            case .release: "release"
            case .backwardEnd: "bwend"
            case .exit: "exit"
            }
        }
    }

    /// Which case this event is.
    public var kind: Kind {
        switch self {
        case .tensor: .tensor
        case .op: .op
        case .node: .node
        case .gradFn: .gradFn
        case .save: .save
        case .bump: .bump
        case .values: .values
        case .binding: .binding
        case .output: .output
        case .error: .error
        case .backward: .backward
        case .nodeRun: .nodeRun
        case .nodeResult: .nodeResult
        case .release: .release
        case .backwardEnd: .backwardEnd
        case .exit: .exit
        }
    }
}

extension Event.Kind {
    /// Every event kind by its trace name packed like a key, in a perfect hash found once.
    static let byPackedName = PackedNameTable(allCases.map { kind in
        (Array(kind.traceName.utf8).withUnsafeBufferPointer { TraceField.pack($0) }, kind.rawValue)
    })
}
