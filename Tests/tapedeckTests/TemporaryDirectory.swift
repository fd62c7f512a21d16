import Foundation
import XCTest

extension XCTestCase {
    /// A new empty folder under the system's temporary directory, removed with everything in it when
    /// the test ends (pass or fail), so test runs leave no `tapedeck-tests-*` folders behind.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
