/// The top-level `"key":value` pairs of a trace event line as `TraceWriter` writes it (no spaces),
/// split at the object's top-level commas: what the tests that rewrite a trace's lines (keys
/// scrambled for the loader, keys reversed for the index's scan) take apart before they put the
/// line back together.
public enum TraceLinePairs {
    /// The pairs of `line`, in order: each key without its quotes and its value's bytes as written.
    public static func pairs(_ line: ArraySlice<UInt8>) -> [(key: String, value: [UInt8])] {
        var pairs: [(key: String, value: [UInt8])] = []
        var index = line.startIndex + 1
        while index < line.endIndex - 1 {
            let keyEnd = line[(index + 1)...].firstIndex(of: UInt8(ascii: "\""))!
            let key = String(decoding: line[(index + 1)..<keyEnd], as: UTF8.self)
            var end = keyEnd + 2
            var depth = 0
            var inString = false
            while end < line.endIndex - 1 {
                let byte = line[end]
                if inString {
                    if byte == UInt8(ascii: "\\") { end += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    depth += 1
                } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    depth -= 1
                } else if byte == UInt8(ascii: ",") && depth == 0 {
                    break
                }
                end += 1
            }
            pairs.append((key, Array(line[(keyEnd + 2)..<end])))
            index = end + 1
        }
        return pairs
    }
}
