import Debugger
import Tape
import Testing
@testable import TerminalUI
import TestSupport

/// The `/` search over the table of text ids (`StepSearch`) finds exactly the steps that the
/// original linear search found by building and lowercasing each step's text (TestSupport keeps
/// it as the reference), on generated tapes with odd names, cases, spaces and tensor ids in every needle.
@Suite struct StepSearchTests {
    @Test(arguments: 0..<12)
    func theTableFindsWhatTheLinearSearchFinds(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        let tape = GeneratedTape.make(ops: 40 + seed * 15, random: &random)
        let state = DebuggerState(debugger: try Debugger(tape: tape))
        let texts = state.linearSearchTexts()
        var needles = GeneratedTape.fixedNeedles
        for _ in 0..<60 {
            let text = Array(texts[Int(random.next() % UInt64(texts.count))])
            guard !text.isEmpty else { continue }
            let start = Int(random.next() % UInt64(text.count))
            let length = 1 + Int(random.next() % UInt64(min(12, text.count - start)))
            let needle = String(text[start..<(start + length)])
            needles.append(random.next() % 2 == 0 ? needle : needle.uppercased())
        }
        for needle in needles {
            #expect(state.searchTable.matches(for: needle) == linearSearch(needle, in: texts), "needle \(needle.debugDescription), seed \(seed)")
        }
    }

    @Test func eachStepsTextIsTheOneTheLinearSearchLowercased() throws {
        var random = SplitMix64(seed: 99)
        let state = DebuggerState(debugger: try Debugger(tape: GeneratedTape.make(ops: 80, random: &random)))
        #expect(state.stepCount > 80)
        let texts = state.linearSearchTexts()
        for step in 0..<state.stepCount {
            #expect(state.searchTable.loweredText(of: step) == texts[step].lowercased())
        }
    }

    @Test func tensorIDPatternsAgreeWithTheLabelText() {
        let needles = ["t", "t0", "t1", "t10", "t05", "0", "1", "05", "10", "99", "100", "123", "t123", "tt", "1t", "x", "t-1", "01"]
        for needle in needles {
            let pattern = TensorIDPattern(needle: needle)
            for id in 0...2_100 {
                #expect(pattern.matches(id) == "t\(id)".contains(needle), "needle \(needle), id \(id)")
            }
        }
        #expect(TensorIDPattern(needle: "t" + String(repeating: "9", count: 30)) == .none)
    }

    @Test func theASCIINeedleFindsWhatContainsFinds() throws {
        var random = SplitMix64(seed: 11)
        let alphabet = Array("ab ab\tx")
        func text(_ length: Int) -> String { String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }) }
        for _ in 0..<2_000 {
            let (haystack, needle) = (text(Int(random.next() % 12)), text(1 + Int(random.next() % 4)))
            let automaton = try #require(ASCIINeedle(needle))
            var matched = 0
            let found = automaton.feed(Array(haystack.utf8), &matched)
            #expect(found == characterContains(haystack, needle), "\(needle.debugDescription) in \(haystack.debugDescription)")
        }
        #expect(ASCIINeedle("a\r\nb") == nil && ASCIINeedle("é") == nil && ASCIINeedle("") == nil)
    }

    @Test func nextAndPreviousMatchWrapAroundFromTheCursor() throws {
        var random = SplitMix64(seed: 3)
        var state = DebuggerState(debugger: try Debugger(tape: GeneratedTape.make(ops: 60, random: &random)))
        for key in [Key.character("/"), .character("m"), .character("u"), .character("l"), .enter] { state.reduce(key) }
        let matches = try #require(state.search?.matches)
        #expect(matches.count > 2)
        #expect(state.cursor == matches[0])
        state.reduce(.character(","))
        #expect(state.cursor == matches[matches.count - 1])
        #expect(state.message == "match \(matches.count)/\(matches.count) for mul")
        state.reduce(.character("."))
        #expect(state.cursor == matches[0])
        state.reduce(.character("."))
        #expect(state.cursor == matches[1])
        #expect(state.message == "match 2/\(matches.count) for mul")
    }
}

