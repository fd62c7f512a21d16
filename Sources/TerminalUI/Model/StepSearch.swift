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
/// space is first narrowed to the steps with fields containing each of its space-free parts, and
/// those steps are then matched across their fields, byte by byte where the needle and fields are
/// plain ASCII (`ASCIINeedle`), else on their whole text. A field whose first or last character would join
/// the space beside it into one character (a leading combining mark) is matched whole as well.
public final class StepSearch: Sendable {
    /// The distinct texts lowercased, by id: the form the needle is matched against.
    private let lowered: [String]
    /// The UTF-8 bytes of each lowercased text when it is plain ASCII (`ASCIINeedle.isPlain`), else nil.
    private let plainBytes: [[UInt8]?]
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
        var fields: [Int32] = []
        var fieldEnds: [Int] = []
        fields.reserveCapacity(index.steps.count * 4)
        fieldEnds.reserveCapacity(index.steps.count)
        // Each tensor is labelled as at the first op step that lists it.
        var labelled = [Bool](repeating: false, count: debugger.tensorCount)
        var firstMentions: [(tensor: Int, position: Int)] = []
        let backward = texts.intern("backward")
        var op = 0
        for (number, step) in index.steps.enumerated() {
            switch step.kind {
            case .op:
                fields.append(texts.opNames[op])
                fields.append(texts.opCalls[op])
                for tensor in texts.tensors(ofOp: op) {
                    if !labelled[Int(tensor)] {
                        labelled[Int(tensor)] = true
                        firstMentions.append((Int(tensor), index.positions[number]))
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
        var labelNames = [Int32](repeating: -1, count: debugger.tensorCount)
        var sanitized: [String: Int32] = [:]
        for (mention, name) in zip(firstMentions, debugger.labels(of: firstMentions)) where !Self.isBare(name, mention.tensor) {
            if let id = sanitized[name] {
                labelNames[mention.tensor] = id
            } else {
                let id = texts.intern(Sanitizer.line(name))
                sanitized[name] = id
                labelNames[mention.tensor] = id
            }
        }
        lowered = texts.strings.map { $0.lowercased() }
        plainBytes = lowered.map { text in
            let bytes = Array(text.utf8)
            return ASCIINeedle.isPlain(bytes) ? bytes : nil
        }
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
            let part = part(needle)
            return fieldEnds.indices.filter { step in
                hasField(step, containing: part) && (!wholeSteps[step] || textContains(step, needle))
            }
        }
        // Each space-free part of the needle lies inside one field: a step needs them all. Where
        // a space is part of a larger character (` \u{301}`), the needle is matched whole.
        let spaces = needle.unicodeScalars.lazy.filter { $0 == " " }.count
        guard needle.lazy.filter({ $0 == " " }).count == spaces else {
            return fieldEnds.indices.filter { textContains($0, needle) }
        }
        let parts = needle.split(separator: " ").map { part(String($0)) }
        let plain = ASCIINeedle(needle)
        return fieldEnds.indices.filter { step in
            parts.allSatisfy { hasField(step, containing: $0) }
                && ((wholeSteps[step] ? nil : plain.flatMap { plainText(of: step, contains: $0) }) ?? textContains(step, needle))
        }
    }

    /// Whether step `step`'s lowercased text contains `needle`, fed field by field; nil when a
    /// field is not plain ASCII. Only for a step without a field that joins the space beside it.
    private func plainText(of step: Int, contains needle: ASCIINeedle) -> Bool? {
        var matched = 0
        let start = step == 0 ? 0 : fieldEnds[step - 1]
        for index in start..<fieldEnds[step] {
            let field = fields[index]
            if index > start && needle.feed(UInt8(ascii: " "), &matched) { return true }
            if field >= 0 {
                guard let bytes = plainBytes[Int(field)] else { return nil }
                if needle.feed(bytes, &matched) { return true }
                continue
            }
            let tensor = Int(-1 - field)
            if needle.feed(UInt8(ascii: "t"), &matched) { return true }
            var power = 1
            while power <= tensor / 10 { power *= 10 }
            while power > 0 {
                if needle.feed(UInt8(ascii: "0") + UInt8(tensor / power % 10), &matched) { return true }
                power /= 10
            }
            let name = labelNames[tensor]
            if name >= 0 {
                guard let bytes = plainBytes[Int(name)] else { return nil }
                if needle.feed(UInt8(ascii: " "), &matched) || needle.feed(bytes, &matched) { return true }
            }
        }
        return false
    }

    /// A lowercased needle without spaces, matched once against the distinct texts and tensor ids.
    private struct Part {
        /// Whether each text contains it.
        var texts: [Bool]
        var tensorIDs: TensorIDPattern
    }

    private func part(_ needle: String) -> Part {
        Part(texts: lowered.map { $0.contains(needle) }, tensorIDs: TensorIDPattern(needle: needle))
    }

    /// Whether one of step `step`'s fields (a text, a tensor's id or its name) contains `part`.
    private func hasField(_ step: Int, containing part: Part) -> Bool {
        fields[(step == 0 ? 0 : fieldEnds[step - 1])..<fieldEnds[step]].contains { field in
            guard field < 0 else { return part.texts[Int(field)] }
            let tensor = Int(-1 - field)
            let name = labelNames[tensor]
            return part.tensorIDs.matches(tensor) || (name >= 0 && part.texts[Int(name)])
        }
    }

    /// Whether step `step`'s whole text, lowercased, contains `needle`.
    private func textContains(_ step: Int, _ needle: String) -> Bool {
        loweredText(of: step).contains(needle)
    }

    /// Step `step`'s text lowercased: its lowercased fields joined by spaces (lowercasing maps each
    /// Unicode scalar on its own, so this is the whole text lowercased).
    func loweredText(of step: Int) -> String {
        let start = step == 0 ? 0 : fieldEnds[step - 1]
        return fields[start..<fieldEnds[step]].map { field in
            guard field < 0 else { return lowered[Int(field)] }
            let tensor = Int(-1 - field)
            let name = labelNames[tensor]
            return name >= 0 ? "t\(tensor) \(lowered[Int(name)])" : "t\(tensor)"
        }.joined(separator: " ")
    }

    /// Whether `name` is `t<tensor>` itself, which labels the tensor without a name.
    private static func isBare(_ name: String, _ tensor: Int) -> Bool {
        name.utf8.first == UInt8(ascii: "t") && name == "t\(tensor)"
    }
}
