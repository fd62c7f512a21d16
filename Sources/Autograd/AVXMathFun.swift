/// Scalar ports of the Cephes-based `log256_ps` and `sincos256_ps` from avx_mathfun.h, which
/// PyTorch's AVX2 `normal_fill` uses; libm's `logf`/`sinf`/`cosf` differ from them in the last bit.
enum AVXMathFun {
    static func log(_ input: Float) -> Float {
        if input <= 0 { return .nan }
        let clamped = Swift.max(input, Float.leastNormalMagnitude)
        let bits = clamped.bitPattern
        var e = Float(Int32(bits >> 23) - 0x7f) + 1
        var x = Float(bitPattern: (bits & ~0x7f80_0000) | Float(0.5).bitPattern)
        let below = x < 0.707106781186547524
        let extra: Float = below ? x : 0
        x = x - 1
        if below { e = e - 1 }
        x = x + extra
        let z = x * x
        var y: Float = 7.0376836292e-2
        for c: Float in [-1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
                         2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1] {
            y = y * x
            y = y + c
        }
        y = y * x
        y = y * z
        y = y + e * -2.12194440e-4
        y = y - z * 0.5
        x = x + y
        return x + e * 0.693359375
    }

    static func sincos(_ input: Float) -> (sin: Float, cos: Float) {
        var sinSign: Float = input < 0 || (input == 0 && input.sign == .minus) ? -1 : 1
        var x = Swift.abs(input)
        var j = Int32(x * 1.27323954473516)
        j = (j + 1) & ~1
        let y = Float(j)
        if j & 4 != 0 { sinSign = -sinSign }
        let usesSinPolynomial = j & 2 == 0
        x = x + y * -0.78515625
        x = x + y * -2.4187564849853515625e-4
        x = x + y * -3.77489497744594108e-8
        let cosSign: Float = ((j - 2) & 4) == 0 ? -1 : 1
        let z = x * x
        var c: Float = 2.443315711809948e-5
        c = c * z + -1.388731625493765e-3
        c = c * z + 4.166664568298827e-2
        c = c * z
        c = c * z
        c = c - z * 0.5
        c = c + 1
        var s: Float = -1.9515295891e-4
        s = s * z + 8.3321608736e-3
        s = s * z + -1.6666654611e-1
        s = s * z
        s = s * x
        s = s + x
        let sinValue = usesSinPolynomial ? s : c
        let cosValue = usesSinPolynomial ? c : s
        return (sinValue * sinSign, cosValue * cosSign)
    }
}
