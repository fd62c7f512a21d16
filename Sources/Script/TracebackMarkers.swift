import Foundation

/// Python 3.11's position markers under a traceback's source line: `^^^^` under the expression
/// that was running, or `~~~^~~` around a binary operator or subscript.
extension Interpreter {
    static func markers(for frame: TracebackFrame, line: String) -> String? {
        guard let span = frame.span, span.line == frame.line, span.column >= 1 else { return nil }
        let chars = Array(line)
        let stripped = line.trimmingCharacters(in: .whitespaces)
        let strippedCharacters = chars.count + 1 - stripped.count
        let start = span.column - 1
        var end = span.endLine == span.line ? span.endColumn - 1 : 0
        var anchors: (left: Int, right: Int)?
        if span.endLine == span.line {
            guard end > start, end <= chars.count else { return nil }
            anchors = frame.anchor.flatMap { anchorOffsets($0, segment: Array(chars[start..<end]), start: start) }
        } else {
            end = String(chars).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression).count
        }
        guard end - start < stripped.count || (anchors.map { $0.right - $0.left > 0 } ?? false) else { return nil }
        var out = "    " + String(repeating: " ", count: max(start + 1 - strippedCharacters, 0))
        if let anchors {
            out += String(repeating: "~", count: anchors.left)
            out += String(repeating: "^", count: anchors.right - anchors.left)
            out += String(repeating: "~", count: end - start - anchors.right)
        } else {
            out += String(repeating: "^", count: end - start)
        }
        return out
    }

    /// `_extract_caret_anchors_from_line_segment`: offsets inside the segment where `^` starts and ends.
    private static func anchorOffsets(_ anchor: TracebackFrame.Anchor, segment: [Character], start: Int) -> (left: Int, right: Int)? {
        switch anchor {
        case .binary(let leftEnd, let rightStart):
            let operatorStart = leftEnd - 1 - start, operatorEnd = rightStart - 1 - start
            guard operatorStart >= 0, operatorEnd <= segment.count, operatorStart <= operatorEnd else { return nil }
            let operatorText = segment[operatorStart..<operatorEnd]
            let offset = operatorText.prefix { $0.isWhitespace }.count
            var left = operatorStart + offset
            var right = left + 1
            if offset + 1 < operatorText.count && !operatorText[operatorText.startIndex + offset + 1].isWhitespace { right += 1 }
            while left < segment.count && (segment[left].isWhitespace || segment[left] == ")" || segment[left] == "#") {
                left += 1
                right += 1
            }
            return (left, right)
        case .subscript(let valueEnd, let indexEnd):
            var left = valueEnd - 1 - start
            var right = indexEnd - 1 - start + 1
            guard left >= 0 else { return nil }
            while left < segment.count && segment[left] != "[" { left += 1 }
            while right < segment.count && segment[right] != "]" { right += 1 }
            if right < segment.count { right += 1 }
            return (left, right)
        }
    }
}
