import XCTest

final class tapedeckTestsPlaceholder: XCTestCase {}
