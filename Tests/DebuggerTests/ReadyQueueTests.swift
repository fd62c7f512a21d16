import XCTest
@testable import Debugger

final class ReadyQueueTests: XCTestCase {
    private func task(_ node: Int, _ sequenceNr: UInt64) -> ReadyQueue.Task {
        ReadyQueue.Task(node: node, sequenceNr: sequenceNr)
    }

    func testPopsHighestSequenceNrFirst() {
        var queue = ReadyQueue()
        for (node, seq) in [(0, 3), (1, 9), (2, 1), (3, 7)] { queue.push(task(node, UInt64(seq))) }
        XCTAssertEqual(queue.contents, [1, 3, 0, 2])
    }

    /// Tie orders printed by libstdc++'s `std::priority_queue` for the same pushes and pops.
    func testBreaksTiesLikeLibstdcxx() {
        let max = UInt64.max
        var queue = ReadyQueue()
        for (node, seq) in [(0, max), (1, 5), (2, max), (3, max), (4, 7), (5, max), (6, 5), (7, max)] {
            queue.push(task(node, seq))
        }
        var order: [Int] = []
        while let next = queue.pop() { order.append(next.node) }
        XCTAssertEqual(order, [0, 2, 5, 3, 7, 4, 6, 1])

        var interleaved = ReadyQueue()
        interleaved.push(task(0, max))
        interleaved.push(task(1, max))
        interleaved.push(task(2, max))
        var popped = [interleaved.pop()!.node]
        interleaved.push(task(3, max))
        interleaved.push(task(4, max))
        while let next = interleaved.pop() { popped.append(next.node) }
        XCTAssertEqual(popped, [0, 1, 3, 2, 4])
    }
}
