import PythonLexer
import XCTest

/// `SourceDecoding`: python3.11's refusal of a program file that is not UTF-8. Each expected byte
/// and line is what `python3 FILE` printed on this machine for the same bytes.
final class SourceDecodingTests: XCTestCase {
    private func message(_ bytes: [UInt8]) -> String? {
        guard case let .failure(error) = SourceDecoding.decode(bytes, path: "p.py") else { return nil }
        XCTAssertFalse(error.located)
        XCTAssertEqual(error.kind, .syntax)
        return error.message
    }

    private func python(_ byte: String, line: Int) -> String {
        "Non-UTF-8 code starting with '\\x\(byte)' in file p.py on line \(line), but no encoding declared; see https://peps.python.org/pep-0263/ for details"
    }

    func testTheFirstBadByteAndItsLineAreNamed() {
        let prefix = Array("x = 1\n\ny = '".utf8)
        XCTAssertEqual(message(prefix + [0xFF, 0x27, 0x0A]), python("ff", line: 3))
        XCTAssertEqual(message(prefix + [0xC0, 0x80]), python("c0", line: 3), "overlong")
        XCTAssertEqual(message(prefix + [0xED, 0xA0, 0x80]), python("ed", line: 3), "a surrogate")
        XCTAssertEqual(message(prefix + [0xF4, 0x90, 0x80, 0x80]), python("f4", line: 3), "above U+10FFFF")
        XCTAssertEqual(message(prefix + [0xE0, 0x80, 0x80]), python("e0", line: 3), "overlong three-byte form")
        XCTAssertEqual(message(Array("ok".utf8) + [0xF0, 0x9F, 0x98]), python("f0", line: 1), "cut short at the end")
        XCTAssertEqual(message([0x23, 0x20, 0xE9, 0x0A]), python("e9", line: 1), "in a comment too")
    }

    func testUTF8AndItsByteOrderMarkAreRead() {
        XCTAssertEqual(try SourceDecoding.decode(Array("é = '✗'\n".utf8), path: "p.py").get(), "é = '✗'\n")
        XCTAssertEqual(try SourceDecoding.decode([0xEF, 0xBB, 0xBF] + Array("x = 1\n".utf8), path: "p.py").get(), "x = 1\n")
    }

    func testADeclaredEncodingIsRefusedByName() {
        XCTAssertEqual(message(Array("# -*- coding: latin-1 -*-\nprint('".utf8) + [0xE9, 0x27, 0x29, 0x0A]),
                       "tapedeck does not support the source encoding 'latin-1' declared in file p.py on line 1; save the file as UTF-8")
        XCTAssertEqual(message(Array("#!/usr/bin/env python3\n# vim: set fileencoding=cp1252 :\n".utf8) + [0x80]),
                       "tapedeck does not support the source encoding 'cp1252' declared in file p.py on line 2; save the file as UTF-8")
        XCTAssertEqual(message(Array("x = 1\n# coding: latin-1\n".utf8) + [0xE9]), python("e9", line: 3),
                       "a declaration on line 2 counts only after a comment or blank line 1")
    }
}
