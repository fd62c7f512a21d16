import Tape

/// Turns the run's autograd errors into diagnoses: which node and saved slot failed, which in-place
/// op moved the saved tensor's version counter first (through any view sharing it), and how to fix it.
struct Blame: Sendable {
    let indexReference: IndexReference
    var index: TapeIndex { indexReference.index }
    let replays: [BackwardReplay]
    /// The backward call that freed each node's saved variables, by node id.
    let freedBy: [Int?]
    let replayer: Replayer
    let source: SourceText
    let hints: FixHint

    init(index: IndexReference, replays: [BackwardReplay], freedBy: [Int?], source: SourceText) {
        indexReference = index
        self.replays = replays
        self.freedBy = freedBy
        self.replayer = Replayer(index: index)
        self.source = source
        self.hints = FixHint(source: source)
    }

    /// One diagnosis per autograd error raised during the run, plus silent-mutation warnings, in
    /// tape order, except that the uncaught autograd error that ended the run, if any, comes first:
    /// it is the one the user saw.
    func diagnoses() -> [Diagnosis] {
        var found: [Diagnosis] = []
        for (error, position) in raisedErrors() {
            if let kind = Diagnosis.Kind(classifying: error) {
                found.append(diagnose(error, kind: kind, at: position))
            }
        }
        found += silentMutations()
        found = found.enumerated().sorted { ($0.element.event, $0.offset) < ($1.element.event, $1.offset) }.map(\.element)
        if let fatal = fatalErrorEvent(), let at = found.firstIndex(where: { $0.event == fatal && $0.severity == .error }) {
            found.insert(found.remove(at: at), at: 0)
        }
        return found
    }

    /// The position of the exception that ended the run: the last one raised, when the run exited
    /// with a non-zero code.
    private func fatalErrorEvent() -> Int? {
        guard let code = index.exitCode, code != 0 else { return nil }
        return index.errors.last?.event
    }

    /// The `error` events, plus failed backward calls the tape ended without an `error` event for
    /// (one naming the call, or a later one with the same message and no call).
    private func raisedErrors() -> [(RaisedError, Int)] {
        var raised = index.errors.map { ($0.error, $0.event) }
        let reported = Set(index.errors.compactMap(\.error.backward))
        // Only the ends with a message are sorted: most calls end cleanly (20,000 sorted for
        // nothing on the RNN trace, a tenth of the blame's instructions).
        let failed = index.backwardEnds.filter { $0.value.end.message != nil }
        for (id, end) in failed.sorted(by: { $0.key < $1.key }) where !reported.contains(id) {
            guard let message = end.end.message else { continue }
            let propagated = index.errors.contains { $0.event > end.event && $0.error.backward == nil && $0.error.message == message }
            guard !propagated else { continue }
            let error = RaisedError(type: "RuntimeError", message: message, site: index.backwardCalls[id].site, backward: id)
            raised.append((error, end.event))
        }
        return raised
    }

    private func diagnose(_ error: RaisedError, kind: Diagnosis.Kind, at position: Int) -> Diagnosis {
        var diagnosis = Diagnosis(
            kind: kind, errorType: error.type, message: error.message, site: error.site, event: position,
            backward: error.backward, hint: "")
        switch kind {
        case .savedTensorModified, .backwardTwice:
            explainUnpack(&diagnosis, error: error, at: position)
        case .leafInPlace, .viewOfLeafInPlace:
            diagnosis.culprit = Diagnosis.Culprit(site: error.site, text: source.text(at: error.site))
            diagnosis.hint = hints.leafInPlace(site: error.site, view: kind == .viewOfLeafInPlace)
        case .viewInPlace:
            diagnosis.culprit = Diagnosis.Culprit(site: error.site, text: source.text(at: error.site))
            diagnosis.hint = FixHint.viewInPlace
        case .nonScalarBackward:
            diagnosis.hint = hints.nonScalarBackward(site: error.site)
        case .noGradFn:
            diagnosis.hint = FixHint.noGradFn
        case .autogradError, .silentMutation, .unbumpedWrite:
            diagnosis.hint = FixHint.autogradError
        }
        return diagnosis
    }

    /// The saved variable whose unpack raised `error`: from the replay of the backward call it
    /// was raised in, or, outside backward (reading `grad_fn._saved_<slot>`), the latest saved
    /// variable whose rebuilt message is the raised one, preferring the slot the statement reads.
    /// Also returns the position its state is read at.
    private func unpackFailure(of error: RaisedError, at position: Int) -> (failure: UnpackFailure, position: Int, call: BackwardCall?)? {
        if let backward = error.backward {
            return replays[backward].failure.map { ($0, replays[backward].event, replays[backward].call) }
        }
        let latest = index.backwardCount(before: position + 1) - 1
        if latest >= 0, let failure = replays[latest].failure, failure.message == error.message {
            return (failure, replays[latest].event, replays[latest].call)
        }
        let statement = hints.statement(at: error.site)
        var match: UnpackFailure?
        for i in stride(from: index.saveCount(before: position) - 1, through: 0, by: -1) {
            let save = index.saveList[i]
            let node = save.node
            let freed = freedBy[node].flatMap { replays[$0].event < position ? $0 : nil }
            let saved = replayer.savedValue(save, at: position, freedBy: freed)
            guard saved.status != .fresh else { continue }
            let message = replayer.message(for: saved, at: position)
            guard message == error.message else { continue }
            let failure = UnpackFailure(node: node, saved: saved, message: message)
            if statement.contains("_saved_\(saved.slot)") { return (failure, position, nil) }
            match = match ?? failure
        }
        return match.map { ($0, position, nil) }
    }

