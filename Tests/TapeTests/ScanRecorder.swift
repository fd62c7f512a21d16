import XCTest
@testable import Tape

/// A `TapeVisitor` that writes down what the scan hands it, each event's fields in a comparable
/// form (lists walked into arrays, interned names as strings), and what the full decoder says the
/// same event holds: the reference the scan's tests compare it with.
struct ScanRecorder: TapeVisitor {
    /// The fields one visitor call received.
    enum Fields: Equatable {
        case tensor(ScannedTensor)
        case op(index: Int, inputs: [TensorVersion], outputs: [TensorVersion])
        case node(id: Int, name: String?, sequenceNr: UInt64, op: Int?, variable: Int?, edges: [Edge?])
        case gradFn(GradFnChange)
        case save(node: Int, slot: String?, tensor: Int, savedVersion: Int, isOutput: Bool, outputNr: Int)
        case bump(VersionBump)
        case values(tensor: Int)
        case binding(tensor: Int)
        case output
        case run(backward: Int, node: Int)
        case result(backward: Int, node: Int)
        case release(node: Int)
        case other(Event.Kind)
    }

    struct Visit: Equatable {
        let position: Int
        let fields: Fields
    }

    /// Thrown at the event `stop` names.
    struct Stop: Error, Equatable {
        let position: Int
    }

    let tape: Tape
    /// The position at which to throw `Stop`, after writing the event down.
    var stop: Int?
    private(set) var visits: [Visit] = []

    init(tape: Tape, stop: Int? = nil) {
        self.tape = tape
        self.stop = stop
    }

    /// What a scan of `tape` hands its visitor, event by event.
    static func visits(of tape: Tape) throws -> [Visit] {
        var recorder = ScanRecorder(tape: tape)
        try tape.scan(into: &recorder)
        return recorder.visits
    }

    /// What the scan should hand on for event `position`, from the event decoded whole.
    static func fields(decoding tape: Tape, at position: Int) -> Fields {
        switch tape[position] {
        case let .tensor(t):
            .tensor(ScannedTensor(id: t.id, counter: t.counter, storage: t.storage, base: t.base, requiresGrad: t.requiresGrad))
        case let .op(o): .op(index: o.index, inputs: o.inputs, outputs: o.outputs)
        case let .node(n): .node(id: n.id, name: n.name, sequenceNr: n.sequenceNr, op: n.op, variable: n.variable, edges: n.next)
        case let .gradFn(change): .gradFn(change)
        case let .save(s):
            .save(node: s.node, slot: s.slot, tensor: s.tensor, savedVersion: s.savedVersion, isOutput: s.isOutput, outputNr: s.outputNr)
        case let .bump(bump): .bump(bump)
        case let .values(v): .values(tensor: v.tensor)
        case let .binding(b): .binding(tensor: b.tensor)
        case .output: .output
        case let .nodeRun(r): .run(backward: r.backward, node: r.node)
        case let .nodeResult(r): .result(backward: r.backward, node: r.node)
        case let .release(node): .release(node: node)
        case let event: .other(event.kind)
        }
    }

    private mutating func record(_ fields: Fields, at position: Int) throws(Stop) {
        visits.append(Visit(position: position, fields: fields))
        if position == stop { throw Stop(position: position) }
    }

    private func name(_ id: Int?) -> String? { id.map(tape.internedString) }

    mutating func visitTensor(_ tensor: ScannedTensor, at position: Int) throws(Stop) {
        try record(.tensor(tensor), at: position)
    }

    mutating func visitOp(_ op: ScannedOp, at position: Int) throws(Stop) {
        var (inputs, outputs): ([TensorVersion], [TensorVersion]) = ([], [])
        op.inputs.forEach { inputs.append($0) }
        op.outputs.forEach { outputs.append($0) }
        XCTAssertEqual([op.inputs.count, op.outputs.count], [inputs.count, outputs.count])
        try record(.op(index: op.index, inputs: inputs, outputs: outputs), at: position)
    }

    mutating func visitNode(_ node: ScannedNode, at position: Int) throws(Stop) {
        var edges: [Edge?] = []
        node.edges.forEach { edges.append($0) }
        try record(
            .node(id: node.id, name: name(node.name), sequenceNr: node.sequenceNr, op: node.op, variable: node.variable, edges: edges),
            at: position)
    }

    mutating func visitGradFn(_ change: GradFnChange, at position: Int) throws(Stop) {
        try record(.gradFn(change), at: position)
    }

    mutating func visitSave(_ save: ScannedSave, at position: Int) throws(Stop) {
        try record(
            .save(
                node: save.node, slot: name(save.slot), tensor: save.tensor, savedVersion: save.savedVersion, isOutput: save.isOutput,
                outputNr: save.outputNr),
            at: position)
    }

    mutating func visitBump(_ bump: VersionBump, at position: Int) throws(Stop) {
        try record(.bump(bump), at: position)
    }

    mutating func visitValues(ofTensor tensor: Int, at position: Int) throws(Stop) {
        try record(.values(tensor: tensor), at: position)
    }

    mutating func visitBinding(ofTensor tensor: Int, at position: Int) throws(Stop) {
        try record(.binding(tensor: tensor), at: position)
    }

    mutating func visitOutput(at position: Int) throws(Stop) {
        try record(.output, at: position)
    }

    mutating func visitRun(backward: Int, node: Int, at position: Int) throws(Stop) {
        try record(.run(backward: backward, node: node), at: position)
    }

    mutating func visitResult(backward: Int, node: Int, at position: Int) throws(Stop) {
        try record(.result(backward: backward, node: node), at: position)
    }

    mutating func visitRelease(node: Int, at position: Int) throws(Stop) {
        try record(.release(node: node), at: position)
    }

    mutating func visitOther(_ kind: Event.Kind, at position: Int) throws(Stop) {
        try record(.other(kind), at: position)
    }
}
