import ArgumentParser
import Script
import Debugger
import Foundation

/// `tapedeck graph TARGET [--format dot|svg] [-o FILE]`: the grad_fn graph at the failure (or at
/// the end of the run), with saved versions and the culprit in red.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the grad_fn graph at the first autograd error (or at the end of the run).",
        discussion: """
            Nodes show grad_fn.name(), the sequence number and the forward line that created them; \
            saved slots show their saved and current version. The stale slot, the failing node and \
            the in-place op to blame are red. DOT needs nothing; SVG runs Graphviz's `dot` \
            (Debian package graphviz, installed by scripts/bootstrap.sh).

            Exit status: 0 when the picture was written, 2 when TARGET is unusable or `dot` failed.
            """
    )

    /// The output language.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot
        case svg
    }

    @OptionGroup var target: LaunchOptions

    @Option(help: "dot (Graphviz source) or svg (rendered by Graphviz's dot).")
    var format: Format = .dot

    @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
    var output: String?

    func run() throws {
        Interruption.install()
        throw ExitCode(execute())
    }

    private func execute() -> Int32 {
        do throws(CommandError) {
            let run = try target.launch.withoutPreviews.runs(announce: Standard.note)[0]
            let debugger = run.debugger
            let dot = GraphvizRenderer(picture: debugger.picture(), source: debugger.source).dot()
            let bytes = format == .svg ? try Graphviz.svg(fromDOT: dot) : Data(dot.utf8)
            guard let output else {
                FileHandle.standardOutput.write(bytes)
                return 0
            }
            guard FileManager.default.createFile(atPath: output, contents: bytes) else { throw .cannotCreate(output) }
            return 0
        } catch {
            return Standard.fail(error)
        }
    }
}
