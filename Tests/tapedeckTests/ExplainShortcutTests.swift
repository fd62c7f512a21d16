import Script
@testable import tapedeck
import XCTest

/// The `explain` command lines taken without ArgumentParser mean what ArgumentParser makes of
/// them, and every other line is left to ArgumentParser.
final class ExplainShortcutTests: XCTestCase {
    func testAcceptedLinesParseAsArgumentParserParsesThem() throws {
        let lines: [[String]] = [
            ["explain", "run.tdt"],
            ["explain", "run.tdt", "--json"],
            ["explain", "--json", "run.tdt"],
            ["explain", "run.rank0.tdt", "run.rank1.tdt", "--json"],
            ["explain", "train.py", "3", "fast"],
            ["explain", "train.py", "3", "--json"],
        ]
        for line in lines {
            let shortcut = try XCTUnwrap(ExplainShortcut(line[...]), "\(line) takes the shortcut")
            let parsed = try XCTUnwrap(Tapedeck.parseAsRoot(line) as? Explain, "\(line) parses as explain")
            let expected = parsed.target.launch
            XCTAssertEqual(shortcut.targets, expected.targets, "\(line)")
            XCTAssertEqual(shortcut.json, parsed.json, "\(line)")
            XCTAssertNil(expected.engine, "\(line)")
            XCTAssertEqual(shortcut.launch.limits.maxSteps, expected.limits.maxSteps, "\(line)")
            XCTAssertEqual(shortcut.launch.limits.maxMemory, expected.limits.maxMemory, "\(line)")
        }
    }

    func testOtherLinesAreLeftToArgumentParser() {
        let lines: [[String]] = [
            [], ["run.tdt"], ["open", "run.tdt"], ["explain"], ["explain", "--json"],
            ["explain", "-h"], ["explain", "--help"], ["explain", "help"], ["explain", ""],
            ["explain", "--", "run.tdt"], ["explain", "--json", "--json", "run.tdt"],
            ["explain", "train.py", "--engine", "torch"], ["explain", "train.py", "--max-steps", "10"],
        ]
        for line in lines {
            XCTAssertNil(ExplainShortcut(line[...]), "\(line) goes to ArgumentParser")
        }
    }
}
