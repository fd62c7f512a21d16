import Autograd
import Foundation

/// One case of Tests/Conformance/cases: a program and what real PyTorch 2.13 did with it on a
/// machine whose MKL runs the same kernel as this one. The one loader every test target uses.
public struct ConformanceCase: Sendable {
    /// What real PyTorch did (`scripts/regenerate_fixtures.py` records it; `culprit_line` is written by hand).
    public struct Expected: Decodable, Sendable {
        public var stdout: String
        public var exit_code: Int32
        public var error: String?
        public var error_line: Int?
        public var culprit_line: Int?
    }

    /// The folder of the cases, found from this file's place in the repository.
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Conformance/cases")

    public var name: String
    public var source: String
    public var expected: Expected

    /// The program's file name, as passed on the command line (tests run in the cases folder).
    public var file: String { name + ".py" }

    /// Reads case `name` from `directory` with the expectation for MKL kernel `kernel`.
    public init(name: String, in directory: URL = directory, kernel: MKLKernel = .current) throws {
        self.name = name
        source = try String(contentsOf: directory.appendingPathComponent(name + ".py"), encoding: .utf8)
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".expected.json"))
        expected = try JSONDecoder().decode(Expected.self, from: data)
        // The fields that differ when MKL runs another kernel sit under that kernel's name (only
        // `stdout` has ever differed: the last digit of a printed float).
        let fields = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        if let override = fields?[kernel.rawValue] as? [String: Any], let stdout = override["stdout"] as? String {
            expected.stdout = stdout
        }
    }

    /// Every case in `directory`, sorted by name.
    public static func all(in directory: URL = directory, kernel: MKLKernel = .current) throws -> [ConformanceCase] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".py") }
            .sorted()
            .map { try ConformanceCase(name: String($0.dropLast(3)), in: directory, kernel: kernel) }
    }
}
