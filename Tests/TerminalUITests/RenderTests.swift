import XCTest
@testable import TerminalUI

final class BufferTests: XCTestCase {
    func testWriteClipsAtTheLimitAndReturnsTheNextColumn() {
        var buffer = Buffer(width: 10, height: 2)
        let end = buffer.write("abcdef", column: 2, row: 0, limit: 6, role: .heading)
        XCTAssertEqual(end, 6)
        XCTAssertEqual(buffer.lines, ["  abcd", ""])
        XCTAssertEqual(buffer.roleMask[0], "..hhhh....")
    }

    func testWideGraphemesTakeTwoCellsAndDoNotSplitAtTheEdge() {
        var buffer = Buffer(width: 5, height: 1)
        buffer.write("中中中", column: 0, row: 0, role: .normal)
        XCTAssertEqual(buffer.lines, ["中中"])
        XCTAssertTrue(buffer[1, 0].isContinuation)
        XCTAssertEqual(buffer[4, 0].symbol, " ")
    }

    func testControlCharactersNeverReachACell() {
        var buffer = Buffer(width: 10, height: 1)
        buffer.write("a\u{1B}b\u{07}c", column: 0, row: 0, role: .normal)
        XCTAssertEqual(buffer.lines, ["abc"])
    }

    /// `write` takes ASCII a byte at a time and the rest a grapheme at a time; it must draw what
    /// writing every grapheme in turn draws, at every start column and limit.
    func testWritingMixedTextDrawsWhatWritingEachGraphemeDraws() {
        for text in TextWidthTests.mixedTexts {
            for (column, limit) in [(0, 40), (-3, 40), (-1, 40), (2, 5), (0, 3), (1, 2)] {
                var drawn = Buffer(width: 40, height: 1)
                let end = drawn.write(text, column: column, row: 0, limit: limit, role: .saved)
                var expected = Buffer(width: 40, height: 1)
                let expectedEnd = Self.writeEachGrapheme(text, into: &expected, column: column, limit: limit)
                XCTAssertEqual(drawn, expected, "\(text.debugDescription) from \(column) to \(limit)")
                XCTAssertEqual(end, expectedEnd, "\(text.debugDescription) from \(column) to \(limit)")
            }
        }
    }

    /// The reference: each grapheme measured and put on its own.
    private static func writeEachGrapheme(_ text: String, into buffer: inout Buffer, column: Int, limit: Int) -> Int {
        var x = column
        for character in text {
            if x >= limit { break }
            let columns = TextWidth.of(character)
            if columns == 0 { continue }
            if x < 0 {
                x += columns
                continue
            }
            if x + columns > limit {
                buffer.put(" ", column: x, row: 0, role: .saved)
                x += 1
                continue
            }
            buffer.put(String(character), column: x, row: 0, role: .saved)
            if columns == 2 { buffer.put("", column: x + 1, row: 0, role: .saved) }
            x += columns
        }
        return x
    }

    func testFillBlanksOnlyTheRectInsideTheBuffer() {
        var buffer = Buffer(width: 6, height: 3)
        for row in 0..<3 { buffer.write("abcdef", column: 0, row: row, role: .normal) }
        buffer.fill(Rect(x: 1, y: 1, width: 3, height: 5), role: .stale)
        buffer.fill(Rect(x: -2, y: -1, width: 3, height: 2), role: .culprit)
        buffer.fill(Rect(x: 9, y: 0, width: 4, height: 2), role: .error)
        buffer.fill(Rect(x: 0, y: 7, width: 4, height: 2), role: .error)
        XCTAssertEqual(buffer.lines, [" bcdef", "a   ef", "a   ef"])
        XCTAssertEqual(buffer.roleMask, ["x.....", ".!!!..", ".!!!.."])
    }

    func testDiffListsOnlyChangedCells() {
        var before = Buffer(width: 4, height: 2)
        before.write("abcd", column: 0, row: 0, role: .normal)
        var after = before
        after.put("X", column: 2, row: 1, role: .culprit)
        XCTAssertEqual(after.diff(from: before), [CellChange(column: 2, row: 1, cell: Cell("X", role: .culprit))])
        XCTAssertEqual(after.diff(from: Buffer(width: 3, height: 2)).count, 8)
    }

    func testPresenterMergesAdjacentChangesOfOneRoleIntoOneWrite() {
        var before = Buffer(width: 8, height: 2)
        before.write("abcdefgh", column: 0, row: 0, role: .normal)
        var after = before
        after.write("XY", column: 2, row: 0, role: .normal)
        after.write("Z", column: 4, row: 0, role: .culprit)
        after.write("中", column: 0, row: 1, role: .normal)
        XCTAssertEqual(Presenter.runs(from: before, to: after), [
            Presenter.Run(column: 2, row: 0, text: "XY", role: .normal),
            Presenter.Run(column: 4, row: 0, text: "Z", role: .culprit),
            Presenter.Run(column: 0, row: 1, text: "中", role: .normal),
        ])
        XCTAssertEqual(Presenter.runs(from: after, to: after), [])
        XCTAssertEqual(Presenter.runs(from: nil, to: after).map(\.text), ["abXY", "Z", "fgh", "中      "])
    }
}

