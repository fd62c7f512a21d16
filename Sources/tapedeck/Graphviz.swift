import Foundation

/// Graphviz's `dot` program, found on PATH, turning DOT text into SVG.
enum Graphviz {
    /// Runs `dot -Tsvg` on `dot` and returns the SVG; throws when `dot` is missing or fails.
    static func svg(fromDOT dot: String) throws(CommandError) -> Data {
        guard let executable = Executable.find("dot") else { throw .noGraphviz }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .noGraphviz
        }
        let writer = Thread {
            input.fileHandleForWriting.write(Data(dot.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .graphvizFailed(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return svg
    }
}
