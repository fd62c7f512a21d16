import Foundation

/// Unbuffered writes to the process's standard streams, safe to call from the interpreter's thread.
enum Standard {
    static func out(_ text: String) { write(text, to: FileHandle.standardOutput) }
    static func error(_ text: String) { write(text, to: FileHandle.standardError) }

    private static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }

    /// One line of information on stderr, prefixed like every message of tapedeck's own.
    static func note(_ text: String) { error("tapedeck: \(text)\n") }

    /// `note`, only when stderr is a terminal: progress for a person watching, which in a pipe or
    /// a log would only change what a script reads.
    static func progress(_ text: String) {
        if isatty(STDERR_FILENO) == 1 { note(text) }
    }

    /// Reports an unusable input the way compilers do, and gives the exit status for it.
    static func fail(_ error: CommandError) -> Int32 {
        Standard.error("tapedeck: error: \(error.description)\n")
        return 2
    }
}
