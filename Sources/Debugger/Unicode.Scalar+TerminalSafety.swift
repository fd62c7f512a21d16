extension Unicode.Scalar {
    /// Whether this character of untrusted text (names, values, messages and source from a trace
    /// file or a program) must never reach a terminal or a drawing as it is: C0 controls (ESC starts
    /// every escape sequence: OSC 52 clipboard writes, OSC 0/2 title changes, CSI), DEL and the C1
    /// controls (U+009B is a one-byte CSI), the bidirectional embeddings, overrides and isolates that
    /// reorder what a reader sees ("Trojan Source"), and the line and paragraph separators.
    ///
    /// The one definition the debugger's `Sanitizer`, `explain`'s text and the Graphviz labels share;
    /// each decides what to show instead (and tabs and newlines are kept by the callers that lay out
    /// lines before asking).
    public var isTerminalUnsafe: Bool {
        switch value {
        case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }
}
