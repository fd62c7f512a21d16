import XCTest

final class AutogradTestsPlaceholder: XCTestCase {}
