import XCTest

final class TapeTestsPlaceholder: XCTestCase {}
