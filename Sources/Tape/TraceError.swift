/// Why a trace file could not be read or written. Every failure of the codec is one of these,
/// never a crash, whatever the input.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, read or written; `reason` is the system's explanation.
    case io(file: String, reason: String)
    /// Line `line` (1-based) is not what the format expects; `message` says what was expected.
    case malformed(file: String, line: Int, message: String)
    /// The trace's major version is newer than this build reads.
    case unsupportedVersion(file: String, found: FormatVersion, supported: FormatVersion)

    /// `run.tdt:17: expected "k" (event kind) in object`, ready to print.
    public var description: String {
        switch self {
        case .io(let file, let reason):
            "\(file): \(reason)"
        case .malformed(let file, let line, let message):
            "\(file):\(line): \(message)"
        case .unsupportedVersion(let file, let found, let supported):
            "\(file): trace format version \(found) is newer than this tapedeck reads (\(supported)); "
                + "upgrade tapedeck to open it"
        }
    }
}
