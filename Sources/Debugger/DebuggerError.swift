/// Why a tape cannot be debugged: it refers to things it never announced.
///
/// Event numbers are 0-based positions in the tape; in a trace file event `n` is on line `n + 2`
/// (line 1 is the header).
public enum DebuggerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An event refers to a tensor id that no earlier `tensor` event announced.
    case unknownTensor(id: Int, event: Int)
    /// An event refers to a node id that no earlier `node` event announced.
    case unknownNode(id: Int, event: Int)
    /// An event refers to an op index that no earlier `op` event recorded.
    case unknownOp(index: Int, event: Int)
    /// An event refers to a backward call that no earlier `backward` event started.
    case unknownBackward(id: Int, event: Int)
    /// An id is not the next dense id of its kind (`tensor`, `node`, `op`, `backward`, or a new
    /// `version counter` or `storage`).
    case idOutOfOrder(kind: String, id: Int, expected: Int, event: Int)
    /// A bump names a counter that the tensor it wrote through does not use.
    case counterMismatch(tensor: Int, counter: Int, event: Int)
    /// The tape holds more events or interned strings than the index numbers in 4 bytes
    /// (2,147,483,647 of each).
    case tooLarge(events: Int, strings: Int)

    public var description: String {
        switch self {
        case let .unknownTensor(id, event):
            return "event \(event) (trace line \(event + 2)): refers to tensor t\(id), which no earlier tensor event announced"
        case let .unknownNode(id, event):
            return "event \(event) (trace line \(event + 2)): refers to node n\(id), which no earlier node event announced"
        case let .unknownOp(index, event):
            return "event \(event) (trace line \(event + 2)): refers to op #\(index), which no earlier op event recorded"
        case let .unknownBackward(id, event):
            return "event \(event) (trace line \(event + 2)): refers to backward call b\(id), which no earlier backward event started"
        case let .counterMismatch(tensor, counter, event):
            return "event \(event) (trace line \(event + 2)): bumps version counter vc\(counter) through tensor t\(tensor), which uses another counter"
        case let .tooLarge(events, strings):
            return "the tape holds \(events) events and \(strings) distinct names; the debugger indexes at most \(Int32.max) of each"
        case let .idOutOfOrder(kind, id, expected, event):
            return "event \(event) (trace line \(event + 2)): found \(kind) id \(id), but the next new \(kind) id is \(expected) (ids are dense, in order of first appearance)"
        }
    }
}
