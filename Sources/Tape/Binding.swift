/// The program bound a name to a tensor (`x = ...`, `self.weight = ...`), so the debugger can call it `x`.
public struct Binding: Hashable, Sendable {
    public var name: String
    public var tensor: Int
    public var line: Int

    public init(name: String, tensor: Int, line: Int) {
        self.name = name
        self.tensor = tensor
        self.line = line
    }
}
