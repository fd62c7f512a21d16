/// Where in the source an event was issued: the statement or expression that ran the op.
///
/// Lines and columns are 1-based; `endColumn` is one past the last character, so a caret
/// can underline `column..<endColumn`. A column of 0 means "unknown".
public struct CallSite: Hashable, Sendable {
    /// 1-based line in `file` (or in the traced program when `file` is nil).
    public var line: Int
    /// 1-based column of the first character of the span, 0 when unknown.
    public var column: Int
    /// 1-based column one past the span's last character, 0 when unknown.
    public var endColumn: Int
    /// The source file when it is not the traced program itself (a library frame, another module).
    public var file: String?
    /// The library function the write happened in, such as `Adam.step`, when the innermost
    /// user frame called into a package: "inside `Adam.step` called from train.py:57".
    public var frame: String?

    public init(line: Int, column: Int = 0, endColumn: Int = 0, file: String? = nil, frame: String? = nil) {
        self.line = line
        self.column = column
        self.endColumn = endColumn
        self.file = file
        self.frame = frame
    }

    /// A site for events that no source line issued (set-up code, the engine itself).
    public static let unknown = CallSite(line: 0)
}
