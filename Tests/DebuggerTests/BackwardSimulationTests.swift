@testable import Debugger
import Tape
import XCTest

final class BackwardSimulationTests: XCTestCase {
    /// `y = (x * 2).exp(); z = (x * 2).sin(); (y + z)` as grad_fn nodes: AccumulateGrad(x) ← Mul ←
    /// Exp and Sin ← Add, with torch's sequence numbers.
    private let graph = NodeGraph([
        NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr,
                   op: nil, next: [], variable: 0),
        NodeRecord(id: 1, name: "MulBackward0", sequenceNr: 0, op: 0, next: [Edge(node: 0, inputNr: 0)]),
        NodeRecord(id: 2, name: "ExpBackward0", sequenceNr: 1, op: 1, next: [Edge(node: 1, inputNr: 0)]),
        NodeRecord(id: 3, name: "SinBackward0", sequenceNr: 2, op: 2, next: [Edge(node: 1, inputNr: 0)]),
        NodeRecord(id: 4, name: "AddBackward0", sequenceNr: 3, op: 3, next: [Edge(node: 2, inputNr: 0), Edge(node: 3, inputNr: 0)]),
    ])

    private func runAll(_ simulation: inout BackwardSimulation) -> [Int] {
        var ran: [Int] = []
        while let node = simulation.next() {
            ran.append(node)
            simulation.finish(node, graph: graph)
        }
        return ran
    }

    func testWaitsForEveryBranchAndRunsTheLaterOneFirst() {
        var simulation = BackwardSimulation(nodeCount: graph.count)
        simulation.start(roots: [Edge(node: 4, inputNr: 0)], graph: graph)
        XCTAssertEqual(runAll(&simulation), [4, 3, 2, 1, 0])
        XCTAssertNil(simulation.next(), "nothing is left queued")
    }

    /// A call that stopped part-way (an unpack failure) leaves counts behind; the next call on the
    /// same reused simulation must not see them.
    func testReusedSimulationForgetsACallThatStoppedPartWay() {
        var simulation = BackwardSimulation(nodeCount: graph.count)
        simulation.start(roots: [Edge(node: 4, inputNr: 0)], graph: graph)
        XCTAssertEqual(simulation.next(), 4)
        simulation.finish(4, graph: graph)
        XCTAssertEqual(simulation.next(), 3, "Sin has the higher sequence_nr")

        // Mul still waits for Exp's gradient here; a count left behind would keep it from ever
        // becoming ready in the next call, which would then stop after Sin.
        simulation.start(roots: [Edge(node: 3, inputNr: 0)], graph: graph)
        XCTAssertEqual(runAll(&simulation), [3, 1, 0])
    }

    func testSeveralRootsCountTheGraphRootsEdges() {
        var simulation = BackwardSimulation(nodeCount: graph.count)
        simulation.start(roots: [Edge(node: 2, inputNr: 0), Edge(node: 3, inputNr: 0), Edge(node: 2, inputNr: 0)], graph: graph)
        XCTAssertEqual(runAll(&simulation), [3, 2, 1, 0])
        simulation.start(roots: [Edge(node: 1, inputNr: 0)], graph: graph)
        XCTAssertEqual(runAll(&simulation), [1, 0])
    }
}
