/// How python3 reads a program file: UTF-8 (PEP 3120). A file that is not is refused before
/// tokenizing with python3.11's own message, which names the file, the line and the first bad byte.
public enum SourceDecoding {
    /// The text of `bytes` (a UTF-8 byte order mark dropped, as python3 does), or python3.11's
    /// `SyntaxError: Non-UTF-8 code starting with '\xff' in file PATH on line 2, but no encoding
    /// declared; …` for the first byte that does not start a valid UTF-8 sequence.
    public static func decode(_ bytes: [UInt8], path: String) -> Result<String, SyntaxError> {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) { return .success(text) }
        if let (encoding, declaredAt) = declaredEncoding(body) {
            let message = "tapedeck does not support the source encoding '\(encoding)' declared in file \(path) on line \(declaredAt); "
                + "save the file as UTF-8"
            return .failure(SyntaxError(message, at: SourceSpan(line: declaredAt, column: 0, endLine: declaredAt, endColumn: 0), located: false))
        }
        let offset = min(firstInvalidOffset(body), body.count - 1)
        let line = body[..<offset].count { $0 == 0x0A } + 1
        let hex = String(body[offset], radix: 16)
        let message = "Non-UTF-8 code starting with '\\x\(hex.count == 1 ? "0" + hex : hex)' in file \(path) on line \(line), "
            + "but no encoding declared; see https://peps.python.org/pep-0263/ for details"
        return .failure(SyntaxError(message, at: SourceSpan(line: line, column: 0, endLine: line, endColumn: 0), located: false))
    }

    /// A PEP 263 declaration (`# -*- coding: latin-1 -*-`) on line 1, or on line 2 after a comment
    /// or blank line 1, naming an encoding other than UTF-8: python3 would decode the file with it.
    static func declaredEncoding(_ bytes: [UInt8]) -> (String, line: Int)? {
        let lines = bytes.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false).prefix(2)
        for (index, line) in lines.enumerated() {
            let text = String(decoding: line, as: UTF8.self)
            let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
            guard trimmed.hasPrefix("#") else {
                if trimmed.allSatisfy(\.isWhitespace) { continue }
                return nil
            }
            guard let match = trimmed.firstMatch(of: /coding[:=][ \t]*([-\w.]+)/) else { continue }
            let name = String(match.1)
            let normalized = name.lowercased().replacing("_", with: "-")
            return normalized == "utf-8" || normalized == "utf8" ? nil : (name, index + 1)
        }
        return nil
    }

    /// The offset of the first byte that does not start a well-formed UTF-8 sequence (no overlong
    /// forms, surrogates or code points above U+10FFFF), or `bytes.count` when there is none.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let (length, second): (Int, ClosedRange<UInt8>) = switch lead {
            case 0x00...0x7F: (1, 0x80...0xBF)
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xE1...0xEF: (3, 0x80...0xBF)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            default: (0, 0x80...0xBF)
            }
            guard length > 0, i + length <= bytes.count else { return i }
            if length > 1 {
                guard second.contains(bytes[i + 1]), bytes[(i + 2)..<(i + length)].allSatisfy({ (0x80...0xBF).contains($0) }) else { return i }
            }
            i += length
        }
        return bytes.count
    }
}
