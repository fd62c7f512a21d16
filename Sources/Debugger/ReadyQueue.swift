/// The engine's ready queue: a binary max-heap on `sequence_nr` that pushes and pops exactly like
/// libstdc++'s `std::priority_queue`, so that ties (several ready `AccumulateGrad` nodes, all at
/// `UINT64_MAX`) come out in the same order as in PyTorch.
struct ReadyQueue: Hashable, Sendable {
    struct Task: Hashable, Sendable {
        var node: Int
        var sequenceNr: UInt64
    }

    private var heap: [Task] = []

    var isEmpty: Bool { heap.isEmpty }

    /// The queued nodes, highest priority first (does not change the queue).
    var contents: [Int] {
        var copy = self
        var nodes: [Int] = []
        while let task = copy.pop() { nodes.append(task.node) }
        return nodes
    }

    mutating func push(_ task: Task) {
        heap.append(task)
        siftUp(task, from: heap.count - 1, top: 0)
    }

    mutating func pop() -> Task? {
        guard let top = heap.first else { return nil }
        let length = heap.count - 1
        if length > 0 {
            let moved = heap[length]
            heap[length] = top
            adjust(moved, length: length)
        }
        heap.removeLast()
        return top
    }

    private static func less(_ a: Task, _ b: Task) -> Bool { a.sequenceNr < b.sequenceNr }

    /// `std::__push_heap`: move `value` up from `hole` while its parent is smaller.
    private mutating func siftUp(_ value: Task, from start: Int, top: Int) {
        var hole = start
        var parent = (hole - 1) / 2
        while hole > top && Self.less(heap[parent], value) {
            heap[hole] = heap[parent]
            hole = parent
            parent = (hole - 1) / 2
        }
        heap[hole] = value
    }

    /// `std::__adjust_heap` from the root over the first `length` slots: walk the hole down to a
    /// leaf along the larger child (the right one on ties), then sift `value` up from there.
    private mutating func adjust(_ value: Task, length: Int) {
        var hole = 0
        var child = 0
        while child < (length - 1) / 2 {
            child = 2 * (child + 1)
            if Self.less(heap[child], heap[child - 1]) { child -= 1 }
            heap[hole] = heap[child]
            hole = child
        }
        if length % 2 == 0 && child == (length - 2) / 2 {
            child = 2 * (child + 1)
            heap[hole] = heap[child - 1]
            hole = child - 1
        }
        siftUp(value, from: hole, top: 0)
    }
}
