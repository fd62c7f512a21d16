@testable import Tape

/// A seeded generator of consistent tapes shaped like a training loop (every id announced before
/// use, dense ids, bumps through the right counter), which pass `TraceValidator`: the seeds of
/// the mutation fuzzer and the traces of the loader's property tests.
struct ValidTraceGenerator {
    private var random: EventGenerator
    private var tape = Tape(header: TraceHeader(producer: "generator", path: "train.py", source: "import torch\n"))
    private var tensors = 0, counters = 0, nodes = 0, ops = 0, backwards = 0
    /// Each tensor's version counter and its current version.
    private var counterOf: [Int] = [], versions: [Int] = []

    init(seed: UInt64) { random = EventGenerator(seed: seed) }

    /// A tape of at least `events` events.
    static func tape(seed: UInt64, events: Int) -> Tape {
        var generator = ValidTraceGenerator(seed: seed)
        return generator.make(events: events)
    }

    private mutating func make(events: Int) -> Tape {
        let parameters = (0..<3).map { _ in newTensor(shape: [4, 4], parameter: true) }
        let leafNodes = parameters.map { parameter in
            newNode(name: "torch::autograd::AccumulateGrad", op: nil, next: [], variable: parameter)
        }
        while tape.count < events { step(parameters: parameters, leafNodes: leafNodes) }
        tape.append(.exit(code: random.chance(80) ? 0 : 1))
        return tape
    }

    private mutating func step(parameters: [Int], leafNodes: [Int]) {
        var activation = newTensor(shape: [2, 4], parameter: false)
        var node: Int?
        var graph: [Int] = []
        for (parameter, leaf) in zip(parameters, leafNodes) {
            let output = newTensor(shape: [2, 4], parameter: false)
            let op = newOp("aten::mm", inputs: [activation, parameter], outputs: [output], inPlace: false)
            let next: [Edge?] = [node.map { Edge(node: $0, inputNr: 0) }, Edge(node: leaf, inputNr: 0)]
            let created = newNode(name: "MmBackward0", op: op, next: next, variable: nil)
            tape.append(.gradFn(GradFnChange(tensor: output, node: created, outputNr: 0, requiresGrad: true, version: 0)))
            tape.append(.save(SavedSlot(node: created, slot: "self", tensor: activation, savedVersion: versions[activation],
                                        isOutput: false, outputNr: 0, shape: [2, 4])))
            tape.append(.values(TensorValues(tensor: output, shape: [2, 4], values: random.doubles())))
            tape.append(.binding(Binding(name: "h", tensor: output, line: 3)))
            if random.chance(15) { bumpInPlace(output, "aten::relu_") }
            activation = output
            node = created
            graph.append(created)
        }
        let call = backwards
        backwards += 1
        tape.append(.backward(BackwardCall(id: call, roots: [Edge(node: node!, inputNr: 0)], site: CallSite(line: 7), retainGraph: false)))
        for ran in graph.reversed() + leafNodes {
            let gradient = TensorValues(tensor: random.chance(50) ? -1 : activation, shape: [2, 4], values: random.doubles())
            tape.append(.nodeRun(NodeRun(backward: call, node: ran, incoming: [gradient])))
            tape.append(.nodeResult(NodeResult(backward: call, node: ran, outgoing: [gradient, nil])))
            tape.append(.release(node: ran))
        }
        let fails = random.chance(10)
        tape.append(.backwardEnd(BackwardEnd(backward: call, failedNode: fails ? graph.first : nil,
                                             failedSlot: fails ? "self" : nil, message: fails ? "modified by an inplace operation" : nil)))
        if fails {
            tape.append(.error(RaisedError(type: "RuntimeError", message: "one of the variables needed for gradient computation",
                                           site: CallSite(line: 7), backward: call)))
        }
        for parameter in parameters { bumpInPlace(parameter, "aten::add_.Tensor") }
        if random.chance(20) { tape.append(.output("loss \(random.double())")) }
    }

    private mutating func newTensor(shape: [Int], parameter: Bool) -> Int {
        let id = tensors
        tensors += 1
        let counter = counters
        counters += 1
        counterOf.append(counter)
        versions.append(0)
        tape.append(.tensor(TensorInfo(id: id, counter: counter, storage: counter, shape: shape, dtype: "float32",
                                       requiresGrad: true, isParameter: parameter, values: random.doubles())))
        return id
    }

    private mutating func newNode(name: String, op: Int?, next: [Edge?], variable: Int?) -> Int {
        let id = nodes
        nodes += 1
        tape.append(.node(NodeRecord(id: id, name: name, sequenceNr: variable == nil ? UInt64(id) : NodeRecord.accumulateGradSequenceNr,
                                     op: op, next: next, variable: variable)))
        return id
    }

    private mutating func newOp(_ name: String, inputs: [Int], outputs: [Int], inPlace: Bool) -> Int {
        let index = ops
        ops += 1
        tape.append(.op(OpRecord(index: index, name: name, call: name, site: CallSite(line: 3 + random.below(4)), gradMode: true,
                                 inputs: inputs.map { TensorVersion(tensor: $0, version: versions[$0]) },
                                 outputs: outputs.map { TensorVersion(tensor: $0, version: versions[$0] + (inPlace ? 1 : 0)) },
                                 isInPlace: inPlace)))
        return index
    }

    private mutating func bumpInPlace(_ tensor: Int, _ name: String) {
        let op = newOp(name, inputs: [tensor], outputs: [tensor], inPlace: true)
        tape.append(.bump(VersionBump(counter: counterOf[tensor], tensor: tensor, from: versions[tensor], to: versions[tensor] + 1, op: op)))
        versions[tensor] += 1
    }
}
