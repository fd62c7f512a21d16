import Tape

/// Writes a `GraphPicture` in Graphviz's DOT language: one box per grad_fn node (name, sequence
/// number, forward line, saved slots with saved/now versions), edges along `next_functions`, and
/// red for the stale slot, the failing node and the in-place op to blame.
///
/// Labels are HTML-like tables; every string from the tape is escaped, so a trace cannot inject
/// DOT or markup.
public struct GraphvizRenderer: Sendable {
    public let picture: GraphPicture
    public let source: SourceText

    public init(picture: GraphPicture, source: SourceText) {
        self.picture = picture
        self.source = source
    }

    static let red = "#d62728"
    static let grey = "#7f7f7f"

    /// The whole DOT document.
    public func dot() -> String {
        var lines = [
            "digraph grad_fn {",
            "  graph [label=<\(Self.escaped(picture.title))>, labelloc=t, fontname=\"Helvetica\"];",
            "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
        ]
        lines += picture.nodes.map { "  n\($0.id) [label=<\(label(of: $0))>];" }
        lines += picture.edges.map { "  n\($0.from) -> n\($0.to) [label=\"\($0.inputNr)\"];" }
        if let culprit = picture.culprit, !picture.culpritIsNode {
            lines.append("  culprit [label=<\(label(of: culprit))>];")
            if let target = picture.culpritTarget {
                lines.append("  culprit -> n\(target) [style=dashed, color=\"\(Self.red)\", label=\"modified in place\", fontcolor=\"\(Self.red)\"];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func label(of node: GraphPicture.Node) -> String {
        let border = node.isFailing || node.isCulprit ? Self.red : "black"
        let width = node.isFailing || node.isCulprit ? 2 : 1
        var rows = ["<tr><td><b>\(Self.escaped(node.name))</b></td></tr>"]
        var facts = [node.sequenceNr == NodeRecord.accumulateGradSequenceNr ? "sequence_nr max" : "sequence_nr \(node.sequenceNr)"]
        if let site = node.site { facts.append("line \(site.line)") }
        if let call = node.call, !call.isEmpty { facts.append(call) }
        rows.append("<tr><td>\(Self.escaped(facts.joined(separator: " · ")))</td></tr>")
        if let site = node.site, case let text = source.text(at: site), !text.isEmpty {
            rows.append("<tr><td><i>\(Self.escaped(text))</i></td></tr>")
        }
        if let variable = node.variable { rows.append("<tr><td>variable: \(Self.escaped(variable))</td></tr>") }
        if node.isCulprit { rows.append(Self.coloured("in-place op to blame", Self.red)) }
        rows += node.saved.map(row(of:))
        return "<table border=\"\(width)\" cellborder=\"0\" color=\"\(border)\">" + rows.joined() + "</table>"
    }

    private func row(of slot: GraphPicture.Slot) -> String {
        let value = slot.value
        let versions = "saved v\(value.savedVersion), now v\(value.currentVersion)"
        let text = "_saved_\(value.slot) = \(slot.tensorName): \(versions)"
        switch value.status {
        case .fresh:
            return "<tr><td align=\"left\">\(Self.escaped(text))</td></tr>"
        case .stale:
            return Self.coloured(text + (slot.isFailing ? " — stale, unpack fails" : " — stale"), Self.red)
        case let .freed(backward):
            return Self.coloured(text + " — freed by backward #\(backward)", Self.grey)
        }
    }

    private func label(of culprit: Diagnosis.Culprit) -> String {
        var rows = [Self.coloured("in-place op to blame", Self.red)]
        var place = "line \(culprit.site.line)"
        if let frame = culprit.site.frame { place += " (inside \(frame))" }
        if let spelling = culprit.spelling { place += " · " + spelling }
        rows.append("<tr><td>\(Self.escaped(place))</td></tr>")
        if !culprit.text.isEmpty { rows.append("<tr><td><i>\(Self.escaped(culprit.text))</i></td></tr>") }
        return "<table border=\"2\" cellborder=\"0\" color=\"\(Self.red)\">" + rows.joined() + "</table>"
    }

    private static func coloured(_ text: String, _ colour: String) -> String {
        "<tr><td align=\"left\"><font color=\"\(colour)\">\(escaped(text))</font></td></tr>"
    }

    /// Text made safe inside an HTML-like label: markup characters become entities, and
    /// `isTerminalUnsafe` characters (which DOT would pass through to the output, and to a terminal
    /// that shows the DOT) become spaces.
    static func escaped(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            default:
                output.unicodeScalars.append(scalar.isTerminalUnsafe ? " " : scalar)
            }
        }
        return output
    }
}
