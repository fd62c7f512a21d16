/// The characters frames are drawn with: Unicode box drawing, or ASCII when the locale is not UTF-8.
///
/// Every mark is text as well as colour (`▶` current, `✗` culprit or failure), so a frame reads
/// the same without colour, under `NO_COLOR` and in a plain-text capture.
public struct Glyphs: Hashable, Sendable {
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    /// A tree branch with siblings below (`├─`) and the last branch (`└─`), and the guide (`│ `).
    public var branch: String
    public var lastBranch: String
    public var guide: String
    public var current: String
    public var culprit: String
    public var arrow: String
    public var separator: String
    public var ellipsis: String
    public var backward: String
    public var saved: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        branch: "├─ ", lastBranch: "└─ ", guide: "│  ", current: "▶", culprit: "✗", arrow: "→",
        separator: " · ", ellipsis: "…", backward: "◀", saved: "●"
    )

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        branch: "|- ", lastBranch: "`- ", guide: "|  ", current: ">", culprit: "X", arrow: "->",
        separator: " - ", ellipsis: "~", backward: "<", saved: "*"
    )
}
