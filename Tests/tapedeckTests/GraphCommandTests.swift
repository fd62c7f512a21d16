import Foundation
import XCTest

/// `tapedeck graph` writes DOT without any tool, and SVG through Graphviz's `dot`.
final class GraphCommandTests: XCTestCase {
    func testDOTOnStandardOutput() throws {
        let output = try Binary.run(["graph", "samples/saved_input_plus_equals.py"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("digraph grad_fn {\n"))
        XCTAssertTrue(output.stdout.contains("saved v0, now v1 — stale, unpack fails"))
    }

    func testSVGRendersThroughGraphviz() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-graph-\(UUID()).svg")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try Binary.run(["graph", "samples/gan_optimizer_step.tdt", "--format", "svg", "-o", file.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        let svg = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"), "dot -Tsvg wrote an SVG document")
        XCTAssertTrue(svg.contains("in&#45;place op to blame") || svg.contains("in-place op to blame"))
        XCTAssertTrue(svg.contains("#d62728"), "the culprit is drawn in red")
    }

    func testAMissingTargetIsNamed() throws {
        let output = try Binary.run(["graph", "nope.py"])
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stderr, "tapedeck: error: nope.py: no such file\n")
    }
}
