import Foundation

/// Collects the text a run writes to one stream, from whichever thread the interpreter runs on.
public final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []

    public init() {}

    public func append(_ text: String) {
        lock.lock()
        parts.append(text)
        lock.unlock()
    }

    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return parts.joined()
    }
}
