/// The rows of the Tensors pane: the tensors the selected step touches, then every other tensor
/// alive at the cursor, newest first. Rows are computed on demand, so a tape with a hundred
/// thousand tensors costs only the rows on screen.
public struct TensorList: Sendable {
    /// The step's tensors, in order, without repeats.
    public let first: [Int]
    /// The number of tensors announced before the cursor (ids `0..<announced`).
    public let announced: Int
    private let skippedDescending: [Int]

    public init(stepTensors: [Int], announced: Int) {
        var seen = Set<Int>()
        first = stepTensors.filter { $0 < announced && seen.insert($0).inserted }
        self.announced = announced
        skippedDescending = first.sorted(by: >)
    }

    public var count: Int { announced }

    /// The tensor id on row `row`.
    public subscript(row: Int) -> Int {
        if row < first.count {
            return first[row]
        }
        var id = announced - 1 - (row - first.count)
        for skipped in skippedDescending {
            if skipped >= id {
                id -= 1
            } else {
                break
            }
        }
        return id
    }
}
