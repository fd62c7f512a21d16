/// A position on the tape that moves event by event or op by op, for stepping through a run.
///
/// `position` is in `0...eventCount`: the state shown is the one after events `0..<position`.
public struct TapeCursor: Hashable, Sendable {
    public private(set) var position: Int
    /// The number of events on the tape: the last position.
    public let end: Int

    public init(end: Int, position: Int = 0) {
        self.end = max(0, end)
        self.position = min(max(0, position), self.end)
    }

    /// Moves to `position`, clamped to the tape.
    public mutating func move(to position: Int) {
        self.position = min(max(0, position), end)
    }

    /// Moves `delta` events forward (or back when negative).
    public mutating func step(by delta: Int) {
        move(to: position + delta)
    }

    /// Moves `delta` ops forward (back when negative), to just after the target op's last event
    /// so that its nodes, saves and bumps are included; stepping back before the first op goes to 0.
    public mutating func stepOp(by delta: Int, in debugger: Debugger) {
        let current = debugger.opCount(at: position)
        let target = min(max(0, current + delta), debugger.opCount)
        move(to: target == 0 ? 0 : debugger.endPosition(ofOp: target - 1))
    }

    /// The last op recorded before the cursor, nil at the start.
    public func currentOp(in debugger: Debugger) -> Int? {
        let count = debugger.opCount(at: position)
        return count == 0 ? nil : count - 1
    }
}
