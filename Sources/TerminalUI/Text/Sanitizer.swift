import Debugger

/// Makes untrusted text (names, values, messages and source from a trace file) safe to draw.
///
/// A control character or escape sequence must never reach the terminal: ncurses would print
/// it as `^X` (breaking alignment) or, worse, pass it through. Tabs become spaces to the next
/// tab stop, escape sequences are dropped whole, any other `isTerminalUnsafe` character (Debugger's
/// one definition) becomes `�` so the reader sees that something was there.
public enum Sanitizer {
    /// The replacement shown for a character that cannot be drawn.
    public static let replacement: Character = "\u{FFFD}"

    /// One line of safe text: newlines become `↵`.
    public static func line(_ text: String, tabWidth: Int = 4) -> String {
        clean(text, tabWidth: tabWidth, newline: "↵")
    }

    /// Safe lines of a multi-line text, split at newlines.
    public static func lines(_ text: String, tabWidth: Int = 4) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            clean(String($0), tabWidth: tabWidth, newline: "↵")
        }
    }

    private static func clean(_ text: String, tabWidth: Int, newline: String) -> String {
        guard needsCleaning(text) else { return text }
        var result = ""
        var column = 0
        var escape = EscapeState.none
        for character in text {
            let scalar = character.unicodeScalars.first?.value ?? 0
            switch escape {
            case .afterEscape:
                escape = scalar == 0x5B ? .csi : (scalar == 0x5D ? .osc : .none)
                continue
            case .csi:
                if scalar >= 0x40 && scalar <= 0x7E {
                    escape = .none
                }
                continue
            case .osc:
                if scalar == 0x07 {
                    escape = .none
                } else if scalar == 0x1B {
                    escape = .afterEscape
                }
                continue
            case .none:
                break
            }
            if scalar == 0x1B {
                escape = .afterEscape
            } else if character == "\t" {
                let spaces = tabWidth - column % tabWidth
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else if character == "\n" || character == "\r\n" {
                result += newline
                column += 1
            } else if isUnsafe(character) {
                result.append(replacement)
                column += 1
            } else {
                result.append(character)
                column += TextWidth.of(character)
            }
        }
        return result
    }

    private enum EscapeState {
        case none, afterEscape, csi, osc
    }

    private static func needsCleaning(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.isTerminalUnsafe }
    }

    private static func isUnsafe(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.isTerminalUnsafe }
    }
}
