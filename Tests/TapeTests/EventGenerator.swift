@testable import Tape
import TestSupport

/// A seeded generator of arbitrary events, for round-trip properties.
struct EventGenerator {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// Mostly small ids, sometimes extreme values.
    mutating func int() -> Int {
        switch below(20) {
        case 0: [Int.min, Int.max, -1, 0, 1 << 31, -(1 << 40)][below(6)]
        case 1: Int(bitPattern: UInt(next()))
        default: below(5000)
        }
    }

    mutating func optionalInt() -> Int? { chance(30) ? nil : int() }

    mutating func string() -> String {
        let pieces = ["x", "MulBackward0", "aten::add_.Tensor", "é", "日本", "😀", "\"", "\\", "\n", "\t", "\u{0}",
                      "\u{1F}", "\u{7F}", "\u{2028}", " ", "/", "torch::autograd::AccumulateGrad", "Adam.step"]
        return (0..<below(5)).map { _ in pieces[below(pieces.count)] }.joined()
    }

    mutating func optionalString() -> String? { chance(40) ? nil : string() }

    /// Finite doubles of every shape: integral, float32-exact, arbitrary bit patterns, extremes.
    mutating func double() -> Double {
        switch below(12) {
        case 0: [0.0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, Double.leastNormalMagnitude / 3, 0.1, 1e22, 9_007_199_254_740_994][below(8)]
        case 1: Double(bitPattern: next() & 0x7FEF_FFFF_FFFF_FFFF | (next() & 0x8000_0000_0000_0000))
        case 2, 3: Double(below(100)) - 50
        case 4, 5, 6: Double(Float(bitPattern: UInt32(truncatingIfNeeded: next()) & 0xFF7F_FFFF))
        default: Double(below(2_000_000)) / 997 - 1000
        }
    }

    mutating func ints(max: Int = 5) -> [Int] { (0..<below(max + 1)).map { _ in int() } }
    mutating func doubles() -> [Double] { (0..<below(10)).map { _ in double() } }
    mutating func bool() -> Bool { chance(50) }

    mutating func site() -> CallSite {
        CallSite(line: int(), column: chance(50) ? 0 : int(), endColumn: chance(50) ? 0 : int(),
                 file: optionalString(), frame: optionalString())
    }

    mutating func tensorValues() -> TensorValues {
        TensorValues(tensor: chance(20) ? -1 : int(), shape: ints(), values: doubles())
    }

    mutating func event() -> Event {
        switch Event.Kind.allCases[below(Event.Kind.allCases.count)] {
        case .tensor:
            .tensor(TensorInfo(id: int(), counter: int(), storage: int(), shape: ints(), dtype: string(),
                               requiresGrad: bool(), base: optionalInt(), isParameter: bool(), values: doubles()))
        case .op:
            .op(OpRecord(index: int(), name: string(), call: string(), site: site(), gradMode: bool(),
                         inputs: (0..<below(4)).map { _ in TensorVersion(tensor: int(), version: int()) },
                         outputs: (0..<below(3)).map { _ in TensorVersion(tensor: int(), version: int()) },
                         isInPlace: bool(), isView: bool()))
        case .node:
            .node(NodeRecord(id: int(), name: string(),
                             sequenceNr: chance(30) ? NodeRecord.accumulateGradSequenceNr : next() >> UInt64(below(64)),
                             op: optionalInt(),
                             next: (0..<below(4)).map { _ in chance(30) ? nil : Edge(node: int(), inputNr: int()) },
                             variable: optionalInt()))
        case .gradFn:
            .gradFn(GradFnChange(tensor: int(), node: optionalInt(), outputNr: int(), requiresGrad: bool(), version: int()))
        case .save:
            .save(SavedSlot(node: int(), slot: string(), tensor: int(), savedVersion: int(), isOutput: bool(),
                            outputNr: int(), shape: ints()))
        case .bump:
            .bump(VersionBump(counter: int(), tensor: int(), from: int(), to: int(), op: int()))
        case .values:
            .values(tensorValues())
        case .binding:
            .binding(Binding(name: string(), tensor: int(), line: int()))
        case .output:
            .output(string())
        case .error:
            .error(RaisedError(type: string(), message: string(), site: site(), backward: optionalInt()))
        case .backward:
            .backward(BackwardCall(id: int(), roots: (0..<below(3)).map { _ in Edge(node: int(), inputNr: int()) },
                                   site: site(), retainGraph: bool()))
        case .nodeRun:
            .nodeRun(NodeRun(backward: int(), node: int(), incoming: (0..<below(3)).map { _ in chance(30) ? nil : tensorValues() }))
        case .nodeResult:
            .nodeResult(NodeResult(backward: int(), node: int(), outgoing: (0..<below(3)).map { _ in chance(30) ? nil : tensorValues() }))
        case .release:
            .release(node: int())
        case .backwardEnd:
            .backwardEnd(BackwardEnd(backward: int(), failedNode: optionalInt(), failedSlot: optionalString(), message: optionalString()))
        case .exit:
            .exit(code: int())
        }
    }
}
