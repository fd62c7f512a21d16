import XCTest
@testable import Tape

/// `EventOffsets` keeps 32 bits an event; offsets past 4 GiB (a store this large is not built in
/// a test) must still read back exactly, appended one by one or a chunk at a time.
final class EventOffsetsTests: XCTestCase {
    private let offsets = [0, 7, 4_294_967_290, 4_294_967_296, 4_294_967_300, 8_589_934_591, 8_589_934_592,
                           30_000_000_000, 30_000_000_001]

    func testOffsetsPast4GiBReadBackExactly() {
        var one = EventOffsets()
        for offset in offsets { one.append(offset) }
        XCTAssertEqual((0..<one.count).map { one[$0] }, offsets)
        XCTAssertEqual(one.prefix(events: 4).count, 4)
        XCTAssertEqual((0..<4).map { one.prefix(events: 4)[$0] }, Array(offsets.prefix(4)))
        XCTAssertEqual((0..<one.count).map { one.trimmed()[$0] }, offsets)
        XCTAssertEqual(Array(one), offsets)
        XCTAssertEqual(one.withUnsafeBufferPointer { view in (0..<one.count).map { view[$0] } }, offsets)
        one.removeLast(5)
        XCTAssertEqual((0..<one.count).map { one[$0] }, Array(offsets.prefix(4)))
        one.append(5_000_000_000)
        XCTAssertEqual(one[4], 5_000_000_000)
    }

    /// Chunks below 4 GiB, one crossing it, one past it, one crossing 8 GiB.
    func testChunksAppendedWithAShift() {
        var chunk = EventOffsets()
        for offset in [0, 100, 2_000_000_000] { chunk.append(offset) }
        var store = EventOffsets()
        var expected: [Int] = []
        for shift in [0, 2_100_000_000, 4_200_000_000, 6_300_000_000, 9_000_000_000] {
            store.append(contentsOf: chunk, adding: shift)
            expected += [shift, shift + 100, shift + 2_000_000_000]
        }
        XCTAssertEqual((0..<store.count).map { store[$0] }, expected)
    }
}
