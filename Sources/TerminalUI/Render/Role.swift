/// What a cell means on screen; the backend's theme turns each role into colours or attributes.
///
/// Cells carry a role rather than colours so that golden screens can assert meaning (one letter
/// per role in `Buffer.roleMask`) and so the same frame renders in colour, monochrome or `NO_COLOR`.
public enum Role: Character, CaseIterable, Hashable, Sendable {
    case normal = "."
    case dim = "d"
    case border = "b"
    case borderFocused = "B"
    case title = "t"
    case titleFocused = "T"
    case heading = "h"
    case selection = "s"
    case currentLine = "c"
    case culprit = "x"
    case stale = "!"
    case inPlace = "i"
    case saved = "v"
    case backward = "w"
    case error = "e"
    case banner = "E"
    case statusBar = "S"
    case hint = "H"
    case ok = "o"
    case prompt = "p"
}
