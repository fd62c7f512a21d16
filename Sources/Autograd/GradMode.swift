/// Whether autograd records operations (`torch.is_grad_enabled()`).
///
/// `torch.no_grad()` and `torch.enable_grad()` push a mode for the duration of a block; the
/// runtime keeps them as a stack so nested blocks restore the outer mode.
struct GradModeStack {
    private var modes: [Bool] = []

    var isEnabled: Bool { modes.last ?? true }

    mutating func push(_ enabled: Bool) { modes.append(enabled) }

    mutating func pop() {
        if !modes.isEmpty { modes.removeLast() }
    }
}
