import Foundation
import XCTest

extension XCTestCase {
    /// Skips the test unless `python3` can import torch: the tests that run real PyTorch through the
    /// bundled recorder need it, and scripts/bootstrap.sh installs it for CI.
    func requireTorch() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import torch"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try XCTSkipUnless(process.terminationStatus == 0, "python3 with torch is needed (scripts/bootstrap.sh installs it)")
    }
}
