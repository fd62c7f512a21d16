/// A Python dict: insertion-ordered keys compared with Python equality.
final class PyDict {
    var keys: [Value] = []
    var values: [Value] = []

    init(_ pairs: [(Value, Value)] = []) {
        for (k, v) in pairs { set(k, v) }
    }

    func index(of key: Value) -> Int? {
        keys.firstIndex { Value.keyEqual($0, key) }
    }

    func get(_ key: Value) -> Value? {
        index(of: key).map { values[$0] }
    }

    func set(_ key: Value, _ value: Value) {
        if let i = index(of: key) { values[i] = value } else { keys.append(key); values.append(value) }
    }

    func remove(_ key: Value) -> Value? {
        guard let i = index(of: key) else { return nil }
        keys.remove(at: i)
        return values.remove(at: i)
    }
}