/// Random forward runs of element-wise ops with odd names (cases, spaces, combining marks,
/// control characters, names that look like tensor ids), errors, and backward calls replayed
/// node by node.
enum GeneratedTape {
    static let opNames = ["aten::mul.Tensor", "aten::add_.Tensor", "aten::MM", "aten::tanh", "aten::ΣUM", "aten::İndex"]
    static let calls = ["*", "torch.mm", "", "x @ w", "Tensor.sum", "linear (torch/nn/functional.py:12)", "\u{301}odd"]
    static let names = ["x", "h", "loss", "t3", "t12", "a b", "Σigma", "tab\tname", "new\nline", "\u{1B}[31mred", "\u{301}mark", "İ", "W"]
    static let errors = [("RuntimeError", "boom at t7"), ("ValueError", "Bad Value"), ("RuntimeError", "one of the variables")]
    static let fixedNeedles = [
        "t", "T", "t1", "t12", "1", "0", "05", "12", "t0", " ", "  ", "mul", "MUL", "ΣU", "σu", "i", "İ", "\u{301}",
        "t1 x", "* t", "h t", "x t1", "backward", "BackwardCall", "mulbackward0", "rror: b", "a b", "\u{301}odd", " \u{301}",
        "tab", "↵", "red", "�", "loss", "zz", "t3 t3", "sum t", ": ", "l t", "0 t", "* t1", "w t", "t1 t", "e t2 x",
        " t", "x ", "mm linear", ".tensor  t", "tanh * t",
    ]

    static func make(ops: Int, random: inout SplitMix64) -> Tape {
        var tape = Tape(header: TraceHeader(producer: "tests", path: "generated.py", source: "x = 1\n"))
        var tensors = 0
        var nodes = 0
        var backwards = 0
        var nodeOf: [Int: Int] = [:]
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func newTensor() -> Int {
            tape.append(.tensor(TensorInfo(id: tensors, counter: tensors, storage: tensors, shape: [2], dtype: "float32", requiresGrad: true, values: [1, 1])))
            tensors += 1
            return tensors - 1
        }
        for op in 0..<ops {
            let inputs = tensors == 0 ? [] : (0..<Int(random.next() % 3)).map { _ in Int(random.next() % UInt64(tensors)) }
            let output = newTensor()
            tape.append(.op(OpRecord(
                index: op, name: pick(opNames), call: pick(calls), site: CallSite(line: 1), gradMode: true,
                inputs: inputs.map { TensorVersion(tensor: $0, version: 0) }, outputs: [TensorVersion(tensor: output, version: 0)])))
            let next = inputs.map { nodeOf[$0].map { Edge(node: $0, inputNr: 0) } }
            tape.append(.node(NodeRecord(id: nodes, name: pick(["MulBackward0", "AddBackward0", "TanhBackward0"]), sequenceNr: UInt64(nodes), op: op, next: next)))
            tape.append(.gradFn(GradFnChange(tensor: output, node: nodes, outputNr: 0, requiresGrad: true, version: 0)))
            nodeOf[output] = nodes
            nodes += 1
            if random.next() % 3 > 0 {
                let name = random.next() % 4 == 0 ? "t\(output)" : pick(names)
                tape.append(.binding(Binding(name: name, tensor: Int(random.next() % UInt64(tensors)), line: 1)))
            }
            if random.next() % 17 == 0 {
                let (type, message) = pick(errors)
                tape.append(.error(RaisedError(type: type, message: message, site: CallSite(line: 1))))
            }
            if random.next() % 13 == 0 {
                tape.append(.backward(BackwardCall(id: backwards, roots: [Edge(node: nodes - 1, inputNr: 0)], site: CallSite(line: 1), retainGraph: true)))
                backwards += 1
            }
        }
        return tape
    }
}
