import Debugger
import Tape
import Testing
@testable import TerminalUI
import TestSupport

/// Key handling is pure: each test feeds keys to a state and checks where it ends up.
@Suite struct ReducerTests {
    func state() -> DebuggerState { SampleTapes.state(SampleTapes.savedInputMul()) }

    func press(_ keys: [Key], on start: DebuggerState? = nil) -> DebuggerState {
        var state = start ?? self.state()
        for key in keys {
            state.reduce(key)
        }
        return state
    }

    @Test(arguments: [
        ([Key.character("n")], 1), ([.character("j")], 1), ([.down], 1),
        ([.character("n"), .character("n"), .character("p")], 1), ([.character("n"), .character("k")], 0), ([.character("n"), .up], 0),
        ([.character("G")], 8), ([.character("G"), .character("g")], 0), ([.end], 8), ([.character("p")], 0),
        ([.character("G"), .character("n")], 8), ([.pageDown], 8), ([.control("d"), .control("u")], 0),
    ])
    func stepKeysMoveTheCursorWithinTheTape(keys: [Key], cursor: Int) {
        #expect(press(keys).cursor == cursor)
    }

    @Test func sourceLineKeysSkipEveryStepOnTheSameLine() {
        var state = press([.character("N"), .character("N"), .character("N"), .character("N")])
        #expect(state.step?.line == 8)
        state.reduce(.character("N"))
        #expect(state.step?.kind == .backwardCall)
        state.reduce(.character("N"))
        #expect(state.message == "no later source line")
        state.reduce(.character("P"))
        #expect(state.step?.line == 8)
        state = press([.character("G"), .character("P")])
        #expect(state.cursor == 4)
    }

    @Test func backwardReplayWalksTheNodesOfTheNextBackwardCall() {
        var state = self.state()
        state.reduce(.character("b"))
        #expect(state.positionText == "node 1/2 · line 10 · backward #0")
        state.reduce(.character("b"))
        #expect(state.positionText == "node 2/2 · line 10 · backward #0")
        #expect(state.failureHere != nil)
        state.reduce(.character("b"))
        #expect(state.message == "backward 0 has no more nodes")
        #expect(press([.character("G"), .character("b")], on: press([])).cursor == 8)
    }

    @Test func backwardReplayGoesWhereAScanOfTheStepsWould() throws {
        var random = SplitMix64(seed: 7)
        let start = DebuggerState(debugger: try Debugger(tape: GeneratedTape.make(ops: 120, random: &random)))
        #expect(start.debugger.backwardCount > 3)
        for cursor in 0..<start.stepCount {
            var state = start
            state.move(to: cursor)
            let expected = state.scannedBackwardTarget()
            state.reduce(.character("b"))
            #expect(state.cursor == expected, "from step \(cursor)")
        }
    }

    @Test func errorJumpStopsAtTheFailingNodeAndRevealsTheCulprit() throws {
        var state = self.state()
        #expect(state.revealed.isEmpty)
        state.reduce(.character("e"))
        #expect(state.cursor == 7)
        let failure = try #require(state.revealed.first)
        #expect(failure.diagnosis.node?.id == 2)
        #expect(failure.diagnosis.saved?.slot == "other")
        #expect(failure.culpritLine == 8)
        #expect(failure.culpritStep == 4)
        #expect(!failure.diagnosis.hint.isEmpty)
        state.reduce(.character("e"))
        #expect(state.cursor == 7)
        #expect(state.message == "wrapped to the first error")
        state.reduce(.character("g"))
        #expect(state.revealed.count == 1, "a culprit stays known after stepping back")
        #expect(state.render(width: 100, height: 30).lines.contains { $0.hasPrefix("│ ✗ 8 a += 1") })
    }

    @Test func aForwardErrorIsItsOwnCulprit() {
        var state = SampleTapes.state(SampleTapes.seedExample1())
        state.reduce(.character("e"))
        #expect(state.step?.kind == .error)
        #expect(state.revealed.first?.culpritLine == 9)
        #expect(state.positionText == "error · line 9 · forward")
    }

