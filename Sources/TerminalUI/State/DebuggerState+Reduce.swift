import Debugger
import Tape

extension DebuggerState {
    /// Applies one key: through the keymap in normal mode, as text in a prompt, as close/scroll in an overlay.
    public mutating func reduce(_ key: Key) {
        message = nil
        switch mode {
        case .normal:
            if case .click(let column, let row) = key {
                click(column: column, row: row)
            } else if let action = keyMap.action(for: key) {
                apply(action)
            }
        case .search(let text):
            if let query = edit(text, key, digitsOnly: false, make: Mode.search) {
                commitSearch(query)
            }
        case .goTo(let text):
            if let number = edit(text, key, digitsOnly: true, make: Mode.goTo) {
                goTo(number)
            }
        case .help(let scroll):
            mode = overlayKey(key, scroll: scroll).map { .help(scroll: $0) } ?? .normal
        case .inspect(let target, let scroll):
            mode = overlayKey(key, scroll: scroll).map { .inspect(target, scroll: $0) } ?? .normal
        }
    }

    /// Records the terminal size the next frame is rendered at (mouse clicks map through it).
    public mutating func resize(width: Int, height: Int) {
        screen = (width, height)
    }

    /// Applies one action in normal mode.
    public mutating func apply(_ action: Action) {
        switch action {
        case .down:
            focus.hasOwnRows ? moveRow(by: 1) : move(to: cursor + 1)
        case .up:
            focus.hasOwnRows ? moveRow(by: -1) : move(to: cursor - 1)
        case .nextStep:
            move(to: cursor + 1)
        case .previousStep:
            move(to: cursor - 1)
        case .nextLine:
            nextLine()
        case .previousLine:
            previousLine()
        case .firstStep:
            move(to: 0)
        case .lastStep:
            move(to: stepCount - 1)
        case .pageDown:
            move(to: cursor + 10)
        case .pageUp:
            move(to: cursor - 10)
        case .backwardNode:
            backwardNode()
        case .nextError:
            nextError()
        case .inspect:
            inspect()
        case .startSearch:
            mode = .search("")
        case .nextMatch:
            jumpToMatch(forward: true)
        case .previousMatch:
            jumpToMatch(forward: false)
        case .startGoTo:
            mode = .goTo("")
        case .focusNext:
            cycleFocus(by: 1)
        case .focusPrevious:
            cycleFocus(by: -1)
        case .zoom:
            zoomed.toggle()
        case .narrowLeft:
            leftPercent = max(20, leftPercent - 5)
        case .widenLeft:
            leftPercent = min(80, leftPercent + 5)
        case .growTop:
            topPercent = min(75, topPercent + 5)
        case .shrinkTop:
            topPercent = max(15, topPercent - 5)
        case .help:
            mode = .help(scroll: 0)
        case .cancel:
            search = nil
        case .quit:
            isFinished = true
        }
    }

    /// Moves the cursor to `step`, clamped to the tape.
    public mutating func move(to step: Int) {
        guard stepCount > 0 else { return }
        let target = min(max(0, step), stepCount - 1)
        if target != cursor {
            cursor = target
            reach()
            rows[.tensors] = nil
            rows[.graph] = nil
            rows[.saved] = nil
            rows[.console] = nil
        }
    }

    private mutating func moveRow(by delta: Int) {
        if focus == .console {
            rows[.console] = max(0, (rows[.console] ?? 0) - delta)
            return
        }
        let count = rowCount(focus)
        guard let current = row(focus, count: count) else { return }
        rows[focus] = min(max(0, current + delta), count - 1)
    }

    func rowCount(_ pane: Pane) -> Int {
        switch pane {
        case .tensors: listedTensors.count
        case .saved: debugger.savedCount(at: position)
        case .graph: GraphPane.rows(for: self, limit: GraphPane.rowLimit).count
        case .source, .tape, .console: 0
        }
    }

    private mutating func nextLine() {
        guard let line = step?.line else { return }
        let steps = index.steps
        var index = cursor + 1
        while index < steps.count, steps[index].line == line || steps[index].line == 0 {
            index += 1
        }
        if index < steps.count {
            move(to: index)
        } else {
            message = "no later source line"
        }
    }

    private mutating func previousLine() {
        guard let line = step?.line else { return }
        let steps = index.steps
        var index = cursor - 1
        while index >= 0, steps[index].line == line || steps[index].line == 0 {
            index -= 1
        }
        guard index >= 0 else {
            message = "no earlier source line"
            return
        }
        let target = steps[index].line
        while index > 0, steps[index - 1].line == target {
            index -= 1
        }
        move(to: index)
    }

    /// `b`: the next node of the cursor's backward call, or of the next call after a forward
    /// step; a binary search and a range, so that a key costs the same on a call of a million nodes.
    private mutating func backwardNode() {
        let later = index.backwardSteps.countBefore(cursor + 1)
        let backward = step?.backward ?? (later < index.backwardSteps.count ? later : nil)
        guard let backward else {
            message = "no backward() call after this step"
            return
        }
        let nodes = nodeSteps(of: backward)
        let next = max(nodes.lowerBound, cursor + 1)
        if next < nodes.upperBound {
            move(to: next)
        } else {
            message = "backward \(backward) has no more nodes"
        }
    }

