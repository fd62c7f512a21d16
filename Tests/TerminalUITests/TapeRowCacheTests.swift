import Tape
import XCTest
@testable import TerminalUI

final class TapeRowCacheTests: XCTestCase {
    /// A state that kept rows from earlier frames must draw the frame of a state that took the
    /// same keys without drawing any: after moves both ways, jumps, and a change of glyphs.
    func testKeptRowsDrawWhatFreshRowsDraw() {
        let tape = SampleTapes.savedInputMul()
        var walk = Walk(tape: tape, width: 120, height: 40)
        for key: Key in [.character("j"), .character("j"), .character("G"), .character("k"), .character("g"), .character("n"), .character("b")] {
            walk.press(key)
        }
        walk.state.glyphs = .ascii
        walk.check("after switching to ASCII glyphs")
    }

    /// Past the cache's capacity it starts again; the rows it drops are drawn anew.
    func testAWalkPastTheCapacityStillDrawsEveryRow() {
        var walk = Walk(tape: Self.longTape(steps: TapeRowCache.capacity + 500), width: 100, height: 60)
        XCTAssertGreaterThan(walk.state.stepCount, TapeRowCache.capacity)
        while walk.state.cursor < TapeRowCache.capacity + 100 {
            walk.press(.pageDown, checking: false)
        }
        for key: Key in [.character("k"), .pageUp, .character("g"), .character("G"), .pageUp] {
            walk.press(key)
        }
    }

    /// A state driven by keys, each frame drawn, and the keys kept to drive a fresh state.
    private struct Walk {
        let tape: Tape
        let width: Int
        let height: Int
        var state: DebuggerState
        var keys: [Key] = []

        init(tape: Tape, width: Int, height: Int) {
            self.tape = tape
            self.width = width
            self.height = height
            state = SampleTapes.state(tape)
            _ = state.render(width: width, height: height)
        }

        mutating func press(_ key: Key, checking: Bool = true) {
            state.reduce(key)
            keys.append(key)
            if checking {
                check("after \(keys)")
            } else {
                _ = state.render(width: width, height: height)
            }
        }

        /// The frame equals that of a new state given the same keys and glyphs, drawn once.
        func check(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
            var fresh = SampleTapes.state(tape)
            for key in keys { fresh.reduce(key) }
            fresh.glyphs = state.glyphs
            let drawn = state.render(width: width, height: height)
            let expected = fresh.render(width: width, height: height)
            XCTAssertEqual(drawn.lines, expected.lines, message, file: file, line: line)
            XCTAssertEqual(drawn.roleMask, expected.roleMask, message, file: file, line: line)
        }
    }

    /// `steps` ops `h = h * 2`, each a step of its own.
    private static func longTape(steps: Int) -> Tape {
        var tape = Tape(header: TraceHeader(producer: "tapedeck tests", path: "long.py", source: "h = h * 2\n"))
        tape.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [2], dtype: "float32", requiresGrad: false, values: [1, 1])))
        for op in 0..<steps {
            tape.append(.tensor(TensorInfo(id: op + 1, counter: op + 1, storage: op + 1, shape: [2], dtype: "float32", requiresGrad: false, values: [2, 2])))
            tape.append(.op(OpRecord(index: op, name: "aten::mul.Tensor", call: "*", site: CallSite(line: 1), gradMode: true,
                                     inputs: [TensorVersion(tensor: op, version: 0)], outputs: [TensorVersion(tensor: op + 1, version: 0)])))
        }
        tape.append(.exit(code: 0))
        return tape
    }
}
