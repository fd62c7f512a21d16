import XCTest
@testable import Tape

/// The one-compare conversions from stored bytes give exactly what `init?(rawValue:)` gives.
final class StoredRawValuesTests: XCTestCase {
    func testEveryByteConvertsAsTheSynthesizedInitializerDoes() {
        for raw in UInt8.min...UInt8.max {
            XCTAssertEqual(TraceField(stored: raw), TraceField(rawValue: raw), "TraceField \(raw)")
            XCTAssertEqual(Event.Kind(stored: raw), Event.Kind(rawValue: raw), "Event.Kind \(raw)")
            XCTAssertEqual(FieldType(stored: raw), FieldType(rawValue: raw), "FieldType \(raw)")
        }
        XCTAssertEqual(TraceField.allCases.last, .code, "the bound is the last case")
        XCTAssertEqual(Event.Kind.allCases.last, .exit, "the bound is the last case")
    }
}
