/// An exception raised while the program ran, whether or not it was caught.
public struct RaisedError: Hashable, Sendable {
    /// The Python exception type: `RuntimeError`, `TypeError`, `NotImplementedError`.
    public var type: String
    /// The message, word for word as PyTorch renders it.
    public var message: String
    /// The innermost program line that raised it.
    public var site: CallSite
    /// The backward call it was raised in, if any.
    public var backward: Int?

    public init(type: String, message: String, site: CallSite, backward: Int? = nil) {
        self.type = type
        self.message = message
        self.site = site
        self.backward = backward
    }
}
