import Foundation

/// Runs the built `tapedeck` executable the way a user would and captures what it printed.
struct Binary {
    struct Output {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// The `tapedeck` built beside this test bundle (`swift build` puts every product in one folder).
    static let url: URL = {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") } ?? Bundle.main
        var directory = bundle.bundleURL.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("tapedeck").path) {
            directory = bundle.bundleURL
        }
        return directory.appendingPathComponent("tapedeck")
    }()

    /// The repository's root, for paths to samples and cases.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let casesDirectory = root.appendingPathComponent("Tests/Conformance/cases")

    /// Runs `tapedeck ARGUMENTS` (or another copy of it, `executable`) in `directory` with no
    /// terminal attached, with `environment` changes on top of this process's environment.
    static func run(
        _ arguments: [String], in directory: URL = root, environment: [String: String] = [:], executable: URL = url
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are drained at once: reading one to its end first deadlocks as soon as the
        // program fills the other pipe's buffer (64 KiB), e.g. a traceback quoting a 10 MB line.
        let stderr = Drain(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr.wait(), as: UTF8.self),
            status: process.terminationStatus
        )
    }
}

/// Reads a pipe to its end on a thread of its own; `wait()` returns what it read.
private final class Drain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
