import Tape
import TorchRules

/// One finding of `tapedeck explain`: an autograd error raised during the run (caught or not), or a
/// warning about a mutation PyTorch cannot detect.
public struct Diagnosis: Hashable, Sendable {
    /// What went wrong, named in `explain --json` by its raw value.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A tensor saved for backward was modified in place ("... modified by an inplace operation").
        case savedTensorModified = "saved_tensor_modified"
        /// Backward ran through nodes whose saved tensors an earlier backward freed.
        case backwardTwice = "backward_twice"
        /// An in-place op on a leaf that requires grad.
        case leafInPlace = "leaf_in_place"
        /// An in-place op on a view of a leaf that requires grad.
        case viewOfLeafInPlace = "view_of_leaf_in_place"
        /// An in-place op on a view that autograd cannot rebase (no_grad view, multi-output view...).
        case viewInPlace = "view_in_place"
        /// `backward()` without a gradient on an output with more than one element.
        case nonScalarBackward = "non_scalar_backward"
        /// `backward()` on a tensor that neither requires grad nor has a grad_fn.
        case noGradFn = "no_grad_fn"
        /// Any other error raised by autograd.
        case autogradError = "autograd_error"
        /// A write through `.data` changed a saved tensor without bumping its version: no error,
        /// silently wrong gradients.
        case silentMutation = "silent_mutation"
        /// A fused optimizer kernel (`AdamW(fused=True)`) wrote a saved tensor without bumping its
        /// version: no error, silently wrong gradients.
        case unbumpedWrite = "unbumped_write"

        /// Classifies a raised exception by PyTorch's message; nil for errors that are not autograd's
        /// (a `TypeError` in the program, say) unless they were raised inside a backward call.
        public init?(classifying error: RaisedError) {
            let message = error.message
            if message.hasPrefix(AutogradMessage.versionMismatchPrefix) {
                self = .savedTensorModified
            } else if message.hasPrefix("Trying to backward through the graph a second time") {
                self = .backwardTwice
            } else if message == AutogradMessage.leafInPlace
                        || message == "a leaf Variable that requires grad has been used in an in-place operation." {
                self = .leafInPlace
            } else if message == AutogradMessage.viewOfLeafInPlace {
                self = .viewOfLeafInPlace
            } else if message.contains("modified inplace") || message.contains("is a view and its base") {
                self = .viewInPlace
            } else if message.hasPrefix("grad can be implicitly created only for") {
                self = .nonScalarBackward
            } else if message.hasPrefix("element "), message.hasSuffix("does not require grad and does not have a grad_fn") {
                self = .noGradFn
            } else if error.backward != nil || Self.otherAutogradMessages.contains(where: message.contains) {
                self = .autogradError
            } else {
                return nil
            }
        }

        /// The errors `SavedVariable::unpack` raises while a node runs.
        public var isUnpackError: Bool { self == .savedTensorModified || self == .backwardTwice }

        /// Whether the run should count it as an error (exit status 1); warnings do not.
        public var isError: Bool { self != .silentMutation && self != .unbumpedWrite }

        /// The headline of a text diagnostic.
        public var summary: String {
            switch self {
            case .savedTensorModified: return "in-place operation modified a tensor saved for backward"
            case .backwardTwice: return "backward through a graph whose saved tensors were already freed"
            case .leafInPlace: return "in-place operation on a leaf tensor that requires grad"
            case .viewOfLeafInPlace: return "in-place operation on a view of a leaf tensor that requires grad"
            case .viewInPlace: return "in-place operation on a view that autograd cannot track"
            case .nonScalarBackward: return "backward() without a gradient on a non-scalar output"
            case .noGradFn: return "backward() on a tensor that does not require grad"
            case .autogradError: return "autograd error"
            case .silentMutation: return "write through .data silently changed a tensor saved for backward"
            case .unbumpedWrite: return "write without a version bump silently changed a tensor saved for backward"
            }
        }

