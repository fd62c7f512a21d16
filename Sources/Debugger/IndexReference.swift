/// The tape's index behind one reference, shared by the debugger, its replayer and its blame:
/// `TapeIndex` is a struct of about seventy arrays, and each copy of it (a `Replayer` or `Blame`
/// made per query) retained and released every one of them (issue 9).
final class IndexReference: Sendable {
    let index: TapeIndex

    init(_ index: TapeIndex) {
        self.index = index
    }
}