final class LayoutTests: XCTestCase {
    func testColumnsAndRowsShareTheSpaceAndTheLastTakesTheRemainder() {
        let area = Rect(x: 1, y: 2, width: 101, height: 10)
        XCTAssertEqual(area.columns([45, 55]).map(\.width), [45, 56])
        XCTAssertEqual(area.columns([45, 55])[1].x, 46)
        XCTAssertEqual(area.rows([1, 1, 1]).map(\.height), [3, 3, 4])
        XCTAssertEqual(area.splitBottom(1).bottom, Rect(x: 1, y: 11, width: 101, height: 1))
        XCTAssertEqual(area.inset(1), Rect(x: 2, y: 3, width: 99, height: 8))
        XCTAssertEqual(Rect(x: 0, y: 0, width: 1, height: 1).inset(1).width, 0)
    }

    func testScreenLayoutTilesTheScreenWithoutOverlap() {
        let state = SampleTapes.state(SampleTapes.savedInputMul())
        let layout = ScreenLayout(state: state, width: 120, height: 40)
        XCTAssertEqual(Set(layout.panes.keys), Set(Pane.allCases))
        let cells = layout.panes.values.reduce(0) { $0 + $1.width * $1.height }
        XCTAssertEqual(cells, 120 * 39)
        for (pane, area) in layout.panes {
            for (other, otherArea) in layout.panes where other != pane {
                XCTAssertFalse(area.contains(column: otherArea.x, row: otherArea.y), "\(pane) overlaps \(other)")
            }
        }
    }

    func testTheBannerTakesRowsAboveTheStatusLineAtAFailure() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.apply(.nextError)
        let layout = ScreenLayout(state: state, width: 100, height: 30)
        XCTAssertEqual(layout.banner, Rect(x: 0, y: 26, width: 100, height: 3))
        XCTAssertEqual(layout.status.y, 29)
    }
}

final class WidgetTests: XCTestCase {
    func testParagraphWrapsAtSpacesAndAnchorsAtTheBottom() {
        let wrapped = Paragraph.wrap(Line("the quick brown fox"), width: 10).map(\.text)
        XCTAssertEqual(wrapped, ["the quick ", "brown fox"])
        XCTAssertEqual(Paragraph.wrap(Line("abcdefghij12"), width: 5).map(\.text), ["abcde", "fghij", "12"])
        var buffer = Buffer(width: 10, height: 2)
        Paragraph(lines: ["1", "2", "3"], anchor: .bottom).render(into: &buffer, area: buffer.area)
        XCTAssertEqual(buffer.lines, ["2", "3"])
    }

    /// `wrap` cuts rows out of byte ranges; it must give the rows of wrapping a character at a
    /// time: breaks after spaces, words longer than the width cut, wide graphemes kept whole,
    /// neighbours of one role merged, the background kept.
    func testWrapGivesTheRowsOfWrappingACharacterAtATime() {
        let lines = [
            Line([Span("RuntimeError: ", .error), Span("one of the variables needed for gradient computation has been modified", .error)]),
            Line([Span("culprit: ", .heading), Span("train.py:12  h += 1", .culprit), Span(" ✗ culprit", .culprit)], background: .stale),
            Line([Span("  → ", .dim), Span("t3 v0→v1 by op 7 add_ at line 9 ", .normal), Span("中文中文 wide words", .normal)]),
            Line("averyveryverylongwordwithoutanyspaceatall and then some"),
            Line("e\u{301}e\u{301} combining   spaces    many a#\u{FE0F}b \u{1B}x tab\tend"),
            Line([Span("a ", .dim), Span("b ", .normal), Span("c ", .dim), Span("d", .dim)]),
        ]
        for line in lines {
            for width in 1...24 {
                XCTAssertEqual(Paragraph.wrap(line, width: width), Self.wrapEachCharacter(line, width: width), "\(line.text) at \(width)")
            }
        }
    }