    /// Fills in the failing node and slot, the culprit and the version timeline.
    private func explainUnpack(_ diagnosis: inout Diagnosis, error: RaisedError, at position: Int) {
        let recorded = unpackFailure(of: error, at: position)
        guard let (failure, statePosition, call) = recorded
                ?? (diagnosis.kind == .savedTensorModified ? unrecordedSaveFailure(of: error) : nil) else {
            diagnosis.hint = diagnosis.kind == .backwardTwice
                ? hints.backwardTwice(firstBackward: nil)
                : "modify a copy of the saved tensor instead, " + FixHint.lastResort
            return
        }
        let saved = failure.saved
        let savedName = label(of: saved.tensor, before: statePosition)
        diagnosis.backward = call?.id
        diagnosis.node = node(failure.node)
        diagnosis.saved = saved
        diagnosis.savedName = name(of: saved.tensor, before: statePosition)
        diagnosis.savedViewOf = index.tensors[saved.tensor].base
        diagnosis.savedViewOfName = diagnosis.savedViewOf.flatMap { name(of: $0, before: statePosition) }
        diagnosis.saveOp = index.nodes[saved.node].op
        diagnosis.saveSite = diagnosis.saveOp.map { index.op($0).site }
        diagnosis.replayMessage = failure.message
        diagnosis.savedSlotUnrecorded = recorded == nil

        if case let .freed(by) = saved.status {
            let freeing = replays[by].call.site
            diagnosis.culprit = Diagnosis.Culprit(site: freeing, backward: by, text: source.text(at: freeing))
            diagnosis.hint = hints.backwardTwice(firstBackward: freeing)
            return
        }
        diagnosis.bumps = bumps(after: saved, before: statePosition)
        let start = index.startVersion(ofCounter: index.counter(of: saved.tensor))
        if start > saved.savedVersion, let dropped = index.tape.header.dropped {
            for i in diagnosis.bumps.indices { diagnosis.bumps[i].isCulprit = false }
            diagnosis.droppedWritesTo = start
            diagnosis.hint = FixHint.droppedWrite(savedName: savedName, steps: dropped.steps)
            return
        }
        guard let first = diagnosis.bumps.first else {
            diagnosis.hint = "modify a copy of `\(savedName)` instead, " + FixHint.lastResort
            return
        }
        let op = index.op(first.op)
        diagnosis.culprit = Diagnosis.Culprit(
            site: op.site, op: op.index, call: op.call, name: op.name, text: source.text(at: op.site))
        diagnosis.hint = hints.staleSave(
            op: op, savedName: savedName, detachSite: detachSite(of: first.tensor), backwardSite: call?.site)
    }

    /// The saved tensor's counter moves between its save and `position`, the first one marked culprit.
    private func bumps(after saved: SavedValue, before position: Int) -> [Diagnosis.Bump] {
        let counter = index.counter(of: saved.tensor)
        let moves = index.counterBumps.values(for: counter, after: saved.event, before: position).map { index.bump(at: $0) }
        return moves.enumerated().map { offset, entry in
            let op = index.op(entry.bump.op)
            return Diagnosis.Bump(
                op: op.index, call: op.call, name: op.name, site: op.site, tensor: entry.bump.tensor,
                tensorName: name(of: entry.bump.tensor, before: entry.event),
                from: entry.bump.from, to: entry.bump.to, isCulprit: offset == 0)
        }
    }

    /// Where `tensor` was made by `.detach()`, if it was.
    private func detachSite(of tensor: Int) -> CallSite? {
        guard let producer = index.producer(of: tensor) else { return nil }
        let op = index.op(producer)
        return op.name.hasPrefix("aten::detach") || op.call.hasSuffix("detach") ? op.site : nil
    }

