import XCTest
import TorchRules

final class ReadyQueueTests: XCTestCase {
    func testPopsHighestSequenceNrFirst() {
        var queue = ReadyQueue<Int>()
        for (node, seq) in [(0, 3), (1, 9), (2, 1), (3, 7)] { queue.push(node, sequenceNr: UInt64(seq)) }
        var order: [Int] = []
        while let next = queue.pop() { order.append(next) }
        XCTAssertEqual(order, [1, 3, 0, 2])
    }

    /// Tie orders printed by libstdc++'s `std::priority_queue` for the same pushes and pops.
    func testBreaksTiesLikeLibstdcxx() {
        let max = UInt64.max
        var queue = ReadyQueue<Int>()
        for (node, seq) in [(0, max), (1, 5), (2, max), (3, max), (4, 7), (5, max), (6, 5), (7, max)] {
            queue.push(node, sequenceNr: seq)
        }
        var order: [Int] = []
        while let next = queue.pop() { order.append(next) }
        XCTAssertEqual(order, [0, 2, 5, 3, 7, 4, 6, 1])

        var interleaved = ReadyQueue<Int>()
        interleaved.push(0, sequenceNr: max)
        interleaved.push(1, sequenceNr: max)
        interleaved.push(2, sequenceNr: max)
        var popped = [interleaved.pop()!]
        interleaved.push(3, sequenceNr: max)
        interleaved.push(4, sequenceNr: max)
        while let next = interleaved.pop() { popped.append(next) }
        XCTAssertEqual(popped, [0, 1, 3, 2, 4])
    }
}
