import Glibc
import Synchronization

/// Ctrl-C while a program runs: the first SIGINT raises `KeyboardInterrupt` in the program at its
/// next statement, as python3 does; a second one, before the first was handled, exits at once
/// with status 130, so no program (say, one that catches `KeyboardInterrupt` in a loop) can hold
/// the terminal.
public enum Interruption {
    /// SIGINTs received and not yet raised as `KeyboardInterrupt`.
    static let pending = Atomic<Int>(0)

    /// Installs the SIGINT handler; commands that run programs call it once at start.
    public static func install() {
        signal(SIGINT) { _ in
            if Interruption.pending.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
        }
    }

    /// Whether a SIGINT arrived; clears it, since it is about to be raised.
    static func take() -> Bool {
        pending.load(ordering: .relaxed) > 0 && pending.exchange(0, ordering: .relaxed) > 0
    }
}
