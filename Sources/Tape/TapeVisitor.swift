/// What a whole-tape scan (`Tape.scan(into:)`) hands each event to: one method per kind, called
/// with the fields an index over the whole tape keeps, read from the compact storage straight into
/// the call's arguments (no `Event`, no `EventSummary`, no list copied: an op's tensors and a
/// node's edges are decoded as the visitor walks them).
///
/// The scan is inlinable and generic, so a visitor's methods are inlined into its loop and the
/// values stay in registers from the stored bytes to the visitor's own arrays. A field the event
/// lacks reads as the full decoder reads it (nil, or 0 / false for the fields it defaults).
/// Throwing stops the scan.
public protocol TapeVisitor {
    associatedtype Failure: Error

    mutating func visitTensor(_ tensor: ScannedTensor, at position: Int) throws(Failure)
    mutating func visitOp(_ op: ScannedOp, at position: Int) throws(Failure)
    mutating func visitNode(_ node: ScannedNode, at position: Int) throws(Failure)
    mutating func visitGradFn(_ change: GradFnChange, at position: Int) throws(Failure)
    mutating func visitSave(_ save: ScannedSave, at position: Int) throws(Failure)
    mutating func visitBump(_ bump: VersionBump, at position: Int) throws(Failure)
    /// A `values` preview of `tensor` (the numbers are decoded from the event when asked).
    mutating func visitValues(ofTensor tensor: Int, at position: Int) throws(Failure)
    /// A `bind` naming `tensor` (the name and line are decoded from the event when asked).
    mutating func visitBinding(ofTensor tensor: Int, at position: Int) throws(Failure)
    /// Text the program printed.
    mutating func visitOutput(at position: Int) throws(Failure)
    /// The engine's `run` of `node` in backward call `backward`.
    mutating func visitRun(backward: Int, node: Int, at position: Int) throws(Failure)
    /// A node's `result` in backward call `backward`.
    mutating func visitResult(backward: Int, node: Int, at position: Int) throws(Failure)
    /// The engine's release of `node`'s saved variables.
    mutating func visitRelease(node: Int, at position: Int) throws(Failure)
    /// An error, a backward call, its end or the exit: rare kinds whose payload is kept whole,
    /// decoded by the visitor (`Tape.subscript`).
    mutating func visitOther(_ kind: Event.Kind, at position: Int) throws(Failure)
}
