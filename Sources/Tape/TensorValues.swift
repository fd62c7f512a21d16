/// A tensor's values after an op changed them (or for a gradient flowing through a node), as a
/// bounded row-major preview.
public struct TensorValues: Hashable, Sendable {
    /// How many values a preview keeps: enough for every small tensor a repro prints.
    public static let previewLimit = 64

    public var tensor: Int
    public var shape: [Int]
    /// The first `min(numel, previewLimit)` values, row-major.
    public var values: [Double]

    public init(tensor: Int, shape: [Int], values: [Double]) {
        self.tensor = tensor
        self.shape = shape
        self.values = values
    }

    /// Whether `values` holds fewer elements than the tensor has.
    public var isTruncated: Bool { values.count < shape.reduce(1, *) }
}
