import Tape
import XCTest

final class SortedPositionsTests: XCTestCase {
    /// `countBefore` against counting by hand, on ascending arrays with repeats, gaps and slices
    /// that do not start at index 0.
    func testCountBeforeCountsTheSmallerElements() {
        let positions = [2, 3, 3, 7, 10, 10, 10, 15]
        for value in -1...17 {
            XCTAssertEqual(positions.countBefore(value), positions.filter { $0 < value }.count, "value \(value)")
            let slice = positions[3...]
            XCTAssertEqual(slice.countBefore(value), slice.filter { $0 < value }.count, "slice, value \(value)")
        }
        XCTAssertEqual([Int]().countBefore(5), 0)
    }
}
