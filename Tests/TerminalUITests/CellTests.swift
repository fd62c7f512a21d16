import XCTest
@testable import TerminalUI

/// `Cell` holds its grapheme's bytes inline (a long one by number): every grapheme a frame can
/// hold comes back whole, and cells compare by grapheme and role as the `String`s did.
final class CellTests: XCTestCase {
    /// One grapheme of each length the inline bytes hold, around the 8-byte word boundary and the
    /// 16-byte limit, and longer ones held by number.
    private let graphemes = [
        " ", "a", "~", "é", "e\u{301}", "─", "中", "👍", "👍🏽", "🇫🇷", "🏳️‍🌈",
        "a\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}",  // 15 bytes
        "a\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}",  // 17 bytes
        "👨‍👩‍👧‍👦", "👩🏽‍❤️‍💋‍👨🏻",
    ]

    func testEveryGraphemeComesBackWhole() {
        for grapheme in graphemes {
            XCTAssertEqual(Cell(grapheme, role: .culprit).symbol, grapheme)
            XCTAssertFalse(Cell(grapheme).isContinuation)
        }
        XCTAssertEqual(graphemes.map(\.utf8.count).filter { $0 > 16 }.count, 3, "some are held by number")
        XCTAssertEqual(Cell(ascii: UInt8(ascii: "x"), role: .dim), Cell("x", role: .dim))
        XCTAssertTrue(Cell("").isContinuation)
        XCTAssertEqual(Cell("").symbol, "")
    }

    func testCellsAreEqualExactlyWhenGraphemeAndRoleAre() {
        for (i, a) in graphemes.enumerated() {
            for (j, b) in graphemes.enumerated() {
                XCTAssertEqual(Cell(a) == Cell(b), i == j, "\(a) against \(b)")
            }
            XCTAssertNotEqual(Cell(a, role: .normal), Cell(a, role: .dim))
            XCTAssertEqual(Cell(a).hashValue, Cell(a).hashValue)
        }
    }

    func testARunOfCellsIsWrittenAsTheirGraphemes() {
        var buffer = Buffer(width: 12, height: 1)
        buffer.write("a👨‍👩‍👧‍👦é中b", column: 0, row: 0, role: .normal)
        XCTAssertEqual(Presenter.runs(from: nil, to: buffer).map(\.text), ["a👨‍👩‍👧‍👦é中b     "])
    }
}

/// `LongGraphemes`: numbered once each, and bounded.
final class LongGraphemesTests: XCTestCase {
    func testEachTextIsNumberedOnceAndTheTableStopsAtItsCapacity() {
        var table = LongGraphemes(capacity: 2)
        let family = "👨‍👩‍👧‍👦", kiss = "👩🏽‍❤️‍💋‍👨🏻", third = "🏳️‍⚧️🏳️‍⚧️"
        let first = table.number(of: family)
        XCTAssertEqual(table.number(of: kiss), 1)
        XCTAssertEqual(table.number(of: family), first, "the same text, the same number")
        XCTAssertNil(table.number(of: third), "full")
        XCTAssertEqual(table.text(of: 1), kiss)
    }
}
