/// A node-by-node cursor inside one replayed backward call.
public struct ReplayState: Hashable, Sendable {
    public var backward: Int
    /// The nodes that ran, in order.
    public var ran: [Int]
    /// The ready queue, the node that runs next first.
    public var ready: [Int] = []
    /// Nodes reached from the roots that still wait for gradients, with how many.
    public var waiting: [Int: Int] = [:]
    /// The step about to run, nil when the call is over.
    public var next: ReplayStep?

    public init(backward: Int, ran: [Int], ready: [Int] = [], waiting: [Int: Int] = [:], next: ReplayStep? = nil) {
        self.backward = backward
        self.ran = ran
        self.ready = ready
        self.waiting = waiting
        self.next = next
    }
}
