/// PyTorch's backward ready queue: a binary max-heap on `sequence_nr` that pushes and pops exactly
/// like libstdc++'s `std::priority_queue`, so that ties (several ready `AccumulateGrad` nodes, all at
/// `UINT64_MAX`) come out in the same order as in PyTorch.
///
/// The engine that records a run and the debugger that replays it from the tape both use it, so
/// the two agree node for node. Inlinable, so that the engine and the debugger get it specialized
/// for their node type (a replay of a long backward pass pushes and pops every node).
public struct ReadyQueue<Node> {
    @usableFromInline
    struct Task {
        @usableFromInline var node: Node
        @usableFromInline var sequenceNr: UInt64

        @inlinable
        init(node: Node, sequenceNr: UInt64) {
            self.node = node
            self.sequenceNr = sequenceNr
        }
    }

    @usableFromInline
    var heap: [Task] = []

    @inlinable
    public init() {}

    @inlinable
    public var isEmpty: Bool { heap.isEmpty }

    /// Queues `node`, which became ready, with its `sequence_nr`.
    @inlinable
    public mutating func push(_ node: Node, sequenceNr: UInt64) {
        let task = Task(node: node, sequenceNr: sequenceNr)
        heap.append(task)
        siftUp(task, from: heap.count - 1, top: 0)
    }

    /// Empties the queue, keeping its storage for the next backward call.
    @inlinable
    public mutating func removeAll() {
        heap.removeAll(keepingCapacity: true)
    }

    /// Takes the node that runs next: the highest `sequence_nr`, ties as libstdc++ breaks them.
    @inlinable
    public mutating func pop() -> Node? {
        guard let top = heap.first else { return nil }
        let length = heap.count - 1
        if length > 0 {
            let moved = heap[length]
            heap[length] = top
            adjust(moved, length: length)
        }
        heap.removeLast()
        return top.node
    }

    @inlinable
    static func less(_ a: Task, _ b: Task) -> Bool { a.sequenceNr < b.sequenceNr }

    /// `std::__push_heap`: move `value` up from `hole` while its parent is smaller.
    @inlinable
    mutating func siftUp(_ value: Task, from start: Int, top: Int) {
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
    @inlinable
    mutating func adjust(_ value: Task, length: Int) {
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

extension ReadyQueue.Task: Equatable where Node: Equatable {}
extension ReadyQueue.Task: Hashable where Node: Hashable {}
extension ReadyQueue.Task: Sendable where Node: Sendable {}
extension ReadyQueue: Equatable where Node: Equatable {}
extension ReadyQueue: Hashable where Node: Hashable {}
extension ReadyQueue: Sendable where Node: Sendable {}
