/// One thing that happened during a run, in the order it happened.
///
/// The tape is the whole story of the run: forward ops, the graph they built, what each node
/// saved and at which version, every version bump, backward calls node by node, printed output
/// and exceptions. Ids (`tensor`, `counter`, `node`, op `index`, backward `id`) are dense and
/// assigned in order of first appearance.
public enum Event: Hashable, Sendable {
    /// A tensor is seen for the first time.
    case tensor(TensorInfo)
    /// A forward op ran.
    case op(OpRecord)
    /// A grad_fn node was created.
    case node(NodeRecord)
    /// A tensor's grad_fn was set or replaced.
    case gradFn(GradFnChange)
    /// A node saved a tensor for backward.
    case save(SavedSlot)
    /// A version counter moved.
    case bump(VersionBump)
    /// A tensor's values after an op (a preview).
    case values(TensorValues)
    /// A program name was bound to a tensor.
    case binding(Binding)
    /// Text the program wrote to stdout.
    case output(String)
    /// An exception was raised.
    case error(RaisedError)
    /// A backward call started.
    case backward(BackwardCall)
    /// The engine is about to run a node.
    case nodeRun(NodeRun)
    /// A node finished.
    case nodeResult(NodeResult)
    /// A node's saved variables were freed (backward without `retain_graph`).
    case release(node: Int)
    /// A backward call ended.
    case backwardEnd(BackwardEnd)
    /// The program ended with this exit code.
    case exit(code: Int)
}
