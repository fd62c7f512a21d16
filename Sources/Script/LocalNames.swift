/// The names a function body binds, which Python treats as local for the whole body: reading one
/// before it is assigned raises `UnboundLocalError` instead of finding a global of the same name.
enum LocalNames {
    static func of(_ body: [Stmt], parameters: Parameters) -> Set<String> {
        var names = Set(parameters.list.map(\.name))
        if let v = parameters.varArgs { names.insert(v) }
        if let k = parameters.varKeywords { names.insert(k) }
        var declared: Set<String> = []
        collect(body, into: &names, declared: &declared)
        return names.subtracting(declared)
    }

    private static func collect(_ body: [Stmt], into names: inout Set<String>, declared: inout Set<String>) {
        for statement in body {
            switch statement.kind {
            case .assign(let targets, _):
                for target in targets { targetNames(target, into: &names) }
            case .augmentedAssign(let target, _, _):
                targetNames(target, into: &names)
            case .forLoop(let target, _, let loopBody, let otherwise):
                targetNames(target, into: &names)
                collect(loopBody, into: &names, declared: &declared)
                collect(otherwise, into: &names, declared: &declared)
            case .whileLoop(_, let loopBody, let otherwise):
                collect(loopBody, into: &names, declared: &declared)
                collect(otherwise, into: &names, declared: &declared)
            case .conditional(let branches, let otherwise):
                for branch in branches { collect(branch.body, into: &names, declared: &declared) }
                collect(otherwise, into: &names, declared: &declared)
            case .functionDef(let def, _):
                names.insert(def.name)
            case .classDef(let name, _, _, _):
                names.insert(name)
            case .with(let items, let withBody):
                for item in items { if let target = item.name { targetNames(target, into: &names) } }
                collect(withBody, into: &names, declared: &declared)
            case .tryExcept(let tryBody, let handlers, let otherwise, let finally):
                collect(tryBody, into: &names, declared: &declared)
                for handler in handlers {
                    if let name = handler.name { names.insert(name) }
                    collect(handler.body, into: &names, declared: &declared)
                }
                collect(otherwise, into: &names, declared: &declared)
                collect(finally, into: &names, declared: &declared)
            case .importModule(let imports):
                for item in imports { names.insert(item.alias ?? item.path[0]) }
            case .importFrom(_, let imported):
                for item in imported { names.insert(item.alias ?? item.name) }
            case .delete(let targets):
                for target in targets { targetNames(target, into: &names) }
            case .global(let list), .nonlocal(let list):
                declared.formUnion(list)
            default:
                break
            }
        }
    }

    private static func targetNames(_ target: Expr, into names: inout Set<String>) {
        switch target.kind {
        case .name(let name): names.insert(name)
        case .tuple(let items), .list(let items): for item in items { targetNames(item, into: &names) }
        case .starred(let inner): targetNames(inner, into: &names)
        default: break
        }
    }
}
