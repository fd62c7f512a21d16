/// The key bindings as data: they drive dispatch, the `?` help overlay and the hint bar alike,
/// so what the help says is what the keys do.
public struct KeyMap: Sendable {
    /// Keys bound to one action, with the words the help and the hint bar show.
    public struct Binding: Hashable, Sendable {
        public var keys: [Key]
        public var action: Action
        public var help: String
        /// The short label in the status bar's hint, nil when the binding is only in the help.
        public var hint: String?

        public init(_ keys: [Key], _ action: Action, _ help: String, hint: String? = nil) {
            self.keys = keys
            self.action = action
            self.help = help
            self.hint = hint
        }
    }

    public let bindings: [Binding]
    private let table: [Key: Action]

    public init(_ bindings: [Binding]) {
        self.bindings = bindings
        var table: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys {
                table[key] = binding.action
            }
        }
        self.table = table
    }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> Action? { table[key] }

    /// The help overlay's rows: the keys, then what they do; the mouse last.
    public var helpLines: [Line] {
        let labels = bindings.map { $0.keys.map(\.label).joined(separator: " ") }
        let width = (labels.map(TextWidth.of).max() ?? 0) + 2
        let keys = zip(labels, bindings).map { label, binding in
            Line([Span(TextWidth.pad(label, to: width), .heading), Span(binding.help)])
        }
        return keys + [Line([Span(TextWidth.pad("click", to: width), .heading), Span("focus the pane and select the row under the pointer")])]
    }

    /// The status bar's reminder of the main keys, in binding order.
    public var hints: [String] {
        bindings.compactMap(\.hint)
    }

    /// tapedeck's bindings.
    public static let standard = KeyMap([
        Binding([.character("n")], .nextStep, "next step (into a backward() call, node by node)", hint: "n/p step"),
        Binding([.character("j"), .down], .down, "next step; next row when Tensors, Saved, Graph or Console has focus"),
        Binding([.character("p")], .previousStep, "previous step (stepping back is free: the tape is recorded)"),
        Binding([.character("k"), .up], .up, "previous step; previous row in a list pane"),
        Binding([.character("N")], .nextLine, "next source line", hint: "N/P line"),
        Binding([.character("P")], .previousLine, "previous source line"),
        Binding([.character("g"), .home], .firstStep, "first step"),
        Binding([.character("G"), .end], .lastStep, "last step"),
        Binding([.pageDown, .control("d")], .pageDown, "ten steps forward"),
        Binding([.pageUp, .control("u")], .pageUp, "ten steps back"),
        Binding([.character("b")], .backwardNode, "replay backward one node at a time from the current backward call", hint: "b backward"),
        Binding([.character("e")], .nextError, "jump to the next error and show its culprit", hint: "e error"),
        Binding([.enter], .inspect, "inspect the selected row (values, grad, view/base, version counter)", hint: "Enter inspect"),
        Binding([.character("/")], .startSearch, "search ops and tensors", hint: "/ search"),
        Binding([.character(".")], .nextMatch, "next match"),
        Binding([.character(",")], .previousMatch, "previous match"),
        Binding([.character(":")], .startGoTo, "go to step number"),
        Binding([.tab], .focusNext, "focus the next pane", hint: "Tab pane"),
        Binding([.backTab], .focusPrevious, "focus the previous pane"),
        Binding([.character("z")], .zoom, "zoom the focused pane (again to restore)"),
        Binding([.character("<")], .narrowLeft, "move the column split left"),
        Binding([.character(">")], .widenLeft, "move the column split right"),
        Binding([.character("+")], .growTop, "make the top panes taller"),
        Binding([.character("-")], .shrinkTop, "make the top panes shorter"),
        Binding([.character("?")], .help, "this help", hint: "? help"),
        Binding([.escape], .cancel, "close the overlay or prompt"),
        Binding([.character("q")], .quit, "quit (also Ctrl-C)", hint: "q quit"),
    ])
}
