import ArgumentParser
import Glibc

/// The `tapedeck` command: a debugger for PyTorch autograd errors that names the in-place op to blame.
@main
struct Tapedeck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapedeck",
        abstract: "A debugger for PyTorch autograd errors that names the in-place op to blame.",
        discussion: """
            FILE is a program in tapedeck's Python subset (PROGRAM.py) or a trace file (RUN.tdt) \
            recorded by `tapedeck record` or by the PyTorch recorder (`python3 -m tapedeck_torch`).
            """,
        subcommands: [Open.self, Run.self, Explain.self, Record.self, Graph.self],
        defaultSubcommand: Open.self
    )

    /// Runs a plain `explain` command line directly (`ExplainShortcut`), anything else through
    /// ArgumentParser.
    static func main() {
        if let shortcut = ExplainShortcut(CommandLine.arguments.dropFirst()) {
            Glibc.exit(Explain.execute(shortcut.launch, json: shortcut.json))
        }
        main(nil)
    }
}
