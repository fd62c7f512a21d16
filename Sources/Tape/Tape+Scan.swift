extension Tape {
    /// Hands every event, in order, to `visitor`, each kind with the fields `TapeVisitor` names,
    /// read in one pass over the compact storage; stops at the first error the visitor throws.
    ///
    /// Inlinable and generic so that the visitor's methods are inlined into the loop: each value
    /// goes from its stored bytes to where the visitor keeps it without passing through memory
    /// (a batch of `EventSummary`s written and read back cost ≈ 100 instructions an event of
    /// the Debugger's index, docs/benchmarks.md).
    @inlinable
    public func scan<V: TapeVisitor>(into visitor: inout V) throws(V.Failure) {
        try withStoredEvents { (events) throws(V.Failure) in
            var begin = events.start(of: 0)
            for position in 0..<events.count {
                let end = events.end(of: position)
                let kind = Event.Kind(stored: events.base[begin])!
                let fields = EventCursor(base: events.base, position: begin &+ 1, end: end)
                if try !Self.visitInOrder(kind, fields, at: position, into: &visitor) {
                    try AnyOrderEvent(kind, fields).visit(at: position, into: &visitor)
                }
                begin = end
            }
        }
    }

    /// Hands the event of `kind` whose fields `fields` points at to `visitor` when its fields
    /// are in the writers' order; false, the visitor not called, otherwise.
    ///
    /// One call per kind, each never inlined into the loop: inlined, the handlers of every kind
    /// made the loop so large that the optimizer stopped inlining into it, and the readers were
    /// left calls that kept the cursor in memory (a store of its position per field). In a call
    /// of its own, a kind's read and its handler are one small function with the cursor in registers.
    @inlinable @inline(__always)
    static func visitInOrder<V: TapeVisitor>(
        _ kind: Event.Kind, _ fields: EventCursor, at position: Int, into visitor: inout V
    ) throws(V.Failure) -> Bool {
        switch kind {
        case .tensor: return try visitTensor(fields, at: position, into: &visitor)
        case .op: return try visitOp(fields, at: position, into: &visitor)
        case .node: return try visitNode(fields, at: position, into: &visitor)
        case .gradFn: return try visitGradFn(fields, at: position, into: &visitor)
        case .save: return try visitSave(fields, at: position, into: &visitor)
        case .bump: return try visitBump(fields, at: position, into: &visitor)
        case .values: return try visitValues(fields, at: position, into: &visitor)
        case .binding: return try visitBinding(fields, at: position, into: &visitor)
        case .output: return try visitOutput(fields, at: position, into: &visitor)
        case .nodeRun: return try visitRun(fields, at: position, into: &visitor)
        case .nodeResult: return try visitResult(fields, at: position, into: &visitor)
        case .release: return try visitRelease(fields, at: position, into: &visitor)
        case .error, .backward, .backwardEnd, .exit:
            try visitor.visitOther(kind, at: position)
            return true
        }
    }

    @inlinable @inline(never)
    static func visitTensor<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let tensor = c.tensorInOrder() else { return false }
        try visitor.visitTensor(tensor, at: position)
        return true
    }

    @inlinable @inline(never)
    static func visitOp<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let op = c.opInOrder() else { return false }
        try visitor.visitOp(op, at: position)
        return true
    }

    @inlinable @inline(never)
    static func visitNode<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let node = c.nodeInOrder() else { return false }
        try visitor.visitNode(node, at: position)
        return true
    }

    @inlinable @inline(never)
    static func visitGradFn<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let change = c.gradFnInOrder() else { return false }
        try visitor.visitGradFn(change, at: position)
        return true
    }

    @inlinable @inline(never)
    static func visitSave<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let save = c.saveInOrder() else { return false }
        try visitor.visitSave(save, at: position)
        return true
    }

    @inlinable @inline(__always)
    static func visitBump<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let bump = c.bumpInOrder() else { return false }
        try visitor.visitBump(bump, at: position)
        return true
    }

    @inlinable @inline(__always)
    static func visitValues<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let tensor = c.valuesInOrder() else { return false }
        try visitor.visitValues(ofTensor: tensor, at: position)
        return true
    }

    @inlinable @inline(never)
    static func visitBinding<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let tensor = c.bindingInOrder() else { return false }
        try visitor.visitBinding(ofTensor: tensor, at: position)
        return true
    }

    @inlinable @inline(never)
    static func visitOutput<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard c.outputInOrder() else { return false }
        try visitor.visitOutput(at: position)
        return true
    }

    @inlinable @inline(__always)
    static func visitRun<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let (backward, node) = c.runInOrder() else { return false }
        try visitor.visitRun(backward: backward, node: node, at: position)
        return true
    }

    @inlinable @inline(__always)
    static func visitResult<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let (backward, node) = c.runInOrder() else { return false }
        try visitor.visitResult(backward: backward, node: node, at: position)
        return true
    }

    @inlinable @inline(__always)
    static func visitRelease<V: TapeVisitor>(_ fields: EventCursor, at position: Int, into visitor: inout V) throws(V.Failure) -> Bool {
        var c = fields
        guard let node = c.releaseInOrder() else { return false }
        try visitor.visitRelease(node: node, at: position)
        return true
    }
}
