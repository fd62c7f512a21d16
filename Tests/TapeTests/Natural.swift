/// An arbitrary-precision natural number (32-bit limbs, least significant first), just enough
/// for the number-parsing tests to compute exact powers of five, halfway points between doubles
/// and their decimal digits: products, shifts and comparisons, no division but by small numbers.
struct Natural: Comparable {
    /// No most significant zero limb, so equal values have equal limbs; zero is `[]`.
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    /// `high·2^64 + low`.
    init(high: UInt64, low: UInt64) {
        self = Natural(high).shifted(left: 64) + Natural(low)
    }

    /// `base^exponent`.
    static func power(_ base: UInt32, _ exponent: Int) -> Natural {
        var result = Natural(1)
        for _ in 0..<exponent { result.multiply(by: base) }
        return result
    }

    private mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    /// The number of bits up to the most significant one (0 for zero).
    var bitLength: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 32 - top.leadingZeroBitCount
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    static func * (left: Natural, right: Natural) -> Natural {
        var product = [UInt32](repeating: 0, count: left.limbs.count + right.limbs.count)
        for (i, a) in left.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, b) in right.limbs.enumerated() {
                let sum = UInt64(a) * UInt64(b) + UInt64(product[i + j]) + carry
                product[i + j] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
            }
            product[i + right.limbs.count] = UInt32(carry)
        }
        var result = Natural(0)
        result.limbs = product
        result.trim()
        return result
    }

    static func + (left: Natural, right: Natural) -> Natural {
        var sum = [UInt32](repeating: 0, count: max(left.limbs.count, right.limbs.count) + 1)
        var carry: UInt64 = 0
        for index in 0..<sum.count - 1 {
            let total = UInt64(index < left.limbs.count ? left.limbs[index] : 0)
                + UInt64(index < right.limbs.count ? right.limbs[index] : 0) + carry
            sum[index] = UInt32(truncatingIfNeeded: total)
            carry = total >> 32
        }
        sum[sum.count - 1] = UInt32(carry)
        var result = Natural(0)
        result.limbs = sum
        result.trim()
        return result
    }

    /// `self - 1`, for a nonzero value.
    var predecessor: Natural {
        var result = self
        var index = 0
        while result.limbs[index] == 0 {
            result.limbs[index] = .max
            index += 1
        }
        result.limbs[index] -= 1
        result.trim()
        return result
    }

    func shifted(left bits: Int) -> Natural {
        var result = Natural(0)
        result.limbs = [UInt32](repeating: 0, count: bits / 32) + limbs
        result.limbs.append(0)
        let within = bits % 32
        if within > 0 {
            for index in stride(from: result.limbs.count - 1, to: bits / 32, by: -1) {
                result.limbs[index] = result.limbs[index] << within | result.limbs[index - 1] >> (32 - within)
            }
            result.limbs[bits / 32] <<= within
        }
        result.trim()
        return result
    }

    static func < (left: Natural, right: Natural) -> Bool {
        guard left.limbs.count == right.limbs.count else { return left.limbs.count < right.limbs.count }
        for (a, b) in zip(left.limbs.reversed(), right.limbs.reversed()) where a != b { return a < b }
        return false
    }

    /// The decimal digits, without leading zeros ("0" for zero).
    var decimal: String {
        var rest = self
        var groups: [UInt32] = []
        while !rest.limbs.isEmpty {
            var remainder: UInt64 = 0
            for index in rest.limbs.indices.reversed() {
                let current = remainder << 32 | UInt64(rest.limbs[index])
                rest.limbs[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            rest.trim()
            groups.append(UInt32(remainder))
        }
        guard let top = groups.popLast() else { return "0" }
        return groups.reversed().reduce(String(top)) { text, group in
            let digits = String(group)
            return text + String(repeating: "0", count: 9 - digits.count) + digits
        }
    }
}
