// The in-order reads of a whole-tape scan (`Tape.scan(into:)`): an event whose fields come in
// the order every trace writer emits them (the schema's, each once: nearly every event) is read
// by testing each expected tag in turn and skipping each unkept field by its known type, instead
// of dispatching on each tag found. Each read returns nil, the event part read, as soon as the
// event departs from that order; the scan then reads it again with the field loop
// (`AnyOrderEvent`). A read keeps only what `TapeVisitor` hands on.

extension EventCursor {
    /// The integer `field` when it comes next.
    @inlinable @inline(__always)
    mutating func int(_ field: TraceField) -> Int? {
        take(field) ? int() : nil
    }

    /// The flag `field` when it comes next.
    @inlinable @inline(__always)
    mutating func flag(_ field: TraceField) -> Bool? {
        take(field) ? bool() : nil
    }

    /// An op's `in` or `out` list, left in place: its count read, its pairs skipped.
    @inlinable @inline(__always)
    mutating func tensorVersionList() -> StoredTensorVersions {
        let count = Int(varint())
        let start = base + position
        skipVarints(2 &* count)
        return StoredTensorVersions(start: start, count: count)
    }

    /// A node's `next` list, left in place.
    @inlinable @inline(__always)
    mutating func edgeList() -> StoredEdges {
        let count = Int(varint())
        let start = base + position
        for _ in 0..<count where bool() { skipVarints(2) }
        return StoredEdges(start: start, count: count)
    }

    @inlinable @inline(__always)
    mutating func tensorInOrder() -> ScannedTensor? {
        guard let id = int(.tensor), let counter = int(.counter), let storage = int(.storage), skipInts(.shape),
              skipVarint(.dtype), let requiresGrad = flag(.requiresGrad) else { return nil }
        let base = int(.base)
        _ = skipFlag(.param)
        _ = skipDoubles(.values)
        guard isAtEnd else { return nil }
        return ScannedTensor(id: id, counter: counter, storage: storage, base: base, requiresGrad: requiresGrad)
    }

    @inlinable @inline(__always)
    mutating func opInOrder() -> ScannedOp? {
        guard let index = int(.index), skipVarint(.name) else { return nil }
        _ = skipVarint(.call)
        guard skipVarint(.line) else { return nil }
        _ = skipVarint(.column)
        _ = skipVarint(.endColumn)
        _ = skipVarint(.file)
        _ = skipVarint(.frame)
        guard skipFlag(.gradMode), take(.inputs) else { return nil }
        let inputs = tensorVersionList()
        guard take(.out) else { return nil }
        let outputs = tensorVersionList()
        _ = skipFlag(.inPlace)
        _ = skipFlag(.view)
        guard isAtEnd else { return nil }
        return ScannedOp(index: index, inputs: inputs, outputs: outputs)
    }

    @inlinable @inline(__always)
    mutating func nodeInOrder() -> ScannedNode? {
        guard let id = int(.node), take(.name) else { return nil }
        let name = stringID()
        guard take(.sequenceNr) else { return nil }
        let sequenceNr = self.sequenceNr()
        let op = int(.op)
        let edges = take(.next) ? edgeList() : StoredEdges(start: base, count: 0)
        let variable = int(.variable)
        guard isAtEnd else { return nil }
        return ScannedNode(id: id, name: name, sequenceNr: sequenceNr, op: op, variable: variable, edges: edges)
    }

    @inlinable @inline(__always)
    mutating func gradFnInOrder() -> GradFnChange? {
        guard let tensor = int(.tensor) else { return nil }
        let node = int(.node)
        guard let outputNr = int(.outputNr), let requiresGrad = flag(.requiresGrad), let version = int(.version), isAtEnd else {
            return nil
        }
        return GradFnChange(tensor: tensor, node: node, outputNr: outputNr, requiresGrad: requiresGrad, version: version)
    }

    @inlinable @inline(__always)
    mutating func saveInOrder() -> ScannedSave? {
        guard let node = int(.node), take(.slot) else { return nil }
        let slot = stringID()
        guard let tensor = int(.tensor), let version = int(.version), let isOutput = flag(.out) else { return nil }
        let outputNr = int(.outputNr) ?? 0
        guard skipInts(.shape), isAtEnd else { return nil }
        return ScannedSave(node: node, slot: slot, tensor: tensor, savedVersion: version, isOutput: isOutput, outputNr: outputNr)
    }

    @inlinable @inline(__always)
    mutating func bumpInOrder() -> VersionBump? {
        guard let counter = int(.counter), let tensor = int(.tensor), let from = int(.from), let to = int(.to), let op = int(.op),
              isAtEnd else { return nil }
        return VersionBump(counter: counter, tensor: tensor, from: from, to: to, op: op)
    }

    /// The tensor of a `values` preview.
    @inlinable @inline(__always)
    mutating func valuesInOrder() -> Int? {
        guard let tensor = int(.tensor), skipInts(.shape), skipDoubles(.values), isAtEnd else { return nil }
        return tensor
    }

    /// The tensor a `bind` names.
    @inlinable @inline(__always)
    mutating func bindingInOrder() -> Int? {
        guard skipVarint(.name), let tensor = int(.tensor), skipVarint(.line), isAtEnd else { return nil }
        return tensor
    }

    /// The backward call and node of a `run` or `result`.
    @inlinable @inline(__always)
    mutating func runInOrder() -> (backward: Int, node: Int)? {
        guard let backward = int(.backward), let node = int(.node) else { return nil }
        _ = skipGrads(.grads)
        guard isAtEnd else { return nil }
        return (backward, node)
    }

    /// The node of a `release`.
    @inlinable @inline(__always)
    mutating func releaseInOrder() -> Int? {
        guard let node = int(.node), isAtEnd else { return nil }
        return node
    }

    /// Whether an `output` holds its text and nothing else.
    @inlinable @inline(__always)
    mutating func outputInOrder() -> Bool {
        skipVarint(.text) && isAtEnd
    }
}
