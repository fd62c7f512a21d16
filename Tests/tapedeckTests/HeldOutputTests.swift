import Foundation
@testable import tapedeck
import XCTest

/// The output of a trial run on tapedeck's engine: released in the order it was written, and a
/// notice while a long trial holds it back.
final class HeldOutputTests: XCTestCase {
    func testReleaseKeepsTheOrderOfStdoutAndStderrWrites() {
        let held = HeldOutput()
        held.stdout("a\n")
        held.stderr("warning\n")
        held.stdout("b\n")
        held.stderr("Traceback\n")
        let released = Collected()
        held.release(stdout: { released.add("out: " + $0) }, stderr: { released.add("err: " + $0) })
        XCTAssertEqual(released.items, ["out: a\n", "err: warning\n", "out: b\n", "err: Traceback\n"])
        let again = Collected()
        held.release(stdout: { again.add($0) }, stderr: { again.add($0) })
        XCTAssertEqual(again.items, [], "released once")
    }

    func testTheNoticeComesWhileTheTrialStillRuns() {
        let held = HeldOutput()
        let given = expectation(description: "notice")
        held.notice(after: .milliseconds(10)) { given.fulfill() }
        wait(for: [given], timeout: 10)
        held.finish()
    }

    func testNoNoticeOnceTheTrialHasEnded() {
        let held = HeldOutput()
        let given = expectation(description: "notice")
        given.isInverted = true
        held.notice(after: .milliseconds(50)) { given.fulfill() }
        held.finish()
        wait(for: [given], timeout: 0.5)
    }
}

/// Strings gathered from callbacks.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ item: String) {
        lock.lock()
        stored.append(item)
        lock.unlock()
    }

    var items: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
