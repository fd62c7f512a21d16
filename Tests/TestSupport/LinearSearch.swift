import TerminalUI

/// The `/` search as it was before the table of text ids (`StepSearch`): every step's text built
/// and lowercased, then searched. The TerminalUI tests compare the table with it and the search
/// benchmark times it as the baseline, so both use this one copy.
extension DebuggerState {
    /// Each step's text as the linear search built it, in one pass as it did.
    public func linearSearchTexts() -> [String] {
        var labels: [Int: String] = [:]
        return index.steps.indices.map { linearSearchText(of: $0, labels: &labels) }
    }

    /// The steps the linear search found for `query`, building each step's text as it went.
    public func linearSearch(_ query: String) -> [Int] {
        let needle = query.lowercased()
        var labels: [Int: String] = [:]
        return index.steps.indices.filter { characterContains(linearSearchText(of: $0, labels: &labels).lowercased(), needle) }
    }

    /// The text the linear search built for a step: its op or node, its call and the labels of its
    /// tensors, each labelled as at the first op step that lists it (kept in `labels`).
    private func linearSearchText(of step: Int, labels: inout [Int: String]) -> String {
        let row = index.steps[step]
        if case .node(let node) = row.kind, let backward = row.backward {
            return debugger.replays[backward].steps[node].name
        }
        switch tape[row.event] {
        case .op(let op):
            let position = index.positions[step]
            let tensors = (op.inputs + op.outputs).map { tensor in
                if let known = labels[tensor.tensor] {
                    return known
                }
                let name = label(tensor.tensor, at: position)
                labels[tensor.tensor] = name
                return name
            }
            return ([op.name, op.call] + tensors).joined(separator: " ")
        case .error(let error):
            return "\(error.type): \(error.message)"
        case .backward:
            return "backward"
        default:
            return ""
        }
    }

    /// The step `b` (backward replay) moved to before it used the index: the backward call after a
    /// forward step, then the first of that call's nodes after the cursor, found by scanning the
    /// steps. The reducer tests check the key against it; the backward-key benchmark times it.
    public func scannedBackwardTarget() -> Int {
        let backward = step?.backward ?? index.steps.dropFirst(cursor + 1).first { $0.kind == .backwardCall }?.backward
        guard let backward else { return cursor }
        return nodeSteps(of: backward).first { $0 > cursor } ?? cursor
    }
}

/// The steps among `texts` (from `linearSearchTexts()`) that the linear search found for `query`:
/// the text lowercased contains the query lowercased.
public func linearSearch(_ query: String, in texts: [String]) -> [Int] {
    let needle = query.lowercased()
    return texts.indices.filter { characterContains(texts[$0].lowercased(), needle) }
}

/// `text.contains(needle)` by whole characters, as the TerminalUI module calls it. This module
/// does not import Foundation, whose `contains` would also find a combining mark inside a
/// character (`"\u{301}"` in `" \u{301}"`); a caller that imports Foundation calls this instead.
public func characterContains<Text: Collection>(_ text: Text, _ needle: Text) -> Bool where Text.Element == Character {
    text.contains(needle)
}
