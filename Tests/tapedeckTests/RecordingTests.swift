@testable import tapedeck
import XCTest

/// `Recording`: the options tapedeck hands the recorder, and what `explain` and `graph` change in them.
final class RecordingTests: XCTestCase {
    func testArgumentsAreTheRecordersOwnOptions() {
        XCTAssertEqual(Recording().arguments, ["--prefer-native"], "the native core where it can be built")
        XCTAssertEqual(Recording(recorder: .native, keepSteps: 2).arguments, ["--native", "--keep-steps", "2"])
        XCTAssertEqual(Recording(recorder: .python).arguments, [], "a recorder named is the one used")
        XCTAssertEqual(Recording(previews: false).arguments, ["--prefer-native", "--values", "0"])
    }

    func testWithoutPreviewsAsksForNothingElse() {
        let launch = Launch(targets: ["train.py"], engine: nil, recording: Recording(keepSteps: 3))
        let reporting = launch.withoutPreviews
        XCTAssertEqual(reporting.recording.arguments, ["--prefer-native", "--keep-steps", "3", "--values", "0"])
        XCTAssertEqual(Launch(targets: ["train.py"], engine: nil, recording: Recording(recorder: .python))
            .withoutPreviews.recording.arguments, ["--values", "0"])
        XCTAssertFalse(Launch(targets: ["train.py"], engine: nil).withoutPreviews.recording.isRequested,
                       "leaving previews out does not send a program inside the subset to real PyTorch")
        XCTAssertEqual(reporting.targets, launch.targets)
    }
}
