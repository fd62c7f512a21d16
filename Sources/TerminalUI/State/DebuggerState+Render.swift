extension DebuggerState {
    /// Draws the whole screen at `width`×`height` into a fresh buffer; only visible rows are built.
    public func render(width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        let layout = ScreenLayout(state: self, width: width, height: height)
        if layout.isTooSmall {
            renderTooSmall(into: &buffer, width: width, height: height)
            return buffer
        }
        for (pane, area) in layout.panes.sorted(by: { $0.key.order < $1.key.order }) {
            switch pane {
            case .source: SourcePane(state: self).render(into: &buffer, area: area)
            case .tape: TapePane(state: self).render(into: &buffer, area: area)
            case .tensors: TensorsPane(state: self).render(into: &buffer, area: area)
            case .graph: GraphPane(state: self).render(into: &buffer, area: area)
            case .saved: SavedPane(state: self).render(into: &buffer, area: area)
            case .console: ConsolePane(state: self).render(into: &buffer, area: area)
            }
        }
        if let banner = layout.banner, let failure = failureHere {
            Banner(text: Sanitizer.line(failure.headline), glyphs: glyphs).render(into: &buffer, area: banner)
        }
        renderBottomLine(into: &buffer, area: layout.status)
        switch mode {
        case .help(let scroll):
            let overlay = Overlay(title: "Keys", lines: keyMap.helpLines, scroll: scroll, glyphs: glyphs)
            overlay.render(into: &buffer, area: overlay.frame(in: buffer.area))
        case .inspect(_, let scroll):
            let details = Details(state: self)
            let overlay = Overlay(title: details.title, lines: details.lines(), scroll: scroll, glyphs: glyphs)
            overlay.render(into: &buffer, area: overlay.frame(in: buffer.area))
        case .normal, .search, .goTo:
            break
        }
        return buffer
    }

    /// The status line's position text: `op 12/40 · line 9 · forward`.
    public var positionText: String {
        guard let step else { return "empty tape" }
        let separator = glyphs.separator
        let line = "line \(step.line)"
        switch step.kind {
        case .op:
            guard case .op(let op) = tape[step.event] else { return line }
            return "op \(op.index + 1)/\(debugger.opCount)\(separator)\(line)\(separator)forward"
        case .node(let node):
            let backward = step.backward ?? 0
            let count = debugger.replays[backward].steps.count
            return "node \(node + 1)/\(count)\(separator)\(line)\(separator)backward #\(backward)"
        case .backwardCall:
            return "backward() #\(step.backward ?? 0)\(separator)\(line)\(separator)backward"
        case .error:
            return "error\(separator)\(line)\(separator)\(step.backward == nil ? "forward" : "backward")"
        }
    }

    private func renderBottomLine(into buffer: inout Buffer, area: Rect) {
        switch mode {
        case .search(let text):
            Prompt(label: "/", text: text).render(into: &buffer, area: area)
        case .goTo(let text):
            Prompt(label: ":", text: text).render(into: &buffer, area: area)
        case .normal, .help, .inspect:
            var left = "step \(cursor + 1)/\(stepCount)\(glyphs.separator)\(positionText)"
            if case .help = mode {
                left += "\(glyphs.separator)HELP"
            } else if case .inspect = mode {
                left += "\(glyphs.separator)INSPECT"
            } else if zoomed {
                left += "\(glyphs.separator)ZOOM"
            }
            if let loading = loadingText {
                left += "\(glyphs.separator)\(loading)"
            } else if let stopped = stoppedText {
                left += "\(glyphs.separator)\(stopped)"
            }
            if let dropped = tape.header.dropped {
                left += "\(glyphs.separator)\(dropped.steps) EARLIER STEPS DROPPED"
            }
            if let message {
                left += "\(glyphs.separator)\(Sanitizer.line(message))"
            }
            StatusBar(left: left, hints: keyMap.hints).render(into: &buffer, area: area)
        }
    }

    /// `STOPPED: NotImplementedError at line 4` (the Debugger's `RunEnd.statusLine`) for a run that
    /// did not complete and has no autograd error to show, so the screen never passes for a clean run.
    var stoppedText: String? {
        guard case let .incomplete(end) = verdict else { return nil }
        return end.statusLine.map { Sanitizer.line($0) }
    }

    private func renderTooSmall(into buffer: inout Buffer, width: Int, height: Int) {
        let lines = [
            "tapedeck needs at least \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight)",
            "this terminal is \(width)x\(height)",
            "enlarge it, or press q to quit",
        ]
        let top = max(0, (height - lines.count) / 2)
        for (offset, text) in lines.enumerated() {
            let clipped = TextWidth.truncate(text, to: width, ellipsis: glyphs.ellipsis)
            buffer.write(clipped, column: max(0, (width - TextWidth.of(clipped)) / 2), row: top + offset, role: offset == 0 ? .heading : .normal)
        }
    }
}

extension Pane {
    var order: Int { Pane.allCases.firstIndex(of: self) ?? 0 }
}
