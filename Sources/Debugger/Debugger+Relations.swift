import Tape

/// What the tape says about how its records relate — who bumped what, which node an op made, which
/// tensors share a counter, what the engine reported flowing through a node — answered from the
/// debugger's one index of the tape, so that views never scan the tape themselves.
extension Debugger {
    /// The number of `backward()` calls the tape records.
    public var backwardCount: Int { index.backwardCalls.count }

    /// Backward call `id` as the tape records it.
    public func backwardCall(_ id: Int) -> BackwardCall { index.backwardCalls[id] }

    /// The tape position of backward call `id`'s `backward` event.
    public func position(ofBackward id: Int) -> Int { index.backwardEvents[id] }

    /// The errors the program raised (caught or not), each with its tape position, in tape order.
    public var raisedErrors: [(error: RaisedError, position: Int)] { index.errors.map { ($0.error, $0.event) } }

    /// The program line op `opIndex` was issued from, read without decoding the op.
    public func line(ofOp opIndex: Int) -> Int { tape.summary(at: index.position(ofOp: opIndex)).line ?? 0 }

    /// The version bumps op `opIndex` caused, in tape order.
    public func bumps(ofOp opIndex: Int) -> [VersionBump] { index.bumpsOfOp[opIndex].map { index.bumpList[$0] } }

    /// The bump that moved tensor `tensor`'s version counter to `version` (from `version - 1` when
    /// one op wrote once): a binary search of the counter's bumps, whose versions only grow.
    public func bump(of tensor: Int, to version: Int) -> VersionBump? {
        let index = self.index
        let bumps = index.counterBumps[index.counter(of: tensor)].values
        let found = bumps.startIndex + bumps.lazy.map { index.bumpList[Int($0)].to }.countBefore(version)
        guard found < bumps.endIndex else { return nil }
        let bump = index.bumpList[Int(bumps[found])]
        return bump.to == version ? bump : nil
    }

    /// The first grad_fn node op `opIndex` created, if any.
    public func firstNode(ofOp opIndex: Int) -> Int? {
        index.firstNode(ofOp: opIndex)
    }

    /// What the program printed and raised before `position`, oldest first, at most `limit` events.
    public func console(before position: Int, limit: Int) -> [Event] {
        let end = index.consoleEvents.countBefore(position)
        return index.consoleEvents[max(0, end - limit)..<end].map { tape[$0] }
    }

    /// The tensors sharing version counter `counter` (views, `detach()`, unpacked saves).
    public func tensors(sharingCounter counter: Int) -> [Int] { index.tensorsOfCounter[counter] }

    /// The positions in save order (as `savedValues(at:)` lists them) of the saved tensors that
    /// share version counter `counter`.
    public func saves(sharingCounter counter: Int) -> [Int] { index.savesOfCounter[counter] }

    /// The tensors that are views of `base`.
    public func views(of base: Int) -> [Int] { index.viewsOfBase[base] }

    /// The gradients the engine reported flowing into `node` (one per output) and out of it (one
    /// per `next_functions` entry) in backward call `backward`; nil where the tape has no such report.
    public func gradients(backward: Int, node: Int) -> (incoming: [TensorValues?]?, outgoing: [TensorValues?]?) {
        var incoming: [TensorValues?]?
        var outgoing: [TensorValues?]?
        for event in index.runsOfNode[node] where tape.summary(at: event).backward == backward {
            if case .nodeRun(let run) = tape[event], !run.incoming.isEmpty { incoming = run.incoming }
        }
        for event in index.resultsOfNode[node] where tape.summary(at: event).backward == backward {
            if case .nodeResult(let result) = tape[event], !result.outgoing.isEmpty { outgoing = result.outgoing }
        }
        return (incoming, outgoing)
    }

    /// The gradient accumulated into a leaf's `.grad` by the AccumulateGrad runs before `position`:
    /// the sum of the gradients the engine reported flowing into them.
    public func grad(of tensor: Int, before position: Int) -> TensorValues? {
        let runs = index.accumulateRuns[tensor]
        var total: TensorValues?
        for run in runs.prefix(runs.countBefore(position)) {
            guard case .nodeRun(let record) = tape[run], let incoming = record.incoming.first ?? nil else { continue }
            if var sum = total, sum.values.count == incoming.values.count {
                for index in sum.values.indices {
                    sum.values[index] += incoming.values[index]
                }
                total = sum
            } else {
                total = incoming
            }
        }
        return total
    }
}