        private static let otherAutogradMessages = [
            "One of the differentiated Tensors", "The differentiated Tensor at index", "Mismatch in shape: grad_output",
            "returned an invalid gradient at index", "derivative for ", "cannot resize variables that require grad",
            "more than one element of the written-to tensor", "arguments don't support automatic differentiation",
            "saved tensor that has been detached in-place", "Can't detach views in-place", "Inference tensors",
            "Inplace update to inference tensor", "only change requires_grad flags of leaf variables",
            "Tensors of floating point", "Can't call numpy() on Tensor that requires grad",
            "attempting to assign a gradient of size", "allow_mutation_on_saved_tensors", "returned nan values",
        ]
    }

    /// `error` diagnoses set the exit status; `warning`s do not.
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    /// The grad_fn node involved: the one whose saved variable failed to unpack.
    public struct Node: Hashable, Sendable {
        public var id: Int
        /// `grad_fn.name()`.
        public var name: String
        public var sequenceNr: UInt64
        /// The forward op that created it and where it ran, when known.
        public var op: Int?
        public var site: CallSite?

        public init(id: Int, name: String, sequenceNr: UInt64, op: Int?, site: CallSite?) {
            self.id = id
            self.name = name
            self.sequenceNr = sequenceNr
            self.op = op
            self.site = site
        }
    }

    /// The statement to blame: the in-place op that first invalidated the saved tensor, the
    /// in-place op autograd refused, or the earlier backward call that freed the graph.
    public struct Culprit: Hashable, Sendable {
        public var site: CallSite
        /// The op index, when the culprit is a recorded op.
        public var op: Int?
        /// The op's Python spelling (`+=`, `Tensor.mul_`) and aten name, when known.
        public var call: String?
        public var name: String?
        /// The backward call, when the culprit is an earlier backward that freed the graph.
        public var backward: Int?
        /// The source text under the span (the whole line when no columns were recorded).
        public var text: String

        public init(site: CallSite, op: Int? = nil, call: String? = nil, name: String? = nil, backward: Int? = nil, text: String) {
            self.site = site
            self.op = op
            self.call = call
            self.name = name
            self.backward = backward
            self.text = text
        }

        /// How to show the op: its Python spelling, or its aten name when no Python call issued it
        /// (an op run from C++, such as DDP's broadcast copy, has `call` empty).
        public var spelling: String? {
            guard let call, !call.isEmpty else { return name }
            return call
        }
    }

    /// One move of the stale tensor's version counter after it was saved.
    public struct Bump: Hashable, Sendable {
        public var op: Int
        public var call: String
        public var name: String
        public var site: CallSite
        /// The tensor written through (the saved one, or a view sharing its counter).
        public var tensor: Int
        /// The program's name for `tensor` at the write (`disc.weight`), when it has one.
        public var tensorName: String?
        public var from: Int
        public var to: Int
        /// The first bump past the saved version: the culprit.
        public var isCulprit: Bool

        public init(
            op: Int, call: String, name: String, site: CallSite, tensor: Int, tensorName: String? = nil,
            from: Int, to: Int, isCulprit: Bool
        ) {
            self.op = op
            self.call = call
            self.name = name
            self.site = site
            self.tensor = tensor
            self.tensorName = tensorName
            self.from = from
            self.to = to
            self.isCulprit = isCulprit
        }

        /// How to show the op: its Python spelling, or its aten name when no Python call issued it.
        public var spelling: String { call.isEmpty ? name : call }
    }

    public var kind: Kind
    /// The exception type (`RuntimeError`), nil for warnings.
    public var errorType: String?
    /// PyTorch's message for errors; the debugger's explanation for warnings.
    public var message: String
    /// Where the error was raised (for warnings, the backward call that used the corrupted value).
    public var site: CallSite
    /// The tape position of the error (or, for warnings, of that backward call).
    public var event: Int
    public var backward: Int?
    public var node: Node?
    /// The saved variable that failed to unpack, or that was silently overwritten.
    public var saved: SavedValue?
    /// The program's name for the saved tensor, when it has one.
    public var savedName: String?
    /// The tensor the saved one is a view of (sharing its version counter), if it is a view.
    public var savedViewOf: Int?
    /// The program's name for `savedViewOf` (`disc.weight` for a saved `W.t()`), when it has one.
    public var savedViewOfName: String?
    /// The op that saved it (the node's forward op).
    public var saveOp: Int?
    public var saveSite: CallSite?
    public var culprit: Culprit?
    /// The saved tensor's version timeline after the save, culprit first.
    public var bumps: [Bump]
    /// The saved tensor's version when the trace's kept steps start, when writes past the saved
    /// version happened in steps a step window dropped (`--keep-steps`): the culprit was not kept.
    public var droppedWritesTo: Int?
    /// The message the replay rebuilt from the tape, for comparison with the raised one.
    public var replayMessage: String?
    /// The tape has no `save` event of the failing node (a node type whose saved variables the
    /// recorder cannot read): `saved` is the input or output of its op whose rebuilt message is the
    /// raised one, and its slot is unknown.
    public var savedSlotUnrecorded = false
    public var hint: String

    public var severity: Severity { kind.isError ? .error : .warning }

    public init(
        kind: Kind, errorType: String?, message: String, site: CallSite, event: Int, backward: Int? = nil,
        node: Node? = nil, saved: SavedValue? = nil, savedName: String? = nil, saveOp: Int? = nil,
        saveSite: CallSite? = nil, culprit: Culprit? = nil, bumps: [Bump] = [], replayMessage: String? = nil,
        hint: String
    ) {
        self.kind = kind
        self.errorType = errorType
        self.message = message
        self.site = site
        self.event = event
        self.backward = backward
        self.node = node
        self.saved = saved
        self.savedName = savedName
        self.saveOp = saveOp
        self.saveSite = saveSite
        self.culprit = culprit
        self.bumps = bumps
        self.replayMessage = replayMessage
        self.hint = hint
    }
}