    private mutating func nextError() {
        guard !failures.isEmpty else {
            message = loading == nil ? "no errors on this tape" : "no errors in the events loaded so far"
            return
        }
        if let next = failures.first(where: { $0.step > cursor }) {
            move(to: next.step)
        } else {
            move(to: failures[0].step)
            message = "wrapped to the first error"
        }
    }

    private mutating func inspect() {
        switch focus {
        case .tensors:
            let tensors = listedTensors
            if let row = row(.tensors, count: tensors.count) {
                mode = .inspect(.tensor(tensors[row]), scroll: 0)
            }
        case .saved:
            if let row = row(.saved, count: debugger.savedCount(at: position)),
               let saved = debugger.savedValues(at: position, in: row..<(row + 1)).first {
                mode = .inspect(.tensor(saved.tensor), scroll: 0)
            }
        case .graph:
            let rows = GraphPane.rows(for: self, limit: GraphPane.rowLimit)
            if let row = row(.graph, count: rows.count), let node = rows[row].node {
                mode = .inspect(.node(node), scroll: 0)
            }
        case .source, .tape, .console:
            if step != nil {
                mode = .inspect(.step(cursor), scroll: 0)
            }
        }
    }

    private mutating func cycleFocus(by delta: Int) {
        let panes = Pane.allCases
        let index = panes.firstIndex(of: focus) ?? 0
        focus = panes[(index + delta + panes.count) % panes.count]
    }

    /// Edits a prompt's text; returns the text when Enter commits it.
    private mutating func edit(_ text: String, _ key: Key, digitsOnly: Bool, make: (String) -> Mode) -> String? {
        switch key {
        case .escape:
            mode = .normal
        case .enter:
            mode = .normal
            return text
        case .backspace:
            mode = make(String(text.dropLast()))
        case .character(let character) where !digitsOnly || character.isASCII && character.isNumber:
            mode = make(text + String(character))
        default:
            mode = make(text)
        }
        return nil
    }

    private mutating func goTo(_ text: String) {
        guard let number = Int(text) else { return }
        guard number >= 1, number <= stepCount else {
            message = "no step \(number) (steps are 1–\(stepCount))"
            return
        }
        move(to: number - 1)
    }

    private mutating func commitSearch(_ query: String) {
        guard !query.isEmpty else {
            search = nil
            return
        }
        let matches = searchTable.matches(for: query)
        search = (query, matches)
        guard !matches.isEmpty else {
            message = "no match for \(query)"
            return
        }
        jumpToMatch(forward: true, includingCurrent: true)
    }

    private mutating func jumpToMatch(forward: Bool, includingCurrent: Bool = false) {
        guard let search, !search.matches.isEmpty else {
            message = "no search: press / to search"
            return
        }
        // Matches are in step order: the next or previous one is a binary search from the cursor.
        let matches = search.matches
        let found: Int
        if forward {
            let next = matches.countBefore(includingCurrent ? cursor : cursor + 1)
            found = next < matches.count ? next : 0
        } else {
            let before = matches.countBefore(cursor)
            found = before > 0 ? before - 1 : matches.count - 1
        }
        move(to: matches[found])
        message = "match \(found + 1)/\(matches.count) for \(search.query)"
    }

    private func overlayKey(_ key: Key, scroll: Int) -> Int? {
        switch key {
        case .character("j"), .down: scroll + 1
        case .character("k"), .up: max(0, scroll - 1)
        case .pageDown, .character(" "): scroll + 10
        case .pageUp: max(0, scroll - 10)
        case .resize: scroll
        default: nil
        }
    }

    private mutating func click(column: Int, row: Int) {
        let layout = ScreenLayout(state: self, width: screen.width, height: screen.height)
        guard let (pane, area) = layout.panes.first(where: { $0.value.contains(column: column, row: row) }) else { return }
        focus = pane
        let inner = area.inset(1)
        guard inner.contains(column: column, row: row) else { return }
        switch pane {
        case .tape:
            let first = ListView.offset(count: stepCount, selected: cursor, height: inner.height)
            move(to: first + row - inner.y)
        case .tensors, .saved:
            let count = rowCount(pane)
            let body = inner.height - 1
            let first = ListView.offset(count: count, selected: self.row(pane, count: count), height: body)
            let index = first + row - inner.y - 1
            if row > inner.y, index < count {
                rows[pane] = index
            }
        case .graph:
            let count = rowCount(.graph)
            let header = min(GraphPane.flowLines(for: self).count, max(0, inner.height - 1))
            let first = ListView.offset(count: count, selected: self.row(.graph, count: count), height: inner.height - header)
            let index = first + row - inner.y - header
            if index >= 0, index < count {
                rows[.graph] = index
            }
        case .source:
            let lines = debugger.source.lines.count
            let current = max(0, (step?.line ?? 1) - 1)
            let first = ListView.offset(count: lines, selected: current, height: inner.height)
            let line = first + row - inner.y + 1
            if let target = index.steps.firstIndex(where: { $0.line == line }) {
                move(to: target)
            }
        case .console:
            break
        }
    }
}
