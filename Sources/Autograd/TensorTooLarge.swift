/// A tensor larger than tapedeck will allocate: elements are held as `Double`, so 2^28 of them
/// take 2 GiB. Checked before allocating, where a shape is computed from other shapes (factories,
/// broadcasting, matrix products), so `ones(100000, 1) * ones(1, 100000)` is refused by name
/// instead of aborting the process when the allocation fails. The bindings report it as
/// `NotImplementedError: tapedeck does not support tensors of more than 268435456 elements`.
public struct TensorTooLarge: Error, Equatable {
    /// The most elements one tensor may have.
    public static let limit = 1 << 28

    /// The refused shape.
    public var shape: [Int]

    /// Throws for a shape with more than `limit` elements (an overflowing product included).
    static func check(_ shape: [Int]) throws(TensorTooLarge) {
        var elements = 1
        for size in shape where size > 0 {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            if overflow || product > limit { throw TensorTooLarge(shape: shape) }
            elements = product
        }
    }
}
