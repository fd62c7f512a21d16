import Tape

/// The debugger over one recorded run: state at any point of the tape, backward calls replayed
/// node by node in PyTorch's order, and the diagnosis of every autograd error.
///
/// Building one indexes the tape once (linear time) and replays every backward call from the
/// tape alone; every other question is answered on demand, so a view only pays for what it shows.
/// Positions are in `0...eventCount`: the state "at position p" is the state after events
/// `0..<p`, so position 0 is before anything ran and `eventCount` is the end of the run.
public struct Debugger: Sendable {
    public let tape: Tape
    public let source: SourceText
    /// Every backward call, replayed in order, each finding the graph as earlier calls left it.
    public let replays: [BackwardReplay]
    /// The index, shared with every `Replayer` and `Blame` made from this debugger.
    let indexReference: IndexReference
    var index: TapeIndex { indexReference.index }
    /// The backward call that freed each node's saved variables, by node id.
    private let freedBy: [Int?]

    /// Indexes `tape` and replays its backward calls; throws when the tape refers to a tensor,
    /// node, op or backward call it never announced.
    public init(tape: Tape) throws(DebuggerError) {
        self.tape = tape
        indexReference = IndexReference(try TapeIndex(tape))
        source = SourceText(tape.header.source)
        (replays, freedBy) = Replayer(index: indexReference).replayAll()
    }

    // MARK: The recorded run

    public var eventCount: Int { index.eventCount }
    public var opCount: Int { index.opCount }
    public var nodeCount: Int { index.nodes.count }
    public var tensorCount: Int { index.tensors.count }

    public func op(_ opIndex: Int) -> OpRecord { index.op(opIndex) }
    /// The tape position of op `opIndex`'s `op` event.
    public func position(ofOp opIndex: Int) -> Int { index.position(ofOp: opIndex) }
    /// One past the last event of op `opIndex` (its nodes, grad_fn changes, saves and bumps).
    public func endPosition(ofOp opIndex: Int) -> Int { index.endPosition(ofOp: opIndex) }
    /// The number of ops recorded before `position`; the op at the cursor is this minus one.
    public func opCount(at position: Int) -> Int { index.opCount(before: position) }
    public func node(_ id: Int) -> NodeRecord { index.node(id) }
    public func tensorInfo(_ id: Int) -> TensorInfo { index.tensorInfo(id) }
    /// The exit code the run ended with, if the tape records it.
    public var exitCode: Int? { index.exitCode }
    /// How the run ended: completed, `exit()`, an uncaught exception, or a tape cut short.
    public var end: RunEnd { RunEnd(exitCode: index.exitCode, lastError: index.errors.last?.error) }

    // MARK: State at a position

    /// The number of tensors announced before `position` (ids `0..<n`).
    public func tensorCount(at position: Int) -> Int { index.tensorCount(before: position) }

    /// Tensor `id` as it was at `position`.
    public func tensor(_ id: Int, at position: Int) -> TensorState {
        let info = index.tensorInfo(id)
        let change = index.gradFns[id].value(before: position)
        let replayer = Replayer(index: indexReference)
        let latest = index.latestValues(of: id, before: position)
        return TensorState(
            info: info,
            name: index.name(of: id, before: position),
            version: index.version(of: id, before: position),
            shape: latest?.shape ?? info.shape,
            gradFn: change?.node,
            gradFnName: replayer.currentGradFnName(of: id, at: position),
            outputNr: change?.outputNr ?? 0,
            requiresGrad: replayer.requiresGrad(id, at: position),
            values: latest?.values ?? info.values)
    }

    /// The tensors announced before `position`, optionally only the ids in `range` (for paging).
    public func tensors(at position: Int, in range: Range<Int>? = nil) -> [TensorState] {
        let all = 0..<tensorCount(at: position)
        return (range?.clamped(to: all) ?? all).map { tensor($0, at: position) }
    }

    /// The number of saved variables recorded before `position`.
    public func savedCount(at position: Int) -> Int { index.saveCount(before: position) }

    /// The saved variables recorded before `position` in save order (optionally a page of them),
    /// each with its saved and current version and whether unpacking it would succeed there.
    public func savedValues(at position: Int, in range: Range<Int>? = nil) -> [SavedValue] {
        let all = 0..<savedCount(at: position)
        return (range?.clamped(to: all) ?? all).map { i in
            savedValue(index.saveList[i], at: position)
        }
    }

    /// The saved variables unpacked when node `id` runs, in unpack order, as seen at `position`
    /// (for `CopySlices`, those of the node it wraps).
    public func savedValues(ofNode id: Int, at position: Int) -> [SavedValue] {
        index.unpackedSaves(of: id).filter { $0.event < position }.map { savedValue($0, at: position) }
    }

    /// The in-place op's node a `CopySlices` node wraps, when the tape records it.
    public func wrappedNode(of id: Int) -> Int? { index.wrapped[id] }

    private func savedValue(_ save: TapeIndex.Save, at position: Int) -> SavedValue {
        let freed = freedBy[save.node].flatMap { replays[$0].event < position ? $0 : nil }
        return Replayer(index: indexReference).savedValue(save, at: position, freedBy: freed)
    }

    /// The grad_fn graph below `node` as it was at `position`: `next_functions` down to
    /// `AccumulateGrad`, `depth` levels deep, each node with its saved variables. A node reached a
    /// second time is listed without its subtree (`isRepeat`).
    public func graph(from node: Int, at position: Int, depth: Int = 8) -> GradFnTree {
        var expanded = Set<Int>()
        return subtree(node, edge: 0, inputNr: 0, at: position, depth: depth, expanded: &expanded)
    }

    private func subtree(_ id: Int, edge: Int, inputNr: Int, at position: Int, depth: Int, expanded: inout Set<Int>) -> GradFnTree {
        let record = index.node(id)
        var tree = GradFnTree(
            node: id, name: record.name, sequenceNr: record.sequenceNr, op: record.op, variable: record.variable,
            edge: edge, inputNr: inputNr, saved: savedValues(ofNode: id, at: position))
        guard expanded.insert(id).inserted else {
            tree.isRepeat = true
            return tree
        }
        guard depth > 0 else {
            tree.isTruncated = !record.next.allSatisfy { $0 == nil }
            return tree
        }
        for (slot, next) in record.next.enumerated() {
            guard let next else { continue }
            tree.children.append(subtree(
                next.node, edge: slot, inputNr: next.inputNr, at: position, depth: depth - 1, expanded: &expanded))
        }
        return tree
    }

    // MARK: Diagnosis

    /// Diagnoses every autograd error raised during the run (caught or not) and warns about
    /// mutations PyTorch cannot detect.
    public func explain() -> ExplainReport {
        let blame = Blame(index: indexReference, replays: replays, freedBy: freedBy, source: source)
        return ExplainReport(path: tape.header.path, source: source, diagnoses: blame.diagnoses(), end: end,
                             dropped: tape.header.dropped)
    }

    /// The program's latest name for `tensor` before `position`, or `t<id>` when it has none.
    public func label(of tensor: Int, at position: Int) -> String {
        Blame(index: indexReference, replays: replays, freedBy: freedBy, source: source).label(of: tensor, before: position)
    }

    /// `label(of:at:)` of each (tensor, position), set up once for all of them (a search table
    /// labels every tensor of a tape).
    public func labels(of tensors: [(tensor: Int, position: Int)]) -> [String] {
        let blame = Blame(index: indexReference, replays: replays, freedBy: freedBy, source: source)
        var targets: [Int: String?] = [:]
        return tensors.map { blame.label(of: $0.tensor, before: $0.position, targets: &targets) }
    }
}
