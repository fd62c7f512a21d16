import Tape
import TestSupport

/// Generates the tape of a plausible training loop — a 3-layer MLP with Adam — until it holds
/// `events` events: forward ops with their tensors, grad_fn nodes, saved tensors and bindings,
/// backward with node runs (scalar or 8-value gradient previews) and releases, optimizer
/// in-place ops with version bumps and 8-value previews, and a print every 10 steps.
struct TrainingLoopTrace {
    private var tape: Tape
    private var generator = SplitMix64(seed: 0x1234_5678)
    private var nextTensor = 0, nextCounter = 0, nextNode = 0, nextOp = 0, nextBackward = 0
    private var sequenceNr: UInt64 = 0
    private let target: Int

    static func make(events: Int) -> Tape {
        var trace = TrainingLoopTrace(events: events)
        trace.run()
        return trace.tape
    }

    private init(events: Int) {
        target = events
        let source = (1...60).map { "line \($0) of train.py" }.joined(separator: "\n")
        tape = Tape(header: TraceHeader(producer: "tapedeck-bench", path: "train.py", source: source))
    }

    private mutating func random() -> UInt64 { generator.next() }

    /// A float32 value widened to double, as a real float32 tensor's preview holds.
    private mutating func value() -> Double {
        Double(Float(Double(random() % 2_000_000) / 1_000_000 - 1) * 0.731)
    }

    private mutating func preview(_ count: Int = 8) -> [Double] { (0..<count).map { _ in value() } }

    private mutating func emit(_ event: Event) {
        if tape.count < target { tape.append(event) }
    }

    private mutating func tensor(shape: [Int], requiresGrad: Bool, parameter: Bool = false, values: Bool) -> Int {
        let id = nextTensor
        nextTensor += 1
        nextCounter += 1
        emit(.tensor(TensorInfo(id: id, counter: nextCounter - 1, storage: nextCounter - 1, shape: shape, dtype: "float32",
                                requiresGrad: requiresGrad, isParameter: parameter, values: values ? preview() : [])))
        return id
    }

    private mutating func node(_ name: String, op: Int?, next: [Edge?], variable: Int? = nil) -> Int {
        let id = nextNode
        nextNode += 1
        let seq: UInt64 = variable == nil ? sequenceNr : NodeRecord.accumulateGradSequenceNr
        if variable == nil { sequenceNr += 1 }
        emit(.node(NodeRecord(id: id, name: name, sequenceNr: seq, op: op, next: next, variable: variable)))
        return id
    }

    private mutating func op(_ name: String, call: String, line: Int, grad: Bool, inputs: [TensorVersion],
                             outputs: [TensorVersion], inPlace: Bool = false) -> Int {
        let index = nextOp
        nextOp += 1
        emit(.op(OpRecord(index: index, name: name, call: call, site: CallSite(line: line, column: 9, endColumn: 31),
                          gradMode: grad, inputs: inputs, outputs: outputs, isInPlace: inPlace)))
        return index
    }

