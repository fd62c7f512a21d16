import Tape
import XCTest
@testable import TerminalUI

final class GraphPaneTests: XCTestCase {
    /// `torch.stack` of 60 leaves: a StackBackward0 node with 60 AccumulateGrad children, more
    /// rows than the pane shows.
    private func wideState() -> DebuggerState {
        var tape = Tape(header: TraceHeader(producer: "tapedeck tests", path: "wide.py", source: "y = torch.stack(xs)\n"))
        let leaves = 60
        for leaf in 0..<leaves {
            tape.append(.tensor(TensorInfo(id: leaf, counter: leaf, storage: leaf, shape: [2], dtype: "float32", requiresGrad: true, values: [1, 1])))
            tape.append(.node(NodeRecord(id: leaf, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr,
                                         op: nil, next: [], variable: leaf)))
        }
        tape.append(.tensor(TensorInfo(id: leaves, counter: leaves, storage: leaves, shape: [leaves, 2], dtype: "float32", requiresGrad: true)))
        tape.append(.op(OpRecord(index: 0, name: "aten::stack", call: "torch.stack", site: CallSite(line: 1), gradMode: true,
                                 inputs: (0..<leaves).map { TensorVersion(tensor: $0, version: 0) },
                                 outputs: [TensorVersion(tensor: leaves, version: 0)])))
        tape.append(.node(NodeRecord(id: leaves, name: "StackBackward0", sequenceNr: 0, op: 0,
                                     next: (0..<leaves).map { Edge(node: $0, inputNr: 0) })))
        tape.append(.gradFn(GradFnChange(tensor: leaves, node: leaves, outputNr: 0, requiresGrad: true, version: 0)))
        tape.append(.exit(code: 0))
        return SampleTapes.state(tape)
    }

    /// The pane builds only the rows it can show; what it draws must be what drawing every row
    /// (up to `rowLimit`) draws, wherever the selection is, focused or not, at any height.
    func testBuildingOnlyTheShownRowsDrawsWhatAllRowsDraw() {
        var state = wideState()
        XCTAssertGreaterThan(GraphPane.rows(for: state, limit: GraphPane.rowLimit).count, 60)
        for focused in [false, true] {
            state.focus = focused ? .graph : .tape
            for selected in [0, 1, 5, 17, 30, 59, 61, 500] {
                state.rows[.graph] = selected
                for height in [3, 6, 11, 24] {
                    let area = Rect(x: 0, y: 0, width: 60, height: height)
                    var drawn = Buffer(width: 60, height: height)
                    GraphPane(state: state).render(into: &drawn, area: area)
                    XCTAssertEqual(drawn, Self.drawAllRows(state, area: area), "focused \(focused), row \(selected), height \(height)")
                }
            }
        }
    }

    /// The reference: every row built, then listed around the selection.
    private static func drawAllRows(_ state: DebuggerState, area: Rect) -> Buffer {
        var buffer = Buffer(width: area.width, height: area.height)
        let block = Block(title: Pane.graph.rawValue, focused: state.focus == .graph, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let rows = GraphPane.rows(for: state, limit: GraphPane.rowLimit)
        let inner = block.inner(area)
        let header = GraphPane.flowLines(for: state)
        let tree = inner.splitTop(min(header.count, max(0, inner.height - 1))).rest
        let selected = state.focus == .graph ? state.row(.graph, count: rows.count) : nil
        Tree(rows: rows.map(\.tree), selected: selected, glyphs: state.glyphs).render(into: &buffer, area: tree)
        return buffer
    }
}
