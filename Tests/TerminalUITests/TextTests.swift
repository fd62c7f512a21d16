import CTerminal
import Glibc
import Testing
@testable import TerminalUI

@Suite struct TextWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("─", 1), ("▶", 1), ("✗", 1), ("中", 2), ("🙂", 2), ("e\u{301}", 1), ("\u{1B}", 0), ("\t", 0),
    ])
    func widthOfOneGrapheme(_ text: String, _ expected: Int) {
        #expect(TextWidth.of(text) == expected)
    }

    @Test func agreesWithTheCLibraryWcwidthOnSampleScalars() {
        setlocale(LC_CTYPE, "C.UTF-8")
        let scalars: [UInt32] = [0x41, 0xE9, 0x2500, 0x25B6, 0x2717, 0x2192, 0x4E2D, 0xAC00, 0xFF21, 0x1F642, 0x301, 0x200B]
        for value in scalars {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(TextWidth.of(scalar) == Int(ct_wcwidth(value)), "U+\(String(value, radix: 16))")
        }
    }

    /// Text where an ASCII byte is followed by a scalar that joins its grapheme (a combining
    /// mark, a variation selector, a zero-width joiner), CR LF, a prepended mark before ASCII,
    /// wide and emoji graphemes between ASCII, controls: what the byte-by-byte ASCII path must
    /// leave to the grapheme path.
    static let mixedTexts = [
        "plain ascii", "e\u{301}x", "a#\u{FE0F}b", "ab\u{301}\u{302}c", "a\r\nb", "\r\n", "\r\n\u{301}x", "a\r\n中", "\r\u{301}", "x\u{600}1y", "a❤\u{FE0F}b", "t1@v0 → t2@v0",
        "中a中", "🙂🙂x", "a\u{200D}b", "👨\u{200D}👩\u{200D}👧 family", "\u{1B}[31mred", "tab\there", "\u{301}lead", "end\u{301}",
    ]

    @Test(arguments: mixedTexts)
    func widthOfTextIsTheSumOfItsGraphemes(_ text: String) {
        #expect(TextWidth.of(text) == text.reduce(0) { $0 + TextWidth.of($1) })
    }

    @Test func truncateEndsInAnEllipsisAndPadFillsToTheWidth() {
        #expect(TextWidth.truncate("MulBackward0", to: 6) == "MulBa…")
        #expect(TextWidth.truncate("short", to: 6) == "short")
        #expect(TextWidth.pad("ab", to: 4) == "ab  ")
        #expect(TextWidth.padLeft("7", to: 3) == "  7")
        #expect(TextWidth.truncate("中中中", to: 5) == "中中…")
    }
}

@Suite struct SanitizerTests {
    @Test func escapeSequencesAreDroppedWhole() {
        #expect(Sanitizer.line("a\u{1B}[31mred\u{1B}[0m") == "ared")
        #expect(Sanitizer.line("x\u{1B}]0;title\u{07}y") == "xy")
        #expect(Sanitizer.line("\u{1B}[2J\u{1B}[Hboom") == "boom")
    }

    @Test func otherControlCharactersBecomeAVisibleReplacement() {
        #expect(Sanitizer.line("a\u{07}b\u{7F}c\u{9B}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(Sanitizer.line("left\u{202E}right") == "left\u{FFFD}right")
        #expect(Sanitizer.line("cr\rlf") == "cr\u{FFFD}lf")
    }

    @Test func tabsExpandToTabStopsAndNewlinesAreShownInOneLine() {
        #expect(Sanitizer.line("\tx") == "    x")
        #expect(Sanitizer.line("ab\tc") == "ab  c")
        #expect(Sanitizer.line("one\ntwo") == "one↵two")
        #expect(Sanitizer.lines("one\n\ttwo") == ["one", "    two"])
    }

    @Test func cleanTextIsReturnedUnchanged() {
        let text = "y = a * a  # saves a → ✗ 中"
        #expect(Sanitizer.line(text) == text)
    }
}

@Suite struct ValueFormatTests {
    @Test func valuesPrintLikePyTorch() {
        #expect(ValueFormat.value(2, dtype: "float32") == "2.")
        #expect(ValueFormat.value(0.5, dtype: "float32") == "0.5000")
        #expect(ValueFormat.value(-1.25, dtype: "float64") == "-1.2500")
        #expect(ValueFormat.value(3, dtype: "int64") == "3")
        #expect(ValueFormat.value(1, dtype: "bool") == "True")
        // Whatever a recorded torch.empty previews: huge values format instead of trapping.
        #expect(ValueFormat.value(1.2345678e30, dtype: "float32") == "1.2346e+30")
        #expect(ValueFormat.value(-3.4028234663852886e38, dtype: "float32") == "-3.4028e+38")
        #expect(ValueFormat.value(99_999.5e3, dtype: "float32") == "99999500.")
        #expect(ValueFormat.value(9.99999e8, dtype: "float64") == "1.0000e+09")
        #expect(ValueFormat.value(1.7976931348623157e308, dtype: "float64") == "1.7977e+308")
        #expect(ValueFormat.value(1e19, dtype: "int64") == "1e+19")
        #expect(ValueFormat.shape([]) == "[]")
        #expect(ValueFormat.shape([2, 3]) == "[2, 3]")
    }

    @Test func previewMarksTruncatedTensors() {
        #expect(ValueFormat.preview([1, 1], dtype: "float32", numel: 2) == "[1., 1.]")
        #expect(ValueFormat.preview([1, 1], dtype: "float32", numel: 100) == "[1., 1., …]")
        #expect(ValueFormat.preview(Array(repeating: 0, count: 10), dtype: "int64", numel: 10, limit: 3) == "[0, 0, 0, …]")
    }
}