    private mutating func run() {
        var parameters: [(tensor: Int, node: Int, version: Int)] = []
        for (layer, shape) in [[64, 32], [64], [64, 64], [64], [10, 64], [10]].enumerated() {
            let tensor = tensor(shape: shape, requiresGrad: true, parameter: true, values: true)
            emit(.binding(Binding(name: "layer\(layer / 2).\(layer % 2 == 0 ? "weight" : "bias")", tensor: tensor, line: 5 + layer)))
            parameters.append((tensor, node("torch::autograd::AccumulateGrad", op: nil, next: [], variable: tensor), 0))
        }
        var step = 0
        while tape.count < target {
            let input = tensor(shape: [32, 32], requiresGrad: false, values: true)
            var activation = input
            var previousNode: Int?
            var nodes: [Int] = []
            for layer in 0..<3 {
                let (weight, bias) = (parameters[2 * layer], parameters[2 * layer + 1])
                let output = tensor(shape: [32, layer == 2 ? 10 : 64], requiresGrad: true, values: layer == 2)
                let index = op("aten::addmm", call: "nn.Linear", line: 20 + layer, grad: true,
                               inputs: [TensorVersion(tensor: bias.tensor, version: bias.version),
                                        TensorVersion(tensor: activation, version: 0),
                                        TensorVersion(tensor: weight.tensor, version: weight.version)],
                               outputs: [TensorVersion(tensor: output, version: 0)])
                let addmm = node("AddmmBackward0", op: index,
                                 next: [Edge(node: bias.node, inputNr: 0), previousNode.map { Edge(node: $0, inputNr: 0) },
                                        Edge(node: weight.node, inputNr: 0)])
                emit(.gradFn(GradFnChange(tensor: output, node: addmm, outputNr: 0, requiresGrad: true, version: 0)))
                emit(.save(SavedSlot(node: addmm, slot: "mat1", tensor: activation, savedVersion: 0, isOutput: false, shape: [32, layer == 0 ? 32 : 64])))
                emit(.save(SavedSlot(node: addmm, slot: "mat2", tensor: weight.tensor, savedVersion: weight.version, isOutput: false, shape: [64, 64])))
                nodes.append(addmm)
                activation = output
                previousNode = addmm
                guard layer < 2 else { break }
                let relu = tensor(shape: [32, 64], requiresGrad: true, values: false)
                let reluOp = op("aten::relu", call: "torch.relu", line: 23 + layer, grad: true,
                                inputs: [TensorVersion(tensor: output, version: 0)], outputs: [TensorVersion(tensor: relu, version: 0)])
                let reluNode = node("ReluBackward0", op: reluOp, next: [Edge(node: addmm, inputNr: 0)])
                emit(.gradFn(GradFnChange(tensor: relu, node: reluNode, outputNr: 0, requiresGrad: true, version: 0)))
                emit(.save(SavedSlot(node: reluNode, slot: "result", tensor: relu, savedVersion: 0, isOutput: true, shape: [32, 64])))
                emit(.binding(Binding(name: "h", tensor: relu, line: 23 + layer)))
                nodes.append(reluNode)
                activation = relu
                previousNode = reluNode
            }
            let loss = tensor(shape: [], requiresGrad: true, values: true)
            let lossOp = op("aten::mse_loss", call: "F.mse_loss", line: 30, grad: true,
                            inputs: [TensorVersion(tensor: activation, version: 0)], outputs: [TensorVersion(tensor: loss, version: 0)])
            let lossNode = node("MseLossBackward0", op: lossOp, next: [previousNode.map { Edge(node: $0, inputNr: 0) }])
            emit(.gradFn(GradFnChange(tensor: loss, node: lossNode, outputNr: 0, requiresGrad: true, version: 0)))
            emit(.save(SavedSlot(node: lossNode, slot: "self", tensor: activation, savedVersion: 0, isOutput: false, shape: [32, 10])))
            emit(.binding(Binding(name: "loss", tensor: loss, line: 30)))
            nodes.append(lossNode)
            if step % 10 == 0 { emit(.output("step \(step) loss \(value())\n")) }

            let backward = nextBackward
            nextBackward += 1
            emit(.backward(BackwardCall(id: backward, roots: [Edge(node: lossNode, inputNr: 0)],
                                        site: CallSite(line: 31, column: 5, endColumn: 20), retainGraph: false)))
            for node in nodes.reversed() + parameters.map(\.node) {
                emit(.nodeRun(NodeRun(backward: backward, node: node, incoming: [TensorValues(tensor: -1, shape: [32, 64], values: preview())])))
                emit(.nodeResult(NodeResult(backward: backward, node: node, outgoing: [TensorValues(tensor: -1, shape: [32, 64], values: preview()), nil])))
                emit(.release(node: node))
            }
            emit(.backwardEnd(BackwardEnd(backward: backward)))

            for (position, parameter) in parameters.enumerated() {
                var version = parameter.version
                for name in ["aten::mul_.Tensor", "aten::add_.Tensor", "aten::addcmul_", "aten::addcdiv_"] {
                    let index = op(name, call: "Adam.step", line: 33, grad: false,
                                   inputs: [TensorVersion(tensor: parameter.tensor, version: version)],
                                   outputs: [TensorVersion(tensor: parameter.tensor, version: version + 1)], inPlace: true)
                    emit(.bump(VersionBump(counter: parameter.tensor, tensor: parameter.tensor, from: version, to: version + 1, op: index)))
                    emit(.values(TensorValues(tensor: parameter.tensor, shape: [64, 64], values: preview())))
                    version += 1
                }
                parameters[position].version = version
            }
            step += 1
        }
        emit(.exit(code: 0))
    }
}
