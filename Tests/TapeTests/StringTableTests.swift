import XCTest
@testable import Tape

/// `StringTable` hashes and compares names eight bytes at a time, with a tail of 1–7 bytes read
/// whole or byte by byte: strings that differ only in one byte at any position, of every length
/// around the word boundaries, must get distinct ids, and equal strings the same id.
final class StringTableTests: XCTestCase {
    func testStringsDifferingInOneByteGetDistinctIDs() {
        var table = StringTable()
        var expected: [[UInt8]: Int] = [:]
        for length in 0...33 {
            let base = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
            var variants = [base]
            for position in 0..<length {
                var changed = base
                changed[position] &+= 1
                variants.append(changed)
            }
            for bytes in variants {
                let id = bytes.withUnsafeBufferPointer { table.intern($0) }
                if let known = expected[bytes] {
                    XCTAssertEqual(id, known)
                } else {
                    XCTAssertEqual(id, expected.count, "a new string gets the next id")
                    expected[bytes] = id
                }
            }
        }
        XCTAssertEqual(table.count, expected.count)
        for (bytes, id) in expected {
            XCTAssertEqual(bytes.withUnsafeBufferPointer { table.intern($0) }, id, "interned again")
            XCTAssertEqual(table.id(of: String(decoding: bytes, as: UTF8.self)), id)
            XCTAssertEqual(Array(table[id].utf8), bytes)
            XCTAssertEqual(table.withBytes(of: id) { Array($0) }, bytes)
        }
    }

    /// Many random names (the table rehashes several times) keep their ids.
    func testRandomNamesKeepTheirIDsAcrossRehashing() {
        var generator = SystemRandomNumberGenerator()
        var table = StringTable()
        var names: [String] = []
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let name = String((0..<length).map { _ in "abcdefghijklmnopqrstuvwxyz:._0123456789é".randomElement(using: &generator)! })
            let id = table.intern(name)
            if id == names.count { names.append(name) } else { XCTAssertEqual(names[id], name) }
        }
        for (id, name) in names.enumerated() {
            XCTAssertEqual(table.id(of: name), id)
        }
        XCTAssertNil(table.id(of: "not interned: \u{1F600}"))
    }
}
