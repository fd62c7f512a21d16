import Debugger
import Foundation
import Tape
import TerminalUI

/// Issue 9's debugger rows on a chain of NODES grad_fn nodes (the frame benchmark's failing chain,
/// about 7.3 events per node, with PyTorch's full error text so that the replay runs every node
/// down to the one whose saved tensor was overwritten): indexing the tape and replaying its one backward call through every
/// node (`Debugger(tape:)`, with the same tape cut before its backward call as the baseline: the
/// index alone, so that the difference is the replay), blame (`explain()`), the Tape pane's steps (`DebuggerState`), the first `/` search (which
/// builds the search table) and a second one, and the
/// per-keystroke relation queries the panes make, each timed over many random queries. Prints wall
/// and process CPU time; the CPU figure is the steadier one on a shared machine.
enum RelationsBenchmark {
    static func run(nodes: Int) throws {
        let events = Int(Double(nodes) * 7.32)
        let tape = FrameBenchmarkTape.make(events: events, message: FrameBenchmarkTape.fullMessage)
        print("relations: \(tape.count) events, load average \(Measure.loadAverage())")
        let indexOnly = FrameBenchmarkTape.make(events: events, message: FrameBenchmarkTape.fullMessage, backward: false)
        let indexed = try phase("Debugger(tape:) index only (baseline)") { try Debugger(tape: indexOnly) }
        precondition(indexed.replays.isEmpty)
        let debugger = try phase("Debugger(tape:) index + replay") { try Debugger(tape: tape) }
        print("  \(debugger.nodeCount) nodes, backward replay ran \(debugger.replays.first?.steps.count ?? 0) of them")
        let report = phase("explain() blame") { debugger.explain() }
        precondition(!report.diagnoses.isEmpty)
        let state = phase("DebuggerState steps + diagnoses") { DebuggerState(debugger: debugger) }
        precondition(state.stepCount > debugger.opCount)
        let matches = phase("first / search (builds the table)") { state.searchTable.matches(for: "mul") }
        _ = phase("second / search") { state.searchTable.matches(for: "backward") }
        precondition(!matches.isEmpty)
        var random = SystemRandomNumberGenerator()
        let queries = 200_000
        let tensors = (0..<queries).map { _ in Int.random(in: 0..<debugger.tensorCount, using: &random) }
        let positions = (0..<queries).map { _ in Int.random(in: 0...debugger.eventCount, using: &random) }
        var found = 0
        perQuery("bump(of:to:) which op bumped T to v", queries) {
            for tensor in tensors where debugger.bump(of: tensor, to: 1) != nil { found += 1 }
        }
        perQuery("version(of:at:) via tensor state", queries) {
            for (tensor, position) in zip(tensors, positions) { found &+= debugger.tensor(tensor, at: position).version }
        }
        perQuery("grad(of:before:) leaf gradient sum", queries) {
            for position in positions where debugger.grad(of: 0, before: position) != nil { found += 1 }
        }
        perQuery("gradients(backward:node:)", queries) {
            for tensor in tensors where debugger.gradients(backward: 0, node: tensor).incoming != nil { found += 1 }
        }
        print("  (\(found) answers)")
    }

    private static func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let before = Measure.usage()
        let (result, wall, cpu) = try Measure.timed(body)
        let after = Measure.usage()
        print(String(format: "  %@ wall %8.1f ms, CPU %8.1f ms, of it system %6.1f ms, %7d page faults",
                     name.padding(toLength: 38, withPad: " ", startingAt: 0) as NSString,
                     wall * 1000, cpu * 1000, (after.system - before.system) * 1000, after.faults - before.faults))
        return result
    }

    private static func perQuery(_ name: String, _ count: Int, _ body: () -> Void) {
        let cpu = Measure.cpuSeconds()
        body()
        print(String(format: "  %@ CPU %8.3f µs per query", name.padding(toLength: 38, withPad: " ", startingAt: 0) as NSString,
                     (Measure.cpuSeconds() - cpu) * 1e6 / Double(count)))
    }
}
