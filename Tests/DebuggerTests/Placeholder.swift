import XCTest

final class DebuggerTestsPlaceholder: XCTestCase {}
