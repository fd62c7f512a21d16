@testable import tapedeck
import XCTest

/// `Recording`: the options tapedeck hands the recorder, and what `explain` changes in them.
final class RecordingTests: XCTestCase {
    func testArgumentsAreTheRecordersOwnOptions() {
        XCTAssertEqual(Recording().arguments, [])
        XCTAssertEqual(Recording(recorder: .native, keepSteps: 2).arguments, ["--native", "--keep-steps", "2"])
        XCTAssertEqual(Recording(recorder: .python).arguments, [])
        XCTAssertEqual(Recording(previews: false).arguments, ["--values", "0"])
    }

    func testExplainRecordsWithoutPreviewsAndAsksForNothingElse() {
        let launch = Launch(targets: ["train.py"], engine: nil, recording: Recording(keepSteps: 3))
        let reporting = Explain.reporting(launch)
        XCTAssertEqual(reporting.recording.arguments, ["--keep-steps", "3", "--values", "0"])
        XCTAssertFalse(Explain.reporting(Launch(targets: ["train.py"], engine: nil)).recording.isRequested,
                       "leaving previews out does not send a program inside the subset to real PyTorch")
        XCTAssertEqual(reporting.targets, launch.targets)
    }
}
