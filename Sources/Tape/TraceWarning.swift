/// Something wrong with a trace file that still let it load, to be shown to the user.
public enum TraceWarning: Hashable, Sendable, CustomStringConvertible {
    /// The file ends in the middle of line `line` (no newline, not a complete event), as a
    /// recording that was killed mid-write leaves it; the `events` complete events before it were read.
    case cutOffLastLine(file: String, line: Int, events: Int)

    /// `run.tdt:812: warning: ...`, ready to print.
    public var description: String {
        switch self {
        case let .cutOffLastLine(file, line, events):
            "\(file):\(line): warning: the trace ends in the middle of this line (the recording was cut off); "
                + "read the \(events) complete events before it"
        }
    }
}
