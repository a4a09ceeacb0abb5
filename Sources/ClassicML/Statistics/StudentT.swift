import Foundation

/// Student's t distribution, for the p-values of paired tests over cross-validation folds.
public enum StudentT {
    /// The two-sided p-value of a t statistic: P(|T| ≥ |t|) with `degrees` degrees of freedom.
    /// - Parameters:
    ///   - t: the statistic (±infinity gives 0).
    ///   - degrees: degrees of freedom, > 0.
    /// - Returns: the p-value in [0, 1].
    public static func twoSidedPValue(_ t: Double, degrees: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? 1 : 0 }
        // P(|T| ≥ |t|) = I_x(ν/2, 1/2) with x = ν / (ν + t²).
        return regularizedIncompleteBeta(degrees / (degrees + t * t), a: degrees / 2, b: 0.5)
    }

    /// The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction
    /// (Numerical Recipes, `betai`/`betacf`), accurate to about 1e-12.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        d = abs(d) < tiny ? tiny : d
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; d = abs(d) < tiny ? tiny : d
            c = 1 + aa / c; c = abs(c) < tiny ? tiny : c
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; d = abs(d) < tiny ? tiny : d
            c = 1 + aa / c; c = abs(c) < tiny ? tiny : c
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }
}