    /// The reference: one character at a time, each row's spans built a character at a time.
    private static func wrapEachCharacter(_ line: Line, width: Int) -> [Line] {
        if line.width <= width { return [line] }
        var result: [Line] = []
        var current: [(Character, Role)] = []
        var used = 0
        var lastSpace: Int?
        func flush(_ pieces: ArraySlice<(Character, Role)>) {
            var wrapped = Line(background: line.background)
            for (character, role) in pieces {
                if let last = wrapped.spans.last, last.role == role {
                    wrapped.spans[wrapped.spans.count - 1].text.append(character)
                } else {
                    wrapped.spans.append(Span(String(character), role))
                }
            }
            result.append(wrapped)
        }
        for span in line.spans {
            for character in span.text {
                let columns = TextWidth.of(character)
                if used + columns > width, !current.isEmpty {
                    if let space = lastSpace, space + 1 < current.count {
                        flush(current[..<(space + 1)])
                        current = Array(current[(space + 1)...])
                    } else {
                        flush(current[...])
                        current = []
                    }
                    used = current.reduce(0) { $0 + TextWidth.of($1.0) }
                    lastSpace = current.lastIndex { $0.0 == " " }
                }
                current.append((character, span.role))
                used += columns
                if character == " " { lastSpace = current.count - 1 }
            }
        }
        if !current.isEmpty { flush(current[...]) }
        return result
    }

    func testListBuildsOnlyTheVisibleRowsAroundTheSelection() {
        var built: [Int] = []
        var buffer = Buffer(width: 10, height: 5)
        ListView(count: 1_000_000, selected: 500_000) { index in
            built.append(index)
            return Line(String(index))
        }.render(into: &buffer, area: buffer.area)
        XCTAssertEqual(built, Array(499_998...500_002))
        XCTAssertEqual(buffer.roleMask[2].first, "s")
        XCTAssertEqual(ListView.offset(count: 3, selected: 2, height: 5), 0)
        XCTAssertEqual(ListView.offset(count: 100, selected: 99, height: 10), 90)
    }

    func testFocusedBlockShowsItsTitleInBrackets() {
        var buffer = Buffer(width: 12, height: 3)
        Block(title: "Tape", focused: true, glyphs: .unicode).render(into: &buffer, area: buffer.area)
        XCTAssertEqual(buffer.lines, ["┌─[Tape]───┐", "│          │", "└──────────┘"])
        Block(title: "Tape", glyphs: .ascii).render(into: &buffer, area: buffer.area)
        XCTAssertEqual(buffer.lines[0], "+- Tape ---+")
    }

    func testTreeDrawsBranchesAndGuides() {
        let rows = [
            Tree.Row(line: "root", ancestorsAreLast: [], isLast: true),
            Tree.Row(line: "slot", ancestorsAreLast: [true], isLast: false, isDetail: true),
            Tree.Row(line: "a", ancestorsAreLast: [true], isLast: false),
            Tree.Row(line: "a1", ancestorsAreLast: [true, false], isLast: true),
            Tree.Row(line: "b", ancestorsAreLast: [true], isLast: true),
        ]
        var buffer = Buffer(width: 20, height: 5)
        Tree(rows: rows, glyphs: .unicode).render(into: &buffer, area: buffer.area)
        XCTAssertEqual(buffer.lines, ["root", "│  slot", "├─ a", "│  └─ a1", "└─ b"])
    }

    func testStatusBarPutsTheHintOnTheRight() {
        var buffer = Buffer(width: 30, height: 1)
        StatusBar(left: "op 1/2", hints: ["? help", "q quit"]).render(into: &buffer, area: buffer.area)
        XCTAssertEqual(buffer.lines, [" op 1/2        ? help  q quit"])
        XCTAssertEqual(buffer.roleMask[0], String(repeating: "S", count: 15) + String(repeating: "H", count: 14) + "S")
    }

    func testStatusBarDropsWholeHintsButKeepsHelpAndQuit() {
        let bar = StatusBar(left: "", hints: ["n/p step", "N/P line", "b backward", "? help", "q quit"])
        XCTAssertEqual(bar.fitting(100), "n/p step  N/P line  b backward  ? help  q quit")
        XCTAssertEqual(bar.fitting(34), "n/p step  N/P line  ? help  q quit")
        XCTAssertEqual(bar.fitting(20), "? help  q quit")
        XCTAssertEqual(bar.fitting(10), "")
    }
}

final class ThemeTests: XCTestCase {
    func testMonochromeKeepsTheMarksThatMatterVisible() {
        let plain = Theme.appearance(of: .normal, color: false)
        for role in [Role.selection, .culprit, .stale, .banner, .statusBar, .currentLine, .borderFocused] {
            XCTAssertNotEqual(Theme.appearance(of: role, color: false), plain, "\(role)")
            let mono = Theme.appearance(of: role, color: false)
            XCTAssertNil(mono.foreground)
            XCTAssertNil(mono.background)
        }
    }
}

final class TensorListTests: XCTestCase {
    func testStepTensorsComeFirstThenEveryOtherTensorNewestFirst() {
        let list = TensorList(stepTensors: [7, 2, 7, 12], announced: 10)
        XCTAssertEqual(list.first, [7, 2])
        XCTAssertEqual((0..<list.count).map { list[$0] }, [7, 2, 9, 8, 6, 5, 4, 3, 1, 0])
        XCTAssertEqual(TensorList(stepTensors: [], announced: 0).count, 0)
    }
}
