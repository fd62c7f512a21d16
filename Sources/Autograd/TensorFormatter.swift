import Foundation

/// PyTorch's tensor `repr`/`str` (torch/_tensor_str.py) with the default print options:
/// precision 4, line width 80, summarised above 1000 elements with 3 edge items.
struct TensorFormatter {
    static let precision = 4
    static let lineWidth = 80
    static let threshold = 1000
    static let edgeItems = 3

    private let isFloating: Bool
    private var intMode = true
    private var sciMode = false
    private var maxWidth = 1

    /// Chooses the mode and column width from `values` (the summarised elements when summarising).
    init(values: [Double], dtype: DType) {
        isFloating = dtype.isFloatingPoint
        if !isFloating {
            for v in values { maxWidth = Swift.max(maxWidth, TensorFormatter.plain(v, dtype: dtype).count) }
            return
        }
        let nonzero = values.filter { $0.isFinite && $0 != 0 }
        guard !nonzero.isEmpty else { return }
        let magnitudes = nonzero.map(Swift.abs)
        let (lo, hi) = (magnitudes.min()!, magnitudes.max()!)
        intMode = nonzero.allSatisfy { $0 == $0.rounded(.up) }
        sciMode = hi / lo > 1000.0 || hi > 1.0e8 || lo < 1.0e-4
        for v in nonzero {
            let text: String
            if sciMode {
                text = TensorFormatter.scientific(v)
            } else if intMode {
                text = String(format: "%.0f", v) + " "
            } else {
                text = String(format: "%.\(TensorFormatter.precision)f", v)
            }
            maxWidth = Swift.max(maxWidth, text.count)
        }
    }

    /// One element, right-aligned to the column width.
    func format(_ v: Double, dtype: DType) -> String {
        var text: String
        if isFloating {
            if v.isNaN {
                text = "nan"
            } else if v.isInfinite {
                text = v < 0 ? "-inf" : "inf"
            } else if sciMode {
                text = TensorFormatter.scientific(v)
            } else if intMode {
                text = String(format: "%.0f", v) + "."
            } else {
                text = String(format: "%.\(TensorFormatter.precision)f", v)
            }
        } else {
            text = TensorFormatter.plain(v, dtype: dtype)
        }
        return String(repeating: " ", count: Swift.max(0, maxWidth - text.count)) + text
    }

    var width: Int { maxWidth }

    /// Python's `{:.4e}`: at least two exponent digits.
    static func scientific(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        return String(format: "%.\(precision)e", v)
    }

    static func plain(_ v: Double, dtype: DType) -> String {
        switch dtype {
        case .bool: v != 0 ? "True" : "False"
        default: String(Int64(v))
        }
    }

    // MARK: Layout

    /// `_tensor_str`: the bracketed body for `values` laid out with `shape`.
    static func body(values: [Double], shape: [Int], dtype: DType, indent: Int) -> String {
        if values.isEmpty { return "[]" }
        let summarize = values.count > threshold
        let formatter = TensorFormatter(values: summarize ? summarized(values, shape: shape) : values, dtype: dtype)
        return formatter.layout(values, shape: shape, dtype: dtype, indent: indent, summarize: summarize)
    }

    private func layout(_ values: [Double], shape: [Int], dtype: DType, indent: Int, summarize: Bool) -> String {
        guard let size = shape.first else { return format(values[0], dtype: dtype) }
        let rest = Array(shape.dropFirst())
        let chunk = rest.reduce(1, *)
        let edge = TensorFormatter.edgeItems
        let rows: [Int?] = summarize && size > 2 * edge
            ? Array(0..<edge).map { $0 } + [nil] + Array((size - edge)..<size).map { $0 }
            : Array(0..<size).map { $0 }
        if rest.isEmpty {
            let elementLength = maxWidth + 2
            let perLine = Swift.max(1, (TensorFormatter.lineWidth - indent) / elementLength)
            let items = rows.map { row in row.map { format(values[$0], dtype: dtype) } ?? " ..." }
            let lines = stride(from: 0, to: items.count, by: perLine).map {
                items[$0..<Swift.min($0 + perLine, items.count)].joined(separator: ", ")
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let slices = rows.map { row -> String in
            guard let row else { return "..." }
            return layout(Array(values[(row * chunk)..<((row + 1) * chunk)]), shape: rest, dtype: dtype,
                          indent: indent + 1, summarize: summarize)
        }
        let separator = "," + String(repeating: "\n", count: shape.count - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }

    /// `get_summarized_data`: the edge items of every dimension, which set the formatter's width.
    private static func summarized(_ values: [Double], shape: [Int]) -> [Double] {
        guard let size = shape.first else { return values }
        let rest = Array(shape.dropFirst())
        let chunk = rest.reduce(1, *)
        let rows = size > 2 * edgeItems ? Array(0..<edgeItems) + Array((size - edgeItems)..<size) : Array(0..<size)
        return rows.flatMap { summarized(Array(values[($0 * chunk)..<(($0 + 1) * chunk)]), shape: rest) }
    }

    /// `_add_suffixes`: `, name=value` after the body, wrapping at the line width.
    static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var result = text
        let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
        var lastLineLength = text.count - lastNewline + 1
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > lineWidth {
                result += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                result += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return result + ")"
    }
}

extension Tensor: CustomStringConvertible {
    /// `repr(tensor)` / `str(tensor)` exactly as PyTorch prints it, including `requires_grad=True`,
    /// `grad_fn=<MulBackward0>` and a `dtype=` suffix for non-default dtypes.
    public var description: String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes = [String]()
        let body: String
        if numel == 0 {
            if dim != 1 { suffixes.append("size=(" + shape.map(String.init).joined(separator: ", ") + (dim == 1 ? ",)" : ")")) }
            if dtype != .defaultFloat { suffixes.append("dtype=" + dtype.pythonName) }
            body = "[]"
        } else {
            if dtype == .float64 { suffixes.append("dtype=" + dtype.pythonName) }
            body = TensorFormatter.body(values: contiguousValues(), shape: shape, dtype: dtype, indent: indent)
        }
        if (try? checkViewHistory()) == nil {
            suffixes.append("grad_fn=<Invalid>")
        } else if let fn = gradFn {
            suffixes.append("grad_fn=<\(fn.typeName)>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        let text = TensorFormatter.addSuffixes(prefix + body, suffixes, indent: indent)
        return isParameter ? "Parameter containing:\n" + text : text
    }
}
