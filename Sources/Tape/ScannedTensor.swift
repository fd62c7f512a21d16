/// A `tensor` event as a whole-tape scan reads it (`TapeVisitor.visitTensor`): its id, version
/// counter, storage, base and requires_grad; its shape, dtype and values are decoded when asked.
public struct ScannedTensor: Hashable, Sendable {
    public let id: Int
    public let counter: Int
    public let storage: Int
    public let base: Int?
    public let requiresGrad: Bool

    @inlinable
    init(id: Int, counter: Int, storage: Int, base: Int?, requiresGrad: Bool) {
        self.id = id
        self.counter = counter
        self.storage = storage
        self.base = base
        self.requiresGrad = requiresGrad
    }
}
