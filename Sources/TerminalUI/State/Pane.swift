/// The debugger's panes, in Tab order.
public enum Pane: String, CaseIterable, Hashable, Sendable {
    case source = "Source"
    case tape = "Tape"
    case tensors = "Tensors"
    case graph = "Graph"
    case saved = "Saved values"
    case console = "Console"

    /// Whether `j`/`k` move a row inside this pane instead of stepping the cursor.
    public var hasOwnRows: Bool {
        switch self {
        case .tensors, .graph, .saved, .console: true
        case .source, .tape: false
        }
    }
}
