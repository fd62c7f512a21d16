/// The first line of a trace file: what wrote it and the program it ran.
public struct TraceHeader: Hashable, Sendable {
    /// The format name every trace starts with.
    public static let formatName = "tapedeck-trace"
    /// The format version this build reads and writes; readers reject a newer major version.
    /// 1.1 adds the header's `dropped` field; a trace without it is written as 1.0.
    public static let currentVersion = FormatVersion(major: 1, minor: 1)
    /// The version of a trace that uses nothing 1.1 added (no `dropped`).
    public static let baseVersion = FormatVersion(major: 1, minor: 0)

    public var version: FormatVersion
    /// Who wrote the trace: `tapedeck 0.1.0` or `tapedeck_torch 0.1.0 (torch 2.13.0+cpu)`.
    public var producer: String
    /// The program's path as given on the command line.
    public var path: String
    /// The program's source text, so a trace explains itself without the file.
    public var source: String
    /// What a step window dropped from the recording, nil when it kept everything.
    public var dropped: DroppedSteps?

    public init(version: FormatVersion = TraceHeader.baseVersion, producer: String, path: String, source: String,
                dropped: DroppedSteps? = nil) {
        self.version = version
        self.producer = producer
        self.path = path
        self.source = source
        self.dropped = dropped
    }

    /// The version a writer puts in the header: the lowest that has every field this header uses.
    public var writtenVersion: FormatVersion {
        dropped == nil ? TraceHeader.baseVersion : TraceHeader.currentVersion
    }
}

/// A `major.minor` trace-format version.
public struct FormatVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public var description: String { "\(major).\(minor)" }
}
