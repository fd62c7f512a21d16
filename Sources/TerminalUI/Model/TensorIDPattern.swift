/// Which tensors' `t<id>` labels contain a lowercased needle without spaces, decided on the id
/// itself: a search does not build `t123456` for each of a million tensors to match it.
///
/// `t<id>` is a `t` and the id's decimal digits, so only a needle of `t` and digits can occur in
/// it: `t` alone (every label), `t` and the first digits of the id, or digits anywhere in the id.
enum TensorIDPattern: Equatable {
    /// No label contains the needle.
    case none
    /// Every label contains it (`t`).
    case all
    /// The id's decimal digits start with the `digits`-digit number `value` (`t12`).
    case prefix(value: Int, digits: Int)
    /// The id's decimal digits contain the `digits`-digit number `value`, leading zeros included (`05`).
    case contains(value: Int, digits: Int)

    init(needle: String) {
        let bytes = Array(needle.utf8)
        let digits = bytes.first == UInt8(ascii: "t") ? bytes.dropFirst() : bytes[...]
        guard !bytes.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            self = .none
            return
        }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if digits.count < bytes.count {
            self = digits.isEmpty ? .all : .prefix(value: value, digits: digits.count)
        } else {
            self = .contains(value: value, digits: digits.count)
        }
    }

    /// Whether the label `t<id>` contains the needle.
    func matches(_ id: Int) -> Bool {
        switch self {
        case .none:
            return false
        case .all:
            return true
        case .prefix(let value, let digits):
            var rest = id
            var count = Self.digitCount(id)
            guard count >= digits else { return false }
            while count > digits {
                rest /= 10
                count -= 1
            }
            return rest == value
        case .contains(let value, let digits):
            let count = Self.digitCount(id)
            guard count >= digits else { return false }
            var window = 1
            for _ in 0..<digits { window *= 10 }
            var rest = id
            for _ in 0...(count - digits) {
                if rest % window == value { return true }
                rest /= 10
            }
            return false
        }
    }

    /// The number of decimal digits of a non-negative `id` (1 for 0).
    private static func digitCount(_ id: Int) -> Int {
        var count = 1
        var rest = id / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }
}
