/// What a key asks the debugger UI to do; the keymap maps keys to actions, `reduce` applies them.
public enum Action: Hashable, Sendable, CaseIterable {
    /// `j`/`↓`: the next step, or the next row when Tensors, Saved, Graph or Console has focus.
    case down
    /// `k`/`↑`: the previous step, or the previous row in a list pane.
    case up
    case nextStep
    case previousStep
    case nextLine
    case previousLine
    case firstStep
    case lastStep
    case pageDown
    case pageUp
    case backwardNode
    case nextError
    case inspect
    case startSearch
    case nextMatch
    case previousMatch
    case startGoTo
    case focusNext
    case focusPrevious
    case zoom
    case narrowLeft
    case widenLeft
    case growTop
    case shrinkTop
    case help
    case cancel
    case quit
}
