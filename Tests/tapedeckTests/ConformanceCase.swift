import Foundation

/// One recorded case: a program and what real PyTorch 2.13 did with it.
struct ConformanceCase {
    struct Expected: Decodable {
        var stdout: String
        var exit_code: Int32
        var error: String?
        var error_line: Int?
        var culprit_line: Int?
    }

    var name: String
    var expected: Expected

    /// The program's file name, as passed on the command line (tests run in the cases folder).
    var file: String { name + ".py" }

    /// Every case in Tests/Conformance/cases, sorted by name.
    static func all() throws -> [ConformanceCase] {
        let directory = Binary.casesDirectory
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".py") }
            .sorted()
            .map { file in
                let name = String(file.dropLast(3))
                let data = try Data(contentsOf: directory.appendingPathComponent(name + ".expected.json"))
                return ConformanceCase(name: name, expected: try JSONDecoder().decode(Expected.self, from: data))
            }
    }
}
