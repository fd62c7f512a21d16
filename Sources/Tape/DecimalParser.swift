/// Parses the text of a JSON number into the nearest `Double` (ties to even), as `Double(String)`
/// does, without building a `String` and without integer division.
///
/// The digits are read into a 64-bit decimal significand `w` (at most 19 digits) and a decimal
/// exponent `q`. Then, in order:
/// - Clinger's fast path: `w ≤ 2^53` and `|q| ≤ 22`, so `w` and `10^|q|` are exact doubles and
///   one IEEE multiplication or division rounds once, correctly.
/// - Eisel–Lemire (Lemire, "Number Parsing at a Gigabyte per Second", 2021, as fast_float
///   implements it): `w·10^q = w·5^q·2^q`, with `5^q` taken as a 128-bit truncated value from
///   `powersOfFive`, so one or two 64×64→128-bit multiplications give the significand's top bits.
///   For `w < 10^19` this is always enough to round correctly (Mushtak and Lemire, "Fast Number
///   Parsing Without Fallback", 2023), for every exponent a double can reach.
/// - A number with more than 19 significant digits is converted from its first 19 digits `w` and
///   again from `w + 1`; the value lies between them, so when both round to the same double that
///   is the answer. Otherwise (rare: the digits sit on a rounding boundary) the standard library
///   converts the text.
enum DecimalParser {
    /// The value of the JSON number at `base[start..<end]` and the index after its last byte; nil
    /// if the bytes at `start` are not a number (`-`? digits, optionally `.` digits, optionally
    /// `e`/`E` with a sign and digits). Leading zeros are accepted.
    @inline(__always)
    static func parse(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (value: Double, end: Int)? {
        var p = start
        let negative = p < end && base[p] == UInt8(ascii: "-")
        if negative { p &+= 1 }
        // Up to 19 digits accumulate exactly in `mantissa`; the digits after them are dropped
        // (an integer digit dropped still scales the value by ten).
        var mantissa: UInt64 = 0
        var dropped = false
        var exponent = 0
        let integerStart = p
        while p < end, case let digit = base[p] &- UInt8(ascii: "0"), digit < 10 {
            if mantissa < 1_000_000_000_000_000_000 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
            } else {
                dropped = true
                exponent &+= 1
            }
            p &+= 1
        }
        guard p > integerStart else { return nil }
        if p < end && base[p] == UInt8(ascii: ".") {
            p &+= 1
            let fractionStart = p
            while mantissa < 100_000_000_000, let chunk = eightDigits(base + p, available: end &- p) {
                mantissa = mantissa &* 100_000_000 &+ chunk
                exponent &-= 8
                p &+= 8
            }
            while p < end, case let digit = base[p] &- UInt8(ascii: "0"), digit < 10 {
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    exponent &-= 1
                } else {
                    dropped = true
                }
                p &+= 1
            }
            guard p > fractionStart else { return nil }
        }
        if p < end && base[p] | 0x20 == UInt8(ascii: "e") {
            p &+= 1
            var exponentNegative = false
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) {
                exponentNegative = base[p] == UInt8(ascii: "-")
                p &+= 1
            }
            var written = 0
            let exponentStart = p
            while p < end, case let digit = base[p] &- UInt8(ascii: "0"), digit < 10 {
                written = min(written &* 10 &+ Int(digit), 1_000_000)
                p &+= 1
            }
            guard p > exponentStart else { return nil }
            exponent &+= exponentNegative ? -written : written
        }
        let magnitude: Double
        if mantissa == 0 {
            magnitude = 0
        } else if !dropped && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            let exact = Double(mantissa)
            magnitude = exponent < 0 ? exact / powersOfTen[-exponent] : exact * powersOfTen[exponent]
        } else if !dropped {
            magnitude = eiselLemire(mantissa, exponent)
        } else if case let lower = eiselLemire(mantissa, exponent), lower == eiselLemire(mantissa + 1, exponent) {
            magnitude = lower
        } else {
            return standardLibrary(base, from: start, to: p).map { ($0, p) }
        }
        return (negative ? -magnitude : magnitude, p)
    }

    /// The text converted by `Double(String)`, for the few numbers the fast paths cannot round.
    @inline(never)
    private static func standardLibrary(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
    }

    /// `w·10^q` rounded to the nearest double, ties to even, for `w` in `1...10^19`.
    @inline(__always)
    static func eiselLemire(_ w: UInt64, _ q: Int) -> Double {
        // Below 10^-343 even 10^19 - 1 rounds to zero; above 10^308 even 1 overflows.
        if q < smallestPowerOfFive { return 0 }
        if q > largestPowerOfFive { return .infinity }
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w &<< UInt64(leadingZeros)
        let index = 2 &* (q &- smallestPowerOfFive)
        var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
        // The top 55 bits (a 53-bit significand, a rounding bit and the one bit `upperBit` may
        // shift out) are certain unless the bits under them are all ones, where the truncated
        // part of 5^q could still carry into them: then add the next 64 bits of the product.
        if high & 0x1FF == 0x1FF {
            let (next, _) = normalized.multipliedFullWidth(by: powersOfFive[index &+ 1])
            let (sum, carry) = low.addingReportingOverflow(next)
            low = sum
            if carry { high &+= 1 }
        }
        let upperBit = Int(truncatingIfNeeded: high >> 63)
        let shift = UInt64(upperBit &+ 9)
        var significand = high >> shift
        // floor(q·log2(10)) + 63 (exact for |q| < 1,500), the binary exponent of the product,
        // biased as IEEE 754 binary64 stores it.
        var biased = ((217_706 &* q) >> 16) &+ 63 &+ upperBit &- leadingZeros &+ 1023
        if biased <= 0 {
            // Subnormal (or zero): shift the significand down to the fixed exponent 2^-1074,
            // then round half up; rounding may carry into the smallest normal.
            let down = 1 &- biased
            if down >= 64 { return 0 }
            significand >>= UInt64(down)
            significand &+= significand & 1
            significand >>= 1
            return Double(bitPattern: significand)
        }
        // An exact tie (possible only for small |q|, where 5^|q| is exact in the table) whose
        // upper neighbour is odd: drop the rounding bit so that it rounds down, to even.
        if low <= 1 && q >= -4 && q <= 23 && significand & 3 == 1 && significand &<< shift == high {
            significand &= ~1
        }
        significand &+= significand & 1
        significand >>= 1
        if significand >= 2 << 52 {
            significand = 1 << 52
            biased &+= 1
        }
        if biased >= 0x7FF { return .infinity }
        return Double(bitPattern: UInt64(biased) << 52 | significand & ((1 << 52) &- 1))
    }

    /// The value of the 8 ASCII digits at `p`, nil unless `available ≥ 8` and all 8 are digits
    /// (SWAR, as in fast_float).
    @inline(__always)
    private static func eightDigits(_ p: UnsafePointer<UInt8>, available: Int) -> UInt64? {
        guard available >= 8 else { return nil }
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let digitCheck = (word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
        guard digitCheck == 0x3333_3333_3333_3333 else { return nil }
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        value = ((value & mask) &* 0x000F_4240_0000_0064 &+ ((value >> 16) & mask) &* 0x0000_2710_0000_0001) >> 32
        return value & 0xFFFF_FFFF
    }

    /// Exact powers of ten that a `Double` holds exactly (Clinger's fast path).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
