import Autograd

/// A `grad_fn` node as the program sees it: `name()`, `next_functions`, `variable`.
final class NodeObject: PyObject {
    let node: Node

    init(_ node: Node) {
        self.node = node
    }

    var typeName: String { node.name }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "<\(node.name.replacingOccurrences(of: "torch::autograd::", with: "")) object at \(interpreter.address(of: node))>"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "name": return interpreter.method("\(node.name).name") { _ in .str(self.node.name) }
        case "next_functions":
            return .tuple(node.nextFunctions.map { .tuple([$0.node.map { .object(NodeObject($0)) } ?? .none, .int($0.inputNr)]) })
        case "variable":
            guard let variable = node.variable else { return nil }
            return .object(variable)
        default:
            if name.hasPrefix("_saved_") {
                let slot = String(name.dropFirst("_saved_".count))
                guard node.savedSlotNames.contains(slot) else { return nil }
                return try interpreter.torch.run { try node.savedTensor(slot) }.map { .object($0) } ?? Value.none
            }
            return nil
        }
    }
}
