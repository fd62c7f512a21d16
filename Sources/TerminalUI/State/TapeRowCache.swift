import Synchronization

/// The Tape pane's rows as the last frames drew them, without the cursor's and the failures'
/// marks: a row's text is a function of its step alone (its op decoded from the tape, versions,
/// bumps, saves, names), so a keystroke that moves the cursor by one redraws one new row instead
/// of decoding and formatting the pane's every row again (a seventh of a 200×60 frame's
/// instructions, docs/benchmarks.md `frame`).
///
/// A reference shared by the copies of one state, which all have the same debugger and steps;
/// emptied when the glyphs change (rows draw arrows with them) and when it holds `capacity`
/// rows, so a walk through a long tape does not keep every row it passed.
final class TapeRowCache: Sendable {
    /// Far more rows than any screen shows, few enough to stay small.
    static let capacity = 4_096

    private struct Rows {
        var glyphs: Glyphs?
        var lines: [Int: Line] = [:]
    }

    private let rows = Mutex(Rows())

    /// Step `index`'s row drawn with `glyphs`, nil when it is not kept.
    func line(for index: Int, glyphs: Glyphs) -> Line? {
        rows.withLock { $0.glyphs == glyphs ? $0.lines[index] : nil }
    }

    /// Keeps `line` as step `index`'s row drawn with `glyphs`.
    func keep(_ line: Line, for index: Int, glyphs: Glyphs) {
        rows.withLock { rows in
            if rows.glyphs != glyphs || rows.lines.count >= Self.capacity {
                rows = Rows(glyphs: glyphs)
            }
            rows.lines[index] = line
        }
    }
}