    /// Writes PyTorch cannot see between a save and a backward call that unpacked it: through a
    /// tensor that shares the saved tensor's storage but not its counter (`.data`), or that moved
    /// no counter (a fused optimizer kernel). One warning per saved tensor and write.
    private func silentMutations() -> [Diagnosis] {
        var warnings: [Diagnosis] = []
        var reported = Set<[Int]>()
        for replay in replays {
            replay.steps.forEachStep { node, unpacked in
                func check(tensor: Int, event: Int, saved: () -> SavedValue) {
                    let info = index.tensors[tensor]
                    let writes = index.storageBumps.values(for: info.storage, after: event, before: replay.event)
                    for i in writes {
                        let write = index.bump(at: i)
                        guard write.bump.isUnbumped || index.counter(of: write.bump.tensor) != info.counter else { continue }
                        guard reported.insert([tensor, write.event]).inserted else { continue }
                        warnings.append(silentMutation(saved: saved(), write: write, replay: replay, node: node))
                    }
                }
                if let unpacked {
                    for saved in unpacked where saved.status == .fresh {
                        check(tensor: saved.tensor, event: saved.event) { saved }
                    }
                    return
                }
                // Every saved variable of a step that did not fail unpacked fresh: read them from
                // the index, making a `SavedValue` only for a warning.
                _ = index.forEachUnpackedSave(of: node) { save in
                    check(tensor: save.tensor, event: save.event) { SavedValue(fresh: save, slot: index.slotName(of: save)) }
                    return true
                }
            }
        }
        return warnings
    }

    private func silentMutation(saved: SavedValue, write: TapeIndex.Bump, replay: BackwardReplay, node: Int) -> Diagnosis {
        let op = index.op(write.bump.op)
        let savedName = label(of: saved.tensor, before: replay.event)
        let nodeName = index.name(ofNode: node)
        let unbumped = write.bump.isUnbumped
        let what = unbumped
            ? "ran \(op.name), which wrote `\(savedName)` in place without bumping its version counter, after \(nodeName) saved it as `\(saved.slot)`"
            : "wrote through a tensor that shares memory but not the version counter with `\(savedName)`, which \(nodeName) saved as `\(saved.slot)`"
        let message = "no error is raised: `\(source.text(at: op.site))` (line \(op.site.line)) \(what); the backward call at line \(replay.call.site.line) used the overwritten values, so its gradients are silently wrong"
        var diagnosis = Diagnosis(
            kind: unbumped ? .unbumpedWrite : .silentMutation, errorType: nil, message: message, site: replay.call.site, event: replay.event,
            backward: replay.call.id, node: self.node(node), saved: saved,
            savedName: name(of: saved.tensor, before: replay.event),
            saveOp: index.nodes[saved.node].op,
            culprit: Diagnosis.Culprit(site: op.site, op: op.index, call: op.call, name: op.name, text: source.text(at: op.site)),
            bumps: [Diagnosis.Bump(
                op: op.index, call: op.call, name: op.name, site: op.site, tensor: write.bump.tensor,
                tensorName: name(of: write.bump.tensor, before: write.event),
                from: write.bump.from, to: write.bump.to, isCulprit: true)],
            hint: unbumped ? hints.unbumpedWrite(savedName: savedName, op: op) : hints.silentMutation(savedName: savedName))
        diagnosis.saveSite = diagnosis.saveOp.map { index.op($0).site }
        return diagnosis
    }

    private func node(_ id: Int) -> Diagnosis.Node {
        let record = index.node(id)
        return Diagnosis.Node(
            id: id, name: record.name, sequenceNr: record.sequenceNr, op: record.op,
            site: record.op.map { index.op($0).site })
    }

    /// The program's latest name for `tensor` before `position` (or its first name, if it was
    /// only named later); without `bind` events (traces of real PyTorch), the simple target of
    /// the assignment whose value the tensor is. Nil when it has no name.
    func name(of tensor: Int, before position: Int) -> String? {
        var targets: [Int: String?] = [:]
        return name(of: tensor, before: position, targets: &targets)
    }

    /// `name(of:before:)`, keeping in `targets` the assignment target of each source line it
    /// read: naming many tensors (a search table names them all) tokenizes each line once.
    func name(of tensor: Int, before position: Int, targets: inout [Int: String?]) -> String? {
        if let bound = index.name(of: tensor, before: position) ?? index.lastName(of: tensor) { return bound }
        guard let producer = index.producer(of: tensor) else { return nil }
        let op = index.op(producer)
        guard op.site.file == nil, op.outputs.first?.tensor == tensor else { return nil }
        if producer + 1 < index.opCount {
            let next = index.op(producer + 1).site
            guard next.line != op.site.line || next.file != nil else { return nil }
        }
        if let known = targets[op.site.line] { return known }
        let target = hints.assignmentTarget(hints.statement(at: op.site)).flatMap { target in
            target.isDottedName ? target : nil
        }
        targets[op.site.line] = target
        return target
    }

    /// The tensor's name, or `t<id>` when the program never named it.
    func label(of tensor: Int, before position: Int) -> String {
        name(of: tensor, before: position) ?? "t\(tensor)"
    }

    /// `label(of:before:)`, with the assignment targets of `name(of:before:targets:)`.
    func label(of tensor: Int, before position: Int, targets: inout [Int: String?]) -> String {
        name(of: tensor, before: position, targets: &targets) ?? "t\(tensor)"
    }
}
