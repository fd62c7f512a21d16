import Debugger
import Foundation
import Tape
import TerminalUI

/// Keypress-to-frame time of the debugger UI on a 1,000,000-event tape: for each key, `reduce`,
/// `render` at the screen size, and the diff against the previous frame that the backend writes.
/// Each key is timed in three identical walks and the fastest kept. Prints the load time, then
/// the median, 99th percentile and worst frame per screen size.
func runFrameBenchmark() {
    let tape = FrameBenchmarkTape.make(events: 1_000_000)
    var start = Date()
    let debugger: Debugger
    do {
        debugger = try Debugger(tape: tape)
    } catch {
        print("frame benchmark: the generated tape is invalid: \(error)")
        return
    }
    let indexed = Date().timeIntervalSince(start)
    start = Date()
    let initial = DebuggerState(debugger: debugger)
    let built = Date().timeIntervalSince(start)
    print("frame benchmark: \(tape.count) events, \(initial.stepCount) steps")
    print(String(format: "  Debugger(tape:) %.0f ms, DebuggerState (steps + diagnoses) %.0f ms", indexed * 1000, built * 1000))
    var searching = initial
    start = Date()
    for key: Key in [.character("/"), .character("h"), .enter] {
        searching.reduce(key)
    }
    print(String(format: "  search `/h` over every step: %.0f ms, %d matches", Date().timeIntervalSince(start) * 1000, searching.search?.matches.count ?? 0))
    let keys: [Key] = [
        .character("n"), .character("n"), .character("p"), .character("j"), .character("N"), .character("P"), .character("G"),
        .character("p"), .character("e"), .character("b"), .character("g"), .tab, .character("j"), .enter, .character("j"), .escape,
        .tab, .tab, .character("k"), .enter, .escape,
        .backTab, .backTab, .backTab, .pageDown, .pageUp, .character("z"), .character("z"),
    ]
    // Three identical walks, each on a state of its own: a state keeps the Tape pane's rows it
    // drew (`TapeRowCache`), so timing a key three times on one state would time the second and
    // third frames with rows the first drew. Each key's time is its fastest of the three walks,
    // so that a preemption on a shared machine (a 4 ms scheduler tick) does not pass for the
    // UI's cost, and every walk reaches it with the same rows kept.
    var walks = (0..<3).map { _ in DebuggerState(debugger: debugger) }
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        var samples = Array(repeating: Double.infinity, count: 60 * keys.count)
        for walk in walks.indices {
            var state = walks[walk]
            state.resize(width: width, height: height)
            var sample = 0
            for round in 0..<60 {
                state = DebuggerState.jump(state, toStep: (round * 7919 * 13) % max(1, state.stepCount))
                var frame = state.render(width: width, height: height)
                for key in keys {
                    let begin = DispatchTime.now().uptimeNanoseconds
                    state.reduce(key)
                    let next = state.render(width: width, height: height)
                    let runs = Presenter.runs(from: frame, to: next)
                    let end = DispatchTime.now().uptimeNanoseconds
                    precondition(runs.count <= width * height)
                    samples[sample] = min(samples[sample], Double(end - begin) / 1_000_000)
                    sample += 1
                    frame = next
                }
            }
            walks[walk] = state
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let p99 = samples[samples.count * 99 / 100]
        print(String(format: "  %dx%d: %d keys, median %.3f ms, p99 %.3f ms, worst %.3f ms", width, height, samples.count, median, p99, samples.last ?? 0))
    }
}

extension DebuggerState {
    /// The state after `:STEP Enter`, the way a user jumps into a long tape.
    static func jump(_ state: DebuggerState, toStep step: Int) -> DebuggerState {
        var state = state
        state.reduce(.character(":"))
        for digit in String(step + 1) {
            state.reduce(.character(digit))
        }
        state.reduce(.enter)
        return state
    }
}

/// A synthetic long run: a chain of `h = h * w` ops, each saving its inputs, with names rebound,
/// values recorded, progress printed, an in-place write into an early saved tensor, and a
/// `backward()` through the whole chain that fails at that tensor's node.
enum FrameBenchmarkTape {
    /// The frame and open benchmarks' error text, which the debugger does not read as PyTorch's
    /// version-mismatch error, so their replay stops before the first node.
    static let truncatedMessage = "one of the variables needed for gradient computation has been modified by an inplace operation"
    /// PyTorch's full message, with which the replay runs the chain down to the victim's node.
    static let fullMessage = truncatedMessage + ": [torch.FloatTensor [4]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead."

    static func make(events target: Int) -> Tape { make(events: target, message: truncatedMessage) }

    /// The chain of about `target` events ending in `message`; without `backward`, the tape stops
    /// before its backward call (the same graph, indexed but not replayed).
    static func make(events target: Int, message: String, backward: Bool = true) -> Tape {
        let source = (1...12).map { "h = h * w  # line \($0)" }.joined(separator: "\n")
        var tape = Tape(header: TraceHeader(producer: "tapedeck-bench", path: "chain.py", source: source))
        tape.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [4], dtype: "float32", requiresGrad: true, values: [1, 1, 1, 1])))
        tape.append(.node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr, op: nil, next: [], variable: 0)))
        tape.append(.binding(Binding(name: "w", tensor: 0, line: 1)))
        var previous = 0
        var previousNode = 0
        var op = 0
        let victim = 10
        while tape.count < target - 16 {
            let tensor = op + 1
            let line = op % 12 + 1
            tape.append(.tensor(TensorInfo(id: tensor, counter: tensor, storage: tensor, shape: [4], dtype: "float32", requiresGrad: true, values: [1, 1, 1, 1])))
            tape.append(.op(OpRecord(
                index: op, name: "aten::mul.Tensor", call: "*", site: CallSite(line: line), gradMode: true,
                inputs: [TensorVersion(tensor: previous, version: 0), TensorVersion(tensor: 0, version: 0)],
                outputs: [TensorVersion(tensor: tensor, version: 0)])))
            tape.append(.node(NodeRecord(
                id: tensor, name: "MulBackward0", sequenceNr: UInt64(op), op: op,
                next: [Edge(node: previousNode, inputNr: 0), Edge(node: 0, inputNr: 0)])))
            tape.append(.save(SavedSlot(node: tensor, slot: "self", tensor: previous, savedVersion: 0, isOutput: false, shape: [4])))
            tape.append(.gradFn(GradFnChange(tensor: tensor, node: tensor, outputNr: 0, requiresGrad: true, version: 0)))
            tape.append(.binding(Binding(name: "h", tensor: tensor, line: line)))
            tape.append(.values(TensorValues(tensor: tensor, shape: [4], values: [1, 1, 1, 1])))
            if op % 1000 == 0 {
                tape.append(.output("step \(op)\n"))
            }
            previous = tensor
            previousNode = tensor
            op += 1
        }
        tape.append(.op(OpRecord(
            index: op, name: "aten::add_.Tensor", call: "+=", site: CallSite(line: 12), gradMode: false,
            inputs: [TensorVersion(tensor: victim, version: 0)], outputs: [TensorVersion(tensor: victim, version: 1)], isInPlace: true)))
        tape.append(.bump(VersionBump(counter: victim, tensor: victim, from: 0, to: 1, op: op)))
        guard backward else { return tape }
        tape.append(.backward(BackwardCall(id: 0, roots: [Edge(node: previousNode, inputNr: 0)], site: CallSite(line: 12), retainGraph: false)))
        tape.append(.error(RaisedError(
            type: "RuntimeError", message: message,
            site: CallSite(line: 12), backward: 0)))
        tape.append(.exit(code: 1))
        return tape
    }
}