    @Test func searchFindsOpsAndNamedTensorsAndCyclesThroughMatches() {
        var state = press([.character("/"), .character("m"), .character("u"), .character("l"), .enter])
        #expect(state.mode == .normal)
        #expect(state.search?.matches == [1, 2, 7])
        #expect(state.cursor == 1)
        #expect(state.message == "match 1/3 for mul")
        state.reduce(.character("."))
        #expect(state.cursor == 2)
        state.reduce(.character(","))
        #expect(state.cursor == 1)
        state.reduce(.character(","))
        #expect(state.cursor == 7)
        state = press([.character("/"), .character("l"), .character("o"), .character("s"), .character("s"), .enter])
        #expect(state.search?.matches == [3])
        state = press([.character("/"), .character("x"), .character("y"), .backspace, .enter])
        #expect(state.search?.query == "x")
        state = press([.character("/"), .character("q"), .escape])
        #expect(state.mode == .normal && state.search == nil && !state.isFinished)
        state = press([.character("."), .character("/"), .character("z"), .character("z"), .enter])
        #expect(state.message == "no match for zz")
    }

    @Test func goToTakesAOneBasedStepNumberAndIgnoresOtherKeys() {
        #expect(press([.character(":"), .character("7"), .character("x"), .enter]).cursor == 6)
        #expect(press([.character(":"), .character("4"), .character("2"), .enter]).message == "no step 42 (steps are 1–9)")
        #expect(press([.character(":"), .character("3"), .escape]).cursor == 0)
    }

    @Test func tabCyclesFocusAndListPanesTakeTheirOwnRows() {
        var state = press([.tab])
        #expect(state.focus == .tensors)
        state = press([.backTab, .backTab])
        #expect(state.focus == .console)
        state = press([.character("G"), .tab])
        state.reduce(.character("j"))
        #expect(state.cursor == 8)
        #expect(state.rows[.tensors] == 1)
        state.reduce(.character("n"))
        #expect(state.cursor == 8)
        state.reduce(.character("p"))
        #expect(state.cursor == 7)
        #expect(state.rows[.tensors] == nil)
    }

    @Test func enterInspectsTheSelectionAndEscapeCloses() {
        var state = press([.character("e"), .tab, .character("j"), .enter])
        #expect(state.mode == .inspect(.tensor(3), scroll: 0))
        state.reduce(.character("j"))
        #expect(state.mode == .inspect(.tensor(3), scroll: 1))
        state.reduce(.escape)
        #expect(state.mode == .normal)
        #expect(press([.enter]).mode == .inspect(.step(0), scroll: 0))
        #expect(press([.character("e"), .tab, .tab, .enter]).mode == .inspect(.node(2), scroll: 0))
        #expect(press([.character("e"), .backTab, .backTab, .backTab, .enter]).mode == .inspect(.tensor(1), scroll: 0))
    }

    @Test func helpOpensOnQuestionMarkAndAnyOtherKeyClosesIt() {
        var state = press([.character("?")])
        #expect(state.mode == .help(scroll: 0))
        state.reduce(.character("q"))
        #expect(state.mode == .normal)
        #expect(!state.isFinished)
        state.reduce(.character("q"))
        #expect(state.isFinished)
    }

    @Test func layoutKeysResizeWithinBounds() {
        let state = press(Array(repeating: .character("<"), count: 20) + [.character("+")])
        #expect(state.leftPercent == 20)
        #expect(state.topPercent == 49)
        #expect(press([.character("z"), .character("z")]).zoomed == false)
    }

    @Test func clicksFocusAPaneAndSelectTheRowUnderThePointer() {
        var state = self.state()
        state.resize(width: 100, height: 30)
        state.reduce(.click(column: 60, row: 5))
        #expect(state.focus == .tape)
        #expect(state.cursor == 4)
        state.reduce(.click(column: 10, row: 8))
        #expect(state.focus == .source)
        #expect(state.step?.line == 8)
        state.reduce(.click(column: 10, row: 15))
        #expect(state.focus == .tensors)
        #expect(state.rows[.tensors] == 1)
    }

    @Test func anEmptyTapeRendersAndIgnoresSteps() {
        var state = SampleTapes.state(Tape(header: TraceHeader(producer: "t", path: "empty.py", source: "")))
        state.reduce(.character("n"))
        state.reduce(.character("e"))
        state.reduce(.character("b"))
        #expect(state.message == "no backward() call after this step")
        state.reduce(.enter)
        #expect(state.cursor == 0)
        #expect(state.mode == .normal)
        #expect(state.render(width: 80, height: 24).lines.last?.contains("empty tape") == true)
    }
}
