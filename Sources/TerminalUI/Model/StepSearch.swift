import Debugger
import Tape

/// What `/` searches, as a table of text ids per step, built once with the steps: a search
/// lowercases and matches its needle against the distinct texts only, then scans integers
/// (issue 9: a search over a million events in milliseconds, not a second).
///
/// A step's text is its fields joined by spaces, lowercased, and a step matches when that text
/// contains the lowercased needle: an op is its name, its call and the labels of its inputs and
/// outputs (`t3 x`: each tensor labelled as at the first op step that lists it), a node its
/// `grad_fn` name, an error `Type: message`, a backward call `backward`.
///
/// A needle without a space lies inside one field, so the fields decide it alone; a needle with a
/// space is first narrowed to the steps with a field containing its longest space-free part, and
/// those steps' texts are then matched whole. A field whose first or last character would join
/// the space beside it into one character (a leading combining mark) is matched whole as well.
public final class StepSearch: Sendable {
    private let strings: [String]
    /// `strings` lowercased, the form the needle is matched against.
    private let lowered: [String]
    /// Each step's fields, back to back, step `i`'s ending at `fieldEnds[i]`: a text id, or
    /// `-1 - tensor` for a tensor's label.
    private let fields: [Int32]
    private let fieldEnds: [Int]
    /// The name in each tensor's label (`x` of `t3 x`) as a text id, -1 when it is `t3` alone.
    private let labelNames: [Int32]
    /// The steps with a field that would not stay one piece beside a space, matched whole.
    private let wholeSteps: [Bool]

    public init(debugger: Debugger, index: StepIndex) {
        var texts = SearchTexts(debugger: debugger)
        var labelNames = [Int32](repeating: -2, count: debugger.tensorCount)
        var fields: [Int32] = []
        var fieldEnds: [Int] = []
        fields.reserveCapacity(index.steps.count * 4)
        fieldEnds.reserveCapacity(index.steps.count)
        let backward = texts.intern("backward")
        var op = 0
        for (number, step) in index.steps.enumerated() {
            switch step.kind {
            case .op:
                fields.append(texts.opNames[op])
                fields.append(texts.opCalls[op])
                for tensor in texts.tensors(ofOp: op) {
                    let id = Int(tensor)
                    if labelNames[id] == -2 {
                        let name = debugger.label(of: id, at: index.positions[number])
                        labelNames[id] = name == "t\(id)" ? -1 : texts.intern(Sanitizer.line(name))
                    }
                    fields.append(-1 - tensor)
                }
                op += 1
            case .node(let node):
                if let call = step.backward {
                    fields.append(texts.nodeNames[debugger.replays[call].steps[node].node])
                }
            case .error:
                if case .error(let error) = debugger.tape[step.event] {
                    fields.append(texts.intern("\(error.type): \(error.message)"))
                }
            case .backwardCall:
                fields.append(backward)
            }
            fieldEnds.append(fields.count)
        }
        strings = texts.strings
        lowered = strings.map { $0.lowercased() }
        let joinsSpace = lowered.map { (" " + $0 + " ").count != $0.count + 2 }
        self.labelNames = labelNames
        wholeSteps = fieldEnds.indices.map { step in
            let start = step == 0 ? 0 : fieldEnds[step - 1]
            return fields[start..<fieldEnds[step]].contains { field in
                let text = field >= 0 ? field : labelNames[Int(-1 - field)]
                return text >= 0 && joinsSpace[Int(text)]
            }
        }
        self.fields = fields
        self.fieldEnds = fieldEnds
    }

    /// The steps whose text contains `query`, ignoring case, in step order.
    public func matches(for query: String) -> [Int] {
        let needle = query.lowercased()
        guard needle.unicodeScalars.contains(" ") else {
            return steps(withFieldContaining: needle) { !wholeSteps[$0] || textContains($0, needle) }
        }
        let spaces = needle.unicodeScalars.lazy.filter { $0 == " " }.count
        guard needle.lazy.filter({ $0 == " " }).count == spaces,
              let part = needle.split(separator: " ").max(by: { $0.utf8.count < $1.utf8.count })
        else {
            return fieldEnds.indices.filter { textContains($0, needle) }
        }
        return steps(withFieldContaining: String(part)) { textContains($0, needle) }
    }

    /// The steps with a field containing `needle` (which has no space) that `confirm` accepts.
    private func steps(withFieldContaining needle: String, confirm: (Int) -> Bool) -> [Int] {
        let hits = lowered.map { $0.contains(needle) }
        let ids = TensorIDPattern(needle: needle)
        var matches: [Int] = []
        var start = 0
        for step in fieldEnds.indices {
            let end = fieldEnds[step]
            for field in fields[start..<end] {
                let hit: Bool
                if field >= 0 {
                    hit = hits[Int(field)]
                } else {
                    let tensor = Int(-1 - field)
                    let name = labelNames[tensor]
                    hit = ids.matches(tensor) || (name >= 0 && hits[Int(name)])
                }
                if hit {
                    if confirm(step) { matches.append(step) }
                    break
                }
            }
            start = end
        }
        return matches
    }

    /// Whether step `step`'s whole text, lowercased, contains `needle`.
    private func textContains(_ step: Int, _ needle: String) -> Bool {
        text(of: step).lowercased().contains(needle)
    }

    /// Step `step`'s text: its fields joined by spaces.
    func text(of step: Int) -> String {
        let start = step == 0 ? 0 : fieldEnds[step - 1]
        return fields[start..<fieldEnds[step]].map { field in
            guard field < 0 else { return strings[Int(field)] }
            let tensor = Int(-1 - field)
            let name = labelNames[tensor]
            return name >= 0 ? "t\(tensor) \(strings[Int(name)])" : "t\(tensor)"
        }.joined(separator: " ")
    }
}
