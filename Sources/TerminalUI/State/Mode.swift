/// What the keyboard is talking to: the panes, a prompt, or an overlay.
public enum Mode: Hashable, Sendable {
    case normal
    /// Typing a `/` search.
    case search(String)
    /// Typing a `:` step number.
    case goTo(String)
    /// The `?` overlay, scrolled by this many rows.
    case help(scroll: Int)
    /// The `Enter` details overlay.
    case inspect(Inspection, scroll: Int)
}

/// What the details overlay shows.
public enum Inspection: Hashable, Sendable {
    case tensor(Int)
    case node(Int)
    case step(Int)
}
