/// How each role looks: a colour pair and attributes in colour, attributes alone in monochrome
/// (a terminal without colours, or `NO_COLOR` set).
public enum Theme {
    /// The eight ANSI colours, numbered as curses numbers them.
    public enum Color: Int16, Hashable, Sendable {
        case black = 0, red, green, yellow, blue, magenta, cyan, white
    }

    /// A role's look: colours (nil is the terminal's default) and attributes.
    public struct Appearance: Hashable, Sendable {
        public var foreground: Color?
        public var background: Color?
        public var bold = false
        public var reverse = false
        public var underline = false
        public var dim = false
    }

    /// The look of `role`, with or without colour.
    public static func appearance(of role: Role, color: Bool) -> Appearance {
        color ? colored(role) : monochrome(role)
    }

    private static func colored(_ role: Role) -> Appearance {
        switch role {
        case .normal, .prompt: Appearance()
        case .dim: Appearance(dim: true)
        case .border: Appearance(foreground: .blue)
        case .borderFocused: Appearance(foreground: .cyan, bold: true)
        case .title: Appearance(bold: true)
        case .titleFocused: Appearance(foreground: .cyan, bold: true, reverse: true)
        case .heading: Appearance(foreground: .yellow, bold: true)
        case .selection: Appearance(foreground: .black, background: .cyan)
        case .currentLine: Appearance(foreground: .yellow, bold: true)
        case .culprit: Appearance(foreground: .white, background: .red, bold: true)
        case .stale: Appearance(foreground: .red, bold: true)
        case .inPlace: Appearance(foreground: .magenta, bold: true)
        case .saved: Appearance(foreground: .cyan)
        case .backward: Appearance(foreground: .green)
        case .error: Appearance(foreground: .red, bold: true)
        case .banner: Appearance(foreground: .white, background: .red, bold: true)
        case .statusBar, .hint: Appearance(foreground: .black, background: .white)
        case .ok: Appearance(foreground: .green)
        }
    }

    private static func monochrome(_ role: Role) -> Appearance {
        switch role {
        case .normal, .saved, .backward, .ok, .prompt, .border: Appearance()
        case .dim: Appearance(dim: true)
        case .borderFocused, .title, .heading, .currentLine, .error: Appearance(bold: true)
        case .titleFocused: Appearance(bold: true, reverse: true)
        case .selection, .statusBar, .hint: Appearance(reverse: true)
        case .culprit, .banner: Appearance(bold: true, reverse: true)
        case .stale: Appearance(bold: true, underline: true)
        case .inPlace: Appearance(underline: true)
        }
    }
}
