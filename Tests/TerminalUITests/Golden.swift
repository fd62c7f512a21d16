import Foundation
import XCTest
@testable import TerminalUI

/// Compares a rendered screen with `Golden/<name>.txt`: the text rows, then a `roles` section with one
/// letter per cell (`Role.rawValue`). Records the file when it is missing or `UPDATE_GOLDEN=1` is set.
func assertGolden(_ buffer: Buffer, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    let actual = goldenText(buffer)
    let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
    guard !update, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        XCTFail("recorded golden \(name); check it and run again", file: file, line: line)
        return
    }
    guard expected != actual else { return }
    let expectedRows = expected.components(separatedBy: "\n")
    let actualRows = actual.components(separatedBy: "\n")
    var report = "golden \(name) differs (UPDATE_GOLDEN=1 records it):"
    for index in 0..<max(expectedRows.count, actualRows.count) {
        let old = index < expectedRows.count ? expectedRows[index] : "<none>"
        let new = index < actualRows.count ? actualRows[index] : "<none>"
        if old != new {
            report += "\nrow \(index)\n  expected: |\(old)|\n  actual:   |\(new)|"
        }
    }
    XCTFail(report, file: file, line: line)
}

/// The golden form of a screen: its text (trailing spaces trimmed, as `tmux capture-pane` shows it)
/// and its role mask.
func goldenText(_ buffer: Buffer) -> String {
    buffer.lines.joined(separator: "\n") + "\n--- roles ---\n" + buffer.roleMask.joined(separator: "\n") + "\n"
}
